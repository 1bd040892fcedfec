package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/quality"
)

// Rectification: a failed inspection, once final, opens one; it runs the
// whole loop, each step by whom and when, a verification that finds the
// fix not effective sends it back; out of order steps are refused; the
// response limit of 24 hours marks it overdue; the month's completion.
func TestQuality_Rectification(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	tk := e.newTicket(map[string]any{"appeal_kind": "complaint"})
	var got inspectionList
	e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", tk.ID), nil, 200, &got)
	id := fmt.Sprint(got.Items[0].ID)
	e.call("qa", "POST", "/api/v1/inspections/"+id+"/result", map[string]any{"marks": []map[string]any{{"key": "content", "points": 0, "comment": "要素缺失"}}}, 200, nil)
	var list struct {
		Items []struct {
			quality.Rectification
			State string
		}
		Total int
	}
	e.call("lead", "GET", "/api/v1/rectifications", nil, 200, &list)
	if list.Total != 0 {
		t.Fatalf("a rectification before the result is final: %+v", list)
	}
	e.call("agent", "POST", "/api/v1/inspections/"+id+"/acknowledge", nil, 200, nil)
	e.call("lead", "GET", "/api/v1/rectifications", nil, 200, &list)
	if list.Total != 1 || list.Items[0].Status != quality.RectOpen || list.Items[0].State != "ok" || !strings.Contains(list.Items[0].Problem, "要素缺失") {
		t.Fatalf("the failed inspection's rectification: %+v", list)
	}
	rid := fmt.Sprint(list.Items[0].ID)
	e.call("lead", "POST", "/api/v1/rectifications/"+rid+"/plan", map[string]any{"text": "先定计划"}, 409, nil)
	e.call("agent", "POST", "/api/v1/rectifications/"+rid+"/cause", map[string]any{"text": "x"}, 403, nil)
	var r quality.Rectification
	for _, st := range []struct {
		step   string
		body   map[string]any
		status quality.RectStatus
	}{
		{"cause", map[string]any{"text": "新员工对投诉要素不熟"}, quality.RectAnalysed},
		{"plan", map[string]any{"text": "班前会讲解投诉要素，一周内复训"}, quality.RectPlanned},
		{"carry", map[string]any{"text": "已于周二班前会讲解"}, quality.RectCarried},
		{"verify", map[string]any{"text": "复查三单仍缺要素", "passed": false}, quality.RectPlanned},
		{"carry", map[string]any{"text": "一对一辅导"}, quality.RectCarried},
		{"verify", map[string]any{"text": "复查五单要素齐全", "passed": true}, quality.RectVerified},
		{"improve", map[string]any{"text": "评分表“内容完整”加提示：时间地点人物事件诉求", "link": "/kb/articles/1"}, quality.RectClosed},
	} {
		e.call("lead", "POST", "/api/v1/rectifications/"+rid+"/"+st.step, st.body, 200, &r)
		if r.Status != st.status {
			t.Fatalf("%s: %s, want %s", st.step, r.Status, st.status)
		}
	}
	if len(r.Steps) != 7 || r.Steps[0].Actor == "" || r.RespondedAt == nil || r.PlannedAt == nil || r.ClosedAt == nil || !r.OnTime(time.Now()) {
		t.Errorf("closed: %+v", r)
	}
	// A problem raised 25 hours ago and not answered: overdue.
	e.db.Now = func() time.Time { return time.Now().Add(-25 * time.Hour) }
	late, err := e.db.Quality().RaiseRectification(context.Background(), e.actor("lead"), quality.SourceCentre, "agent", "夜班接听率偏低")
	e.db.Now = time.Now
	if err != nil {
		t.Fatal(err)
	}
	e.call("lead", "GET", "/api/v1/rectifications?status=open", nil, 200, &list)
	if list.Total != 1 || list.Items[0].ID != late.ID || list.Items[0].State != "overdue" {
		t.Errorf("the unanswered one: %+v", list)
	}
	f, err := e.db.Quality().RectificationFigures(context.Background(), e.actor("lead"), time.Now().AddDate(0, 0, -3), time.Now().Add(time.Hour))
	if err != nil || f.Opened != 2 || f.Closed != 1 || f.OnTime != 1 || f.CompletionRate != 0.5 {
		t.Errorf("figures %+v %v", f, err)
	}
	e.call("util-water", "GET", "/api/v1/rectifications", nil, 403, nil)
	var mine struct{ Total int }
	e.call("agent", "GET", "/api/v1/rectifications", nil, 200, &mine)
	if mine.Total != 2 {
		t.Errorf("the agent sees %d of its rectifications, want 2", mine.Total)
	}
}

// The rectification pages: the list with the month's figures and the due
// mark, one rectification's loop, and the next step by the form.
func TestQuality_RectificationPages(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	lead, csrf := loggedIn(t, e, "lead")
	code, loc := postForm(t, lead, e.srv.URL+"/quality/rectifications", url.Values{"csrf_token": {csrf}, "source": {"centre"}, "agent": {"agent"}, "problem": {"夜班接听率偏低"}})
	if code != 303 || !strings.HasPrefix(loc, "/quality/rectifications/") {
		t.Fatalf("raise: %d %s", code, loc)
	}
	code, page := e.get("lead", "/quality/rectifications")
	if code != 200 || !strings.Contains(page, "夜班接听率偏低") || !strings.Contains(page, "本月整改完成率") || !strings.Contains(page, `class="due ok"`) {
		t.Errorf("list (%d)", code)
	}
	if code, _ := postForm(t, lead, e.srv.URL+loc+"/cause", url.Values{"csrf_token": {csrf}, "text": {"夜班人手不足"}}); code != 303 {
		t.Errorf("cause by the form: %d", code)
	}
	code, page = e.get("lead", loc)
	if code != 200 || !strings.Contains(page, "夜班人手不足") || !strings.Contains(page, `action="`+loc+`/plan"`) {
		t.Errorf("the rectification page (%d) after the cause", code)
	}
	if code, _ := postForm(t, lead, e.srv.URL+loc+"/carry", url.Values{"csrf_token": {csrf}, "text": {"x"}}); code != 400 {
		t.Errorf("a step out of order by the form: %d", code)
	}
}

// The scorecards page: the project manager saves a new version of the
// ticket card (points moved, pass score raised); a card not adding up to
// 100 is refused with the reason; new inspections are scored on the new
// version; an inspector reads the cards but cannot edit them.
func TestQuality_ScorecardsPage(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	pm, csrf := loggedIn(t, e, "pm")
	code, page := get(t, pm, e.srv.URL+"/quality/scorecards")
	if code != 200 || !strings.Contains(page, "工单质检评分表") || !strings.Contains(page, `name="points.0"`) {
		t.Fatalf("scorecards page (%d)", code)
	}
	cards, _ := e.db.Quality().FindScorecards(context.Background())
	var ticketCard *quality.Scorecard
	for _, c := range cards {
		if c.Target == quality.TargetTicket {
			ticketCard = c
		}
	}
	form := url.Values{"csrf_token": {csrf}, "name": {ticketCard.Name}, "target": {"ticket"}, "pass_score": {"85"}}
	for i, it := range ticketCard.Items {
		n := fmt.Sprint(i)
		points := it.Points
		switch it.Key {
		case "title":
			points = 5
		case "content":
			points = 30
		}
		form.Set("key."+n, it.Key)
		form.Set("section."+n, it.Section)
		form.Set("name."+n, it.Name)
		form.Set("points."+n, fmt.Sprint(points))
		if it.Fatal {
			form.Set("fatal."+n, "1")
		}
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("points.0", "50")
	if code, body := postForm(t, pm, e.srv.URL+"/quality/scorecards", bad); code != 400 || !strings.Contains(body, "合计应为 100 分") {
		t.Errorf("a card not adding up: %d", code)
	}
	if code, _ := postForm(t, pm, e.srv.URL+"/quality/scorecards", form); code != 303 {
		t.Fatalf("save: %d", code)
	}
	tk := e.newTicket(map[string]any{"appeal_kind": "complaint"})
	var got inspectionList
	e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", tk.ID), nil, 200, &got)
	var in quality.Inspection
	e.call("qa", "POST", fmt.Sprintf("/api/v1/inspections/%d/result", got.Items[0].ID), map[string]any{"marks": []map[string]any{{"key": "content", "points": 16}}}, 200, &in)
	if in.Score != 86 || !in.Passed || in.CardID == ticketCard.ID {
		t.Errorf("scored on the new version (content out of 30, pass at 85): %+v", in)
	}
	if _, page := e.get("qa", "/quality/scorecards"); !strings.Contains(page, "v2") || strings.Contains(page, `name="points.0"`) {
		t.Error("the inspector's view: the new version, no form")
	}
}

// The limits are the centre's settings: shorter response and plan limits
// give earlier due times.
func TestQuality_Limits(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.db.QualityLimits.Response = hotline.Limit{Value: 2, Unit: hotline.CalendarHours}
	e.db.QualityLimits.Plan = hotline.Limit{Value: 8, Unit: hotline.CalendarHours}
	r, err := e.db.Quality().RaiseRectification(context.Background(), e.actor("lead"), quality.SourceCentre, "", "测试时限")
	if err != nil {
		t.Fatal(err)
	}
	if d := r.ResponseDue.Sub(r.CreatedAt); d != 2*time.Hour {
		t.Errorf("response due after %v, want 2h", d)
	}
	if d := r.PlanDue.Sub(r.CreatedAt); d != 8*time.Hour {
		t.Errorf("plan due after %v, want 8h", d)
	}
}
