package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/jobs"
	"hotline/sqldb/sqldbtest"
	"hotline/web"
)

// Smart dispatch end to end: concluded tickets teach a model, an admin
// reads its evaluation and switches it on, the intake API and the
// dispatcher's form show its suggestion, and dispatches are counted
// against it.
func TestDispatch_ModelFromConcludedTickets(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testDispatchModel(t, MustServerOn(t, d)) })
	}
}

func testDispatchModel(t *testing.T, e *env) {
	base := e.srv.URL
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	water, power := e.units["util-water"], e.units["util-power"]
	texts := map[int64][]string{
		water: {"小区停水", "自来水管爆裂漏水", "水压太低没水用", "水表坏了", "停水两天没人管", "水质发黄有异味"},
		power: {"小区停电", "电线杆倒了", "电压不稳灯闪", "电表走字太快", "停电一整天", "变压器有异响"},
	}
	conclude := func(title string, unit int64, unitUser string) {
		tk := e.newTicket(map[string]any{"title": title, "content": title + "，请尽快处理。"})
		id := fmt.Sprint(tk.ID)
		e.call("agent", "POST", "/api/v1/tickets/"+id+"/submit", nil, 200, nil)
		e.call("dispatcher", "POST", "/api/v1/tickets/"+id+"/dispatch", map[string]any{"lead_unit_id": unit}, 200, nil)
		e.call(unitUser, "POST", "/api/v1/tickets/"+id+"/acknowledge", nil, 200, nil)
		e.call(unitUser, "POST", "/api/v1/tickets/"+id+"/reply", map[string]string{"content": "已处理"}, 200, nil)
		e.call("dispatcher", "POST", "/api/v1/tickets/"+id+"/review", map[string]any{"approve": true}, 200, nil)
	}
	for i := 0; i < 5; i++ {
		for _, s := range texts[water] {
			conclude(s, water, "util-water")
		}
		for _, s := range texts[power] {
			conclude(s, power, "util-power")
		}
	}
	// No model yet: empty suggestions, not an error.
	var sg web.Suggestion
	e.call("dispatcher", "GET", "/api/v1/dispatch/suggest?text="+url.QueryEscape("家里停电了"), nil, 200, &sg)
	if len(sg.Units) != 0 {
		t.Fatalf("suggestions without a model: %+v", sg)
	}
	e.call("util-water", "GET", "/api/v1/dispatch/suggest?text=x", nil, 403, nil)
	e.call("dispatcher", "POST", "/api/v1/dispatch/models/train", map[string]string{"target": "unit"}, 403, nil)
	e.call("admin", "POST", "/api/v1/dispatch/models/train", map[string]string{"target": "unit"}, 202, nil)
	var models struct {
		Items []struct {
			ID        int64
			TrainedOn int     `json:"trained_on"`
			MacroF1   float64 `json:"macro_f1"`
			Active    bool
		}
	}
	for deadline := time.Now().Add(60 * time.Second); len(models.Items) == 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		e.call("admin", "GET", "/api/v1/dispatch/models", nil, 200, &models)
	}
	if len(models.Items) != 1 || models.Items[0].TrainedOn != 60 || models.Items[0].Active || models.Items[0].MacroF1 < 0.8 {
		t.Fatalf("trained model: %+v", models.Items)
	}
	// Saved, not used until an admin switches it on.
	e.call("dispatcher", "GET", "/api/v1/dispatch/suggest?text="+url.QueryEscape("家里停电了"), nil, 200, &sg)
	if len(sg.Units) != 0 {
		t.Fatalf("an inactive model suggests: %+v", sg)
	}
	e.call("admin", "POST", fmt.Sprintf("/api/v1/dispatch/models/%d/activate", models.Items[0].ID), nil, 200, nil)
	e.call("dispatcher", "GET", "/api/v1/dispatch/suggest?text="+url.QueryEscape("家里停电了，电表也不转"), nil, 200, &sg)
	if len(sg.Units) != 2 || sg.Units[0].ID != power || sg.Units[0].Prob <= sg.Units[1].Prob || len(sg.Words) == 0 {
		t.Fatalf("suggestion: %+v", sg)
	}
	// The words behind it are whole words of the appeal.
	if !slices.Contains(sg.Words, "停电") {
		t.Errorf("the words behind 停电 are %q", sg.Words)
	}
	for _, w := range sg.Words {
		if len([]rune(w)) < 2 || !strings.Contains("家里停电了，电表也不转", w) {
			t.Errorf("word %q is not a word of the appeal", w)
		}
	}
	// Automatic dispatch: off by default, then on above a threshold.
	auto := e.newTicket(map[string]any{"title": "停电了", "content": "小区停电一整天", "submit": true})
	if auto.Status != "pending_dispatch" {
		t.Fatalf("dispatched automatically while off: %s", auto.Status)
	}
	e.call("dispatcher", "PUT", "/api/v1/dispatch/auto", map[string]any{"threshold": 0.6}, 403, nil)
	e.call("admin", "PUT", "/api/v1/dispatch/auto", map[string]any{"threshold": 0.3}, 400, nil)
	e.call("admin", "PUT", "/api/v1/dispatch/auto", map[string]any{"threshold": 0.6}, 200, nil)
	auto = e.newTicket(map[string]any{"title": "停电了", "content": "小区停电一整天，电表也不走", "submit": true})
	if auto.Status != "dispatched" || auto.LeadUnitID != power {
		t.Fatalf("automatic dispatch: %s to %d", auto.Status, auto.LeadUnitID)
	}
	var full hotline.Ticket
	e.call("lead", "GET", fmt.Sprintf("/api/v1/tickets/%d", auto.ID), nil, 200, &full)
	if last := full.Events[len(full.Events)-1]; last.Action != "dispatch" || last.ActorName != "智能派单" {
		t.Errorf("last event %+v", last)
	}
	e.call("admin", "PUT", "/api/v1/dispatch/auto", map[string]any{"threshold": 0}, 200, nil)
	// The dispatcher's form shows it; the dispatch is counted against it.
	tk := e.newTicket(map[string]any{"title": "楼道停电", "content": "楼道停电三天了"})
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/submit", tk.ID), nil, 200, nil)
	disp, _ := loginPage(t, base, "dispatcher")
	_, page := get(t, disp, base+fmt.Sprintf("/tickets/%d", tk.ID))
	if !strings.Contains(page, "模型建议：供电公司") {
		t.Errorf("the dispatch form lacks the model's suggestion")
	}
	// So does the dispatch queue, beside each ticket.
	if _, queue := get(t, disp, base+"/queue/dispatch"); !regexp.MustCompile(`楼道停电</td>(?s:.*?)建议：供电公司 \d+%`).MatchString(queue) {
		t.Errorf("the dispatch queue lacks the model's suggestion")
	}
	e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": power}, 200, nil)
	var fig struct {
		Dispatches    int
		ModelAgreed   int     `json:"model_agreed"`
		ModelAccuracy float64 `json:"model_accuracy"`
		Units         []struct {
			UnitID     int64 `json:"unit_id"`
			Dispatched int
			Returned   int
			Rejected   int
		}
	}
	e.call("lead", "GET", "/api/v1/dispatch/figures", nil, 200, &fig)
	if fig.Dispatches != 2 || fig.ModelAgreed != 2 || fig.ModelAccuracy != 1 {
		t.Errorf("figures %+v", fig)
	}
	// A return shows in the unit's return rate once the centre approves
	// it; a rejected one is its own figure.
	unitRow := func(unit int64) (dispatched, returned, rejected int) {
		e.call("lead", "GET", "/api/v1/dispatch/figures", nil, 200, &fig)
		for _, u := range fig.Units {
			if u.UnitID == unit {
				return u.Dispatched, u.Returned, u.Rejected
			}
		}
		return 0, 0, 0
	}
	path := fmt.Sprintf("/api/v1/tickets/%d/", tk.ID)
	e.call("util-power", "POST", path+"return", map[string]any{"reason": "不属于本单位", "suggested_unit_id": water}, 200, nil)
	if d, r, j := unitRow(power); r != 0 || j != 0 || d < 32 {
		t.Errorf("a waiting return counted: dispatched %d, returned %d, rejected %d", d, r, j)
	}
	e.call("dispatcher", "POST", path+"review_return", map[string]any{"approve": true}, 200, nil)
	if _, r, _ := unitRow(power); r != 1 {
		t.Errorf("approved return not counted: %d", r)
	}
	// Neither the model nor the form offers the unit that returned it; the
	// returning unit's suggestion is preselected.
	_, page = get(t, disp, base+fmt.Sprintf("/tickets/%d", tk.ID))
	if strings.Contains(page, "模型建议：供电公司") || !regexp.MustCompile(`<option value="`+fmt.Sprint(water)+`" selected>[^<]*（退单单位建议）`).MatchString(page) {
		t.Errorf("the dispatch form after an approved return suggests the returning unit, or not the suggested one")
	}
	e.call("dispatcher", "POST", path+"dispatch", map[string]any{"lead_unit_id": water}, 200, nil)
	e.call("util-water", "POST", path+"return", map[string]any{"reason": "也不归我们"}, 200, nil)
	e.call("dispatcher", "POST", path+"review_return", map[string]any{"approve": false}, 400, nil) // a rejection needs a reason
	e.call("dispatcher", "POST", path+"review_return", map[string]any{"approve": false, "reason": "属供水职责"}, 200, nil)
	if _, r, j := unitRow(water); r != 0 || j != 1 {
		t.Errorf("water: returned %d, rejected %d; want 0 and 1", r, j)
	}
	// The figures page shows both per unit: 供电公司 one approved return, 水务公司 one rejected.
	if code, body := get(t, disp, base+"/dispatch/figures"); code != 200 || !strings.Contains(body, "<th>驳回退单</th>") ||
		!regexp.MustCompile(`<td>供电公司</td><td>\d+</td><td>1</td><td>0</td>`).MatchString(body) ||
		!regexp.MustCompile(`<td>水务公司</td><td>\d+</td><td>0</td><td>1</td>`).MatchString(body) {
		t.Errorf("the dispatch figures page (%d) lacks the approved and rejected returns per unit", code)
	}
	admin, _ := loginPage(t, base, "admin")
	if code, body := get(t, admin, base+"/admin/dispatch"); code != 200 || !strings.Contains(body, "已启用") || !strings.Contains(body, "派单准确率 100.0%") ||
		!strings.Contains(body, "供电公司  ") {
		t.Errorf("admin dispatch page: %d", code)
	}
	// The centre's dispatchers see the figures too, month by month; units
	// do not.
	if code, body := get(t, disp, base+"/dispatch/figures"); code != 200 || !strings.Contains(body, "派单准确率 100.0%") ||
		!strings.Contains(body, `href="/dispatch/figures"`) || !strings.Contains(body, "退单率") {
		t.Errorf("dispatch figures page: %d\n%s", code, body)
	}
	if code, body := get(t, disp, base+"/dispatch/figures?month=2020-01"); code != 200 || !strings.Contains(body, "本月还没有派单记录") {
		t.Errorf("a month without dispatches: %d", code)
	}
	if code, body := get(t, disp, base+"/dispatch/figures?month=2026-13"); code != 400 || !strings.Contains(body, "月份格式应为") {
		t.Errorf("a bad month: %d", code)
	}
	unit, _ := loginPage(t, base, "util-power")
	if code, _ := get(t, unit, base+"/dispatch/figures"); code != 403 {
		t.Errorf("a unit on the dispatch figures page: %d", code)
	}
	testRetrain(t, e, admin)
}

// testRetrain: scheduled retraining, off by default, on for a period;
// the new models wait to be switched on.
func testRetrain(t *testing.T, e *env, admin *http.Client) {
	ctx := context.Background()
	r := &jobs.DispatchRetrainer{DB: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if got, err := r.Check(ctx); err != nil || len(got) != 0 {
		t.Fatalf("retrained while off: %d, %v", len(got), err)
	}
	e.call("dispatcher", "PUT", "/api/v1/dispatch/retrain", map[string]any{"days": 7}, 403, nil)
	e.call("admin", "PUT", "/api/v1/dispatch/retrain", map[string]any{"days": 400}, 400, nil)
	e.call("admin", "PUT", "/api/v1/dispatch/retrain", map[string]any{"days": 7}, 200, nil)
	if _, body := get(t, admin, e.srv.URL+"/admin/dispatch"); !strings.Contains(body, "最新模型满 7 天后") {
		t.Errorf("the admin page does not show the schedule")
	}
	// The unit model is fresh; the category model was never trained.
	got, err := r.Check(ctx)
	if err != nil || len(got) != 1 || got[0].Target != "category" || got[0].Active {
		t.Fatalf("first check: %+v, %v", got, err)
	}
	now := e.db.Now
	defer func() { e.db.Now = now }()
	e.db.Now = func() time.Time { return now().Add(8 * 24 * time.Hour) }
	// Another server is training: this one leaves it alone.
	release, ok, err := e.db.TryLease(ctx, "dispatch-retrain", time.Minute)
	if err != nil || !ok {
		t.Fatalf("lease: %v %v", ok, err)
	}
	if got, err = r.Check(ctx); err != nil || len(got) != 0 {
		t.Fatalf("trained beside another server: %d, %v", len(got), err)
	}
	release()
	if got, err = r.Check(ctx); err != nil || len(got) != 2 || got[0].Target != "unit" || got[0].TrainedOn < 60 || got[0].Active {
		t.Fatalf("eight days later: %+v, %v", got, err)
	}
	if got, err = r.Check(ctx); err != nil || len(got) != 0 {
		t.Fatalf("trained again at once: %d, %v", len(got), err)
	}
}

// Merge proposals: the dispatcher sees the open ticket about the same
// place and problem on the ticket page and merges with one click.
func TestDispatch_MergeProposal(t *testing.T) {
	e := MustServer(t)
	base := e.srv.URL
	e.srv.Config.Handler.(*web.Server).SecureCookies = false
	first := e.newTicket(map[string]any{"title": "凤凰街小区停水三天", "content": "凤凰街小区停水三天了，一直没人处理", "submit": true})
	e.newTicket(map[string]any{"title": "八一路路灯不亮", "content": "八一路的路灯坏了一个星期", "submit": true})
	second := e.newTicket(map[string]any{"title": "凤凰街停水", "content": "凤凰街小区又停水三天了，没人管", "submit": true})
	if err := e.db.IndexTickets(context.Background(), nil); err != nil { // the indexer job's pass
		t.Fatal(err)
	}
	var sim struct {
		Items []struct {
			ID         int64
			Similarity float64
		}
	}
	e.call("agent", "GET", "/api/v1/tickets/similar?title="+url.QueryEscape("凤凰街停水")+"&content="+url.QueryEscape("凤凰街小区又停水三天了，没人管")+
		fmt.Sprintf("&except=%d", second.ID), nil, 200, &sim)
	if len(sim.Items) != 1 || sim.Items[0].ID != first.ID {
		t.Fatalf("similar: %+v", sim)
	}
	e.call("util-water", "GET", "/api/v1/tickets/similar?title=x", nil, 403, nil)
	disp, csrf := loginPage(t, base, "dispatcher")
	// The dispatcher's queue shows the proposal the indexer job recorded.
	if n, _, err := e.db.ProposeMerges(context.Background(), 100); err != nil || n != 2 {
		t.Fatalf("propose merges: %d, %v", n, err)
	}
	_, queue := get(t, disp, base+"/queue/dispatch")
	if !strings.Contains(queue, fmt.Sprintf(`<a href="/tickets/%d">%s</a>`, first.ID, first.Number)) ||
		!strings.Contains(queue, fmt.Sprintf(`href="/tickets/%d#merge"`, second.ID)) {
		t.Fatalf("no merge proposal in the dispatch queue:\n%s", queue)
	}
	_, page := get(t, disp, base+fmt.Sprintf("/tickets/%d", second.ID))
	if !strings.Contains(page, "疑似重复的在办工单") || !strings.Contains(page, fmt.Sprintf(`name="into_id" value="%d"`, first.ID)) {
		t.Fatalf("no merge proposal on the ticket page")
	}
	if code, _ := postForm(t, disp, base+fmt.Sprintf("/tickets/%d/act/merge", second.ID), url.Values{"csrf_token": {csrf}, "into_id": {fmt.Sprint(first.ID)}}); code != 303 {
		t.Fatalf("merge: %d", code)
	}
	var got struct{ Status string }
	e.call("dispatcher", "GET", fmt.Sprintf("/api/v1/tickets/%d", second.ID), nil, 200, &got)
	if got.Status != "merged" {
		t.Errorf("after the merge: %s", got.Status)
	}
	// The first ticket's proposal pointed at the merged one: gone.
	if _, queue = get(t, disp, base+"/queue/dispatch"); strings.Contains(queue, "#merge") {
		t.Errorf("a proposal to a merged ticket is still shown")
	}
}
