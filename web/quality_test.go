package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/jobs"
	"hotline/quality"
	"hotline/sqldb/sqldbtest"
)

// concluded walks a new ticket to concluded, as the agent accepted it.
func (e *env) concluded(extra map[string]any) hotline.Ticket {
	e.tb.Helper()
	tk := e.newTicket(extra)
	id := fmt.Sprint(tk.ID)
	for _, s := range []struct {
		who, action string
		body        any
	}{{"agent", "submit", nil}, {"dispatcher", "dispatch", map[string]any{"lead_unit_id": e.units["util-water"]}},
		{"util-water", "acknowledge", nil}, {"util-water", "reply", map[string]string{"content": "管道已修复，供水恢复"}},
		{"dispatcher", "review", map[string]any{"approve": true, "comment": "同意"}}} {
		e.call(s.who, "POST", "/api/v1/tickets/"+id+"/"+s.action, s.body, 200, nil)
	}
	return tk
}

type inspectionList struct {
	Items []quality.Inspection
	Total int
}

// Full inspection: every ticket rated 不满意 through the callback API has
// an inspection task at once; the coverage figure is 100% and drops when a
// task is deleted behind the product's back (it is computed, not stored).
func TestQuality_UnsatisfiedCoverage(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testUnsatisfiedCoverage(t, MustServerOn(t, d)) })
	}
}

func testUnsatisfiedCoverage(t *testing.T, e *env) {
	e.addUser("qa", hotline.RoleInspector, 0)
	var ids []int64
	for i, rating := range []string{"unsatisfied", "satisfied", "unsatisfied", "basically_satisfied", "unsatisfied"} {
		tk := e.concluded(nil)
		e.call("callback", "POST", fmt.Sprintf("/api/v1/tickets/%d/callback", tk.ID),
			map[string]any{"reached": true, "rating": rating, "resolved": rating != "unsatisfied", "note": fmt.Sprint("回访", i)}, 200, nil)
		if rating == "unsatisfied" {
			ids = append(ids, tk.ID)
			var got inspectionList
			e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d&reason=unsatisfied", tk.ID), nil, 200, &got)
			if got.Total != 1 || got.Items[0].Reason != quality.ReasonUnsatisfied || got.Items[0].Status != quality.StatusPending ||
				got.Items[0].Agent != "agent" || got.Items[0].InspectorID == 0 {
				t.Fatalf("the inspection of unsatisfied ticket %d right after the callback: %+v", tk.ID, got)
			}
		}
	}
	var all inspectionList
	e.call("qa", "GET", "/api/v1/inspections?reason=unsatisfied", nil, 200, &all)
	if all.Total != 3 {
		t.Errorf("%d inspections of unsatisfied tickets, want 3", all.Total)
	}
	today := time.Now().In(hotline.ChinaZone).Format("2006-01-02")
	var cov quality.Coverage
	e.call("qa", "GET", "/api/v1/quality/coverage?from="+today+"&to="+today, nil, 200, &cov)
	if cov.Due != 3 || cov.Covered != 3 || cov.Rate != 1 || len(cov.Missing) != 0 {
		t.Errorf("coverage %+v, want 3 of 3", cov)
	}
	raw, _ := sql.Open(map[bool]string{true: "pgx", false: "sqlite"}[strings.HasPrefix(e.dsn, "postgres")], e.dsn)
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM inspections WHERE ticket_id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	e.call("qa", "GET", "/api/v1/quality/coverage?from="+today+"&to="+today, nil, 200, &cov)
	if cov.Due != 3 || cov.Covered != 2 || cov.Rate != 2.0/3 || len(cov.Missing) != 1 || cov.Missing[0] != ids[1] {
		t.Errorf("coverage after a task was deleted: %+v", cov)
	}
	e.call("util-water", "GET", "/api/v1/quality/coverage?from="+today+"&to="+today, nil, 403, nil)
	e.call("util-water", "GET", "/api/v1/inspections", nil, 403, nil)
}

// An inspection's life: scored with a fatal item, the agent objects in
// time, the analyst upholds it and the score changes, with its history;
// nobody else may do these steps, and a late objection is refused.
func TestQuality_ScoreObjectDecide(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	e.addUser("ana", hotline.RoleAnalyst, 0)
	e.addUser("agent2", hotline.RoleCallAgent, 0)
	var got inspectionList
	tk := e.newTicket(map[string]any{"appeal_kind": "complaint"}) // a complaint: inspected in full
	e.call("lead", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", e.newTicket(map[string]any{"appeal_kind": "help"}).ID), nil, 200, &got)
	if got.Total != 0 {
		t.Errorf("a request for help inspected in full: %+v", got)
	}
	e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", tk.ID), nil, 200, &got)
	if got.Total != 1 || got.Items[0].Reason != quality.ReasonComplaint {
		t.Fatalf("a complaint's inspection: %+v", got)
	}
	id := fmt.Sprint(got.Items[0].ID)
	var bad apiError
	e.call("qa", "POST", "/api/v1/inspections/"+id+"/result", map[string]any{"marks": []map[string]any{{"key": "content", "points": 40}}}, 400, &bad)
	if bad.Error.Field != "marks[0].points" {
		t.Errorf("points over the item's: %+v", bad)
	}
	e.call("agent", "POST", "/api/v1/inspections/"+id+"/result", map[string]any{}, 403, nil)
	var in quality.Inspection
	e.call("qa", "POST", "/api/v1/inspections/"+id+"/result", map[string]any{"marks": []map[string]any{
		{"key": "content", "points": 15, "comment": "缺少发生时间"}, {"key": "privacy", "failed": true, "comment": "内容写明了来电人号码"}},
		"typical_case": "bad"}, 200, &in)
	if in.Status != quality.StatusScored || in.Score != 0 || !in.Fatal || in.Passed || len(in.Marks) != 8 || in.Objection == nil || in.Objection.DueAt.IsZero() {
		t.Fatalf("scored: %+v", in)
	}
	e.call("agent2", "POST", "/api/v1/inspections/"+id+"/object", map[string]any{"text": "不是我"}, 404, nil) // not its own: not there
	e.call("agent", "POST", "/api/v1/inspections/"+id+"/object", map[string]any{}, 400, &bad)
	e.call("agent", "POST", "/api/v1/inspections/"+id+"/object", map[string]any{"text": "号码是来电人要求写入的联系方式"}, 200, &in)
	if in.Status != quality.StatusObjected {
		t.Fatalf("objected: %+v", in)
	}
	e.call("qa", "POST", "/api/v1/inspections/"+id+"/result", map[string]any{}, 409, nil) // the score changes only through the decision
	e.call("lead", "POST", "/api/v1/inspections/"+id+"/decide", map[string]any{"uphold": true, "text": "x"}, 403, nil)
	e.call("ana", "POST", "/api/v1/inspections/"+id+"/decide", map[string]any{"uphold": true, "text": "来电人同意留号，不属泄露",
		"marks": []map[string]any{{"key": "content", "points": 15}}}, 200, &in)
	if in.Status != quality.StatusDecided || in.Score != 90 || in.Fatal || !in.Passed || in.Objection.ScoreBefore != 0 || !in.Objection.Upheld {
		t.Errorf("decided: %+v %+v", in, in.Objection)
	}
	if n := e.auditCount(context.Background(), "inspection.decide"); n != 1 {
		t.Errorf("%d decisions audited", n)
	}

	// Another: acknowledged; and one whose time to object has passed.
	tk2 := e.newTicket(map[string]any{"appeal_kind": "complaint"})
	e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", tk2.ID), nil, 200, &got)
	id2 := fmt.Sprint(got.Items[0].ID)
	e.call("qa", "POST", "/api/v1/inspections/"+id2+"/result", map[string]any{}, 200, &in)
	if in.Score != 100 || !in.Passed {
		t.Errorf("nothing marked: full marks, got %+v", in)
	}
	raw, _ := sql.Open("sqlite", e.dsn)
	raw.Exec(`UPDATE inspections SET objection_due_at = $1 WHERE id = $2`, time.Now().Add(-time.Minute).UnixMilli(), in.ID)
	raw.Close()
	e.call("agent", "POST", "/api/v1/inspections/"+id2+"/object", map[string]any{"text": "迟到的申诉"}, 409, nil)
	e.call("agent", "POST", "/api/v1/inspections/"+id2+"/acknowledge", nil, 200, &in)
	if in.Status != quality.StatusAcknowledged {
		t.Errorf("acknowledged: %+v", in)
	}
	var mine inspectionList
	e.call("agent", "GET", "/api/v1/inspections", nil, 200, &mine)
	e.call("agent2", "GET", "/api/v1/inspections", nil, 200, &got)
	if mine.Total != 2 || got.Total != 0 {
		t.Errorf("own inspections: agent %d, agent2 %d", mine.Total, got.Total)
	}
}

// The pages: the list with the coverage tile, a task beside its ticket,
// scored through the form (unchanged items full marks, a fatal item),
// then on to the next task; the agent sees its own and objects.
func TestQuality_Pages(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	first := e.newTicket(map[string]any{"appeal_kind": "complaint", "title": "投诉窗口态度"})
	e.newTicket(map[string]any{"appeal_kind": "complaint", "title": "第二件投诉"})
	code, page := e.get("qa", "/quality")
	if code != 200 || strings.Count(page, `href="/quality/inspections/`) != 2 || !strings.Contains(page, "本月不满意工单质检覆盖率") {
		t.Fatalf("list (%d)", code)
	}
	var got inspectionList
	e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", first.ID), nil, 200, &got)
	id := got.Items[0].ID
	code, page = e.get("qa", fmt.Sprintf("/quality/inspections/%d", id))
	if code != 200 || !strings.Contains(page, "投诉窗口态度") || !strings.Contains(page, `name="points.content"`) || !strings.Contains(page, `name="failed.privacy"`) {
		t.Fatalf("inspection page (%d)", code)
	}
	qa, qaCSRF := loggedIn(t, e, "qa")
	form := url.Values{"csrf_token": {qaCSRF}, "points.content": {"20"}, "comment.content": {"缺地点"}, "typical_case": {"bad"}}
	code, loc := postForm(t, qa, e.srv.URL+fmt.Sprintf("/quality/inspections/%d/score", id), form)
	if code != 303 || !strings.Contains(loc, "/quality/inspections/") || strings.Contains(loc, fmt.Sprintf("/inspections/%d?", id)) {
		t.Errorf("scored: %d → %s (want the next task)", code, loc)
	}
	in, err := e.db.Quality().FindInspection(context.Background(), e.actor("qa"), id)
	if err != nil || in.Score != 95 || !in.Passed || in.TypicalCase != "bad" || in.Status != quality.StatusScored {
		t.Errorf("after the form: %+v %v", in, err)
	}
	code, _ = postForm(t, qa, e.srv.URL+fmt.Sprintf("/quality/inspections/%d/score", id), url.Values{"csrf_token": {qaCSRF}, "failed.privacy": {"1"}})
	if in, _ := e.db.Quality().FindInspection(context.Background(), e.actor("qa"), id); code != 303 || !in.Fatal || in.Score != 0 {
		t.Errorf("a fatal item by the form: %d %+v", code, in)
	}
	if code, page := e.get("agent", "/quality"); code != 200 || !strings.Contains(page, "我的质检") {
		t.Errorf("the agent's own list (%d)", code)
	}
	agent, agentCSRF := loggedIn(t, e, "agent")
	code, _ = postForm(t, agent, e.srv.URL+fmt.Sprintf("/quality/inspections/%d/object", id), url.Values{"csrf_token": {agentCSRF}, "text": {"号码是来电人要求写的"}})
	if in, _ := e.db.Quality().FindInspection(context.Background(), e.actor("qa"), id); code != 303 || in.Status != quality.StatusObjected {
		t.Errorf("the agent's objection by the form: %d %+v", code, in)
	}
	if code, _ := e.get("util-water", fmt.Sprintf("/quality/inspections/%d", id)); code != 404 {
		t.Errorf("a unit opens an inspection: %d", code)
	}
}

// simulatedCalls stores n answered calls of each agent on 2026-11-23
// (a Monday), the k-th talking 100 + 10·k seconds.
func simulatedCalls(t *testing.T, e *env, perAgent map[string]int) {
	t.Helper()
	var evs []hotline.CallEvent
	day := time.Date(2026, 11, 23, 8, 0, 0, 0, hotline.ChinaZone)
	for agent, n := range perAgent {
		for k := 0; k < n; k++ {
			id := fmt.Sprintf("s-%s-%03d", agent, k)
			at := day.Add(time.Duration(k) * 7 * time.Minute)
			evs = append(evs, hotline.CallEvent{CallID: id, Event: hotline.CallOffered, At: at, Caller: "13907990001"},
				hotline.CallEvent{CallID: id, Event: hotline.CallAnswered, At: at.Add(5 * time.Second), Agent: agent},
				hotline.CallEvent{CallID: id, Event: hotline.CallEnded, At: at.Add(time.Duration(105+10*k) * time.Second)})
		}
	}
	for len(evs) > 0 {
		k := min(len(evs), 999)
		if _, err := e.db.IngestCallEvents(context.Background(), "cdr", evs[:k]); err != nil {
			t.Fatal(err)
		}
		evs = evs[k:]
	}
}

// Sampling: the share of each agent's calls (10% of 100, 40 and 20 is 10,
// 4 and 2), reproducible — another database with the same calls and seed
// draws the same calls —, recorded, never the same call twice; a talk-time
// rule draws only long calls.
func TestQuality_Sampling(t *testing.T) {
	draws := map[string][]string{}
	for _, db := range []string{"first", "second"} {
		e := MustServerOn(t, "sqlite")
		e.addUser("qa", hotline.RoleInspector, 0)
		e.addUser("agent2", hotline.RoleCallAgent, 0)
		e.addUser("agent3", hotline.RoleCallAgent, 0)
		simulatedCalls(t, e, map[string]int{"agent": 100, "agent2": 40, "agent3": 20})
		rule := map[string]any{"target": "call", "from": "2026-11-23", "to": "2026-11-29", "share": 0.1, "seed": 7}
		var s struct {
			ID, Candidates, Drawn int
			PerAgent              map[string]int `json:"per_agent"`
		}
		e.call("agent", "POST", "/api/v1/quality/samples", rule, 403, nil)
		e.call("qa", "POST", "/api/v1/quality/samples", rule, 201, &s)
		if s.Candidates != 160 || s.Drawn != 16 || s.PerAgent["agent"] != 10 || s.PerAgent["agent2"] != 4 || s.PerAgent["agent3"] != 2 {
			t.Fatalf("draw %+v", s)
		}
		var got inspectionList
		e.call("qa", "GET", "/api/v1/inspections?reason=sampled&page_size=200", nil, 200, &got)
		for _, in := range got.Items {
			draws[db] = append(draws[db], in.CallID)
		}
		// Again over the same week: what was drawn is not drawn again.
		e.call("qa", "POST", "/api/v1/quality/samples", rule, 201, &s)
		if s.Candidates != 144 {
			t.Errorf("the second draw had %d candidates, want 144", s.Candidates)
		}
		// Long calls only: talk ≥ 600 s are the agent's calls 50–99.
		e.call("qa", "POST", "/api/v1/quality/samples", map[string]any{"target": "call", "from": "2026-11-23", "to": "2026-11-29",
			"min_talk_seconds": 600, "agent": "agent", "share": 1}, 201, &s)
		e.call("qa", "GET", "/api/v1/inspections?reason=sampled&agent=agent&page_size=200", nil, 200, &got)
		long := 0
		for _, in := range got.Items {
			var k int
			fmt.Sscanf(in.CallID, "s-agent-%d", &k)
			if k >= 50 {
				long++
			}
		}
		if s.PerAgent["agent"] != s.Drawn || long < s.Drawn {
			t.Errorf("the talk-time rule drew %+v, %d long among the agent's", s, long)
		}
		var bad apiError
		e.call("qa", "POST", "/api/v1/quality/samples", map[string]any{"target": "mail", "from": "2026-11-23", "to": "2026-11-29"}, 400, &bad)
		if bad.Error.Field != "target" {
			t.Errorf("a bad target: %+v", bad)
		}
	}
	a, b := strings.Join(draws["first"], ","), strings.Join(draws["second"], ",")
	if a != b || a == "" {
		t.Errorf("the same calls and seed drew differently:\n%s\n%s", a, b)
	}
}

// Live monitoring: an inspector marks seats as monitored and records the
// findings; the day's figure counts distinct seats against the target of
// 5, red on the home page below it; a call agent cannot monitor.
func TestQuality_LiveMonitoring(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	var ids []int64
	for i := 2; i <= 6; i++ {
		name := fmt.Sprintf("agent%d", i)
		e.addUser(name, hotline.RoleCallAgent, 0)
		ids = append(ids, e.actor(name).UserID)
	}
	var m quality.Monitoring
	e.call("agent", "POST", "/api/v1/quality/live-monitoring", map[string]any{"agent_id": ids[0]}, 403, nil)
	e.call("qa", "POST", "/api/v1/quality/live-monitoring", map[string]any{"agent_id": e.actor("qa").UserID}, 400, nil) // not a call agent
	for i, id := range ids[:4] {
		e.call("qa", "POST", "/api/v1/quality/live-monitoring", map[string]any{"agent_id": id}, 201, &m)
		e.call("qa", "POST", fmt.Sprintf("/api/v1/quality/live-monitoring/%d/end", m.ID), map[string]any{"findings": fmt.Sprint("第", i, "次：用语规范")}, 200, &m)
		if m.EndedAt == nil || m.Findings == "" || m.Agent == "" {
			t.Fatalf("ended: %+v", m)
		}
	}
	e.call("qa", "POST", "/api/v1/quality/live-monitoring", map[string]any{"agent_id": ids[0]}, 201, &m) // the same seat again
	var day quality.LiveDay
	e.call("qa", "GET", "/api/v1/quality/live-monitoring", nil, 200, &day)
	if day.Seats != 4 || day.Met || len(day.Sessions) != 5 || day.Target != 5 {
		t.Errorf("four seats: %+v", day)
	}
	if _, page := e.get("qa", "/"); !strings.Contains(page, "今日实时监控坐席") || !strings.Contains(page, "overdue") {
		t.Error("the home page does not show the shortfall")
	}
	e.call("qa", "POST", "/api/v1/quality/live-monitoring", map[string]any{"agent_id": ids[4]}, 201, &m) // ends the open one
	e.call("qa", "GET", "/api/v1/quality/live-monitoring?date="+time.Now().In(hotline.ChinaZone).Format("2006-01-02"), nil, 200, &day)
	if day.Seats != 5 || !day.Met || day.Sessions[4].EndedAt == nil {
		t.Errorf("five seats: %+v", day)
	}
	if code, page := e.get("qa", "/calls/wall"); code != 200 || !strings.Contains(page, "正在实时监控 agent6") {
		t.Errorf("the wall shows the open monitoring (%d)", code)
	}
	e.call("util-water", "GET", "/api/v1/quality/live-monitoring", nil, 403, nil)
}

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

// The month's figures: the team's and each agent's scores and passes,
// fatal items, objections, full and sampled tasks, the coverage, live
// monitoring per day, and a six months' trend — computed from the tasks.
func TestQuality_Figures(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	e.addUser("agent2", hotline.RoleCallAgent, 0)
	simulatedCalls(t, e, map[string]int{"agent": 40, "agent2": 20})
	e.call("qa", "POST", "/api/v1/quality/samples", map[string]any{"target": "call", "from": "2026-11-23", "to": "2026-11-29", "share": 0.1}, 201, nil)
	var got inspectionList
	for _, marks := range [][]map[string]any{{}, {{"key": "content", "points": 0}}, {{"key": "privacy", "failed": true}}} {
		tk := e.newTicket(map[string]any{"appeal_kind": "complaint"})
		e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", tk.ID), nil, 200, &got)
		e.call("qa", "POST", fmt.Sprintf("/api/v1/inspections/%d/result", got.Items[0].ID), map[string]any{"marks": marks}, 200, nil)
	}
	e.call("agent", "POST", fmt.Sprintf("/api/v1/inspections/%d/object", got.Items[0].ID), map[string]any{"text": "不是我写的号码"}, 200, nil)
	var f quality.Figures
	e.call("agent", "GET", "/api/v1/quality/figures", nil, 403, nil)
	e.call("qa", "GET", "/api/v1/quality/figures?month=13-2026", nil, 400, nil)
	e.call("qa", "GET", "/api/v1/quality/figures", nil, 200, &f)
	// 100, 75 and 0 (fatal): average 58.3, one of three passes.
	if f.Team.Scored != 3 || f.Team.Passed != 1 || f.Team.Fatal != 1 || f.Team.Objections != 1 || f.Team.Full != 3 || f.Team.Sampled != 6 ||
		f.Team.AvgScore < 58.3 || f.Team.AvgScore > 58.4 || len(f.Trend) != 6 || f.Trend[5].Scored != 3 || len(f.Live) == 0 {
		t.Errorf("figures %+v", f)
	}
	if len(f.Agents) != 2 || f.Agents[0].Agent != "agent" || f.Agents[0].Name == "" || f.Agents[0].Sampled != 4 || f.Agents[1].Sampled != 2 {
		t.Errorf("per agent %+v", f.Agents)
	}
}

// The reply quality check on the ticket page: a unit's short reply waiting
// for the centre's review carries the check's reasons; the unit does not
// see them.
func TestQuality_ReplyFlags(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	tk := e.newTicket(map[string]any{"submit": true, "appeal_kind": "complaint", "title": "凤凰街噪音扰民"})
	id := fmt.Sprint(tk.ID)
	e.call("dispatcher", "POST", "/api/v1/tickets/"+id+"/dispatch", map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	e.call("util-water", "POST", "/api/v1/tickets/"+id+"/acknowledge", nil, 200, nil)
	e.call("util-water", "POST", "/api/v1/tickets/"+id+"/reply", map[string]string{"content": "您好，请拨打0799-6888888咨询。"}, 200, nil)
	code, page := e.get("dispatcher", "/tickets/"+id)
	if code != 200 || !strings.Contains(page, "答复质量提示") || !strings.Contains(page, "答复过短") || !strings.Contains(page, "只让市民自行拨打电话") {
		t.Errorf("the reviewer's page (%d) lacks the reply check", code)
	}
	if _, page := e.get("util-water", "/tickets/"+id); strings.Contains(page, "答复质量提示") {
		t.Error("the unit sees the centre's check")
	}
}

// The weekly draw: on schedule, last week's default share of each
// agent's answered calls, once however often it is checked.
func TestQuality_WeeklySample(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	e.addUser("agent2", hotline.RoleCallAgent, 0)
	simulatedCalls(t, e, map[string]int{"agent": 100, "agent2": 40})
	e.db.Now = func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, hotline.ChinaZone) } // Tuesday: the week of 23 November is last week
	defer func() { e.db.Now = time.Now }()
	job := &jobs.WeeklySampler{DB: e.db, Logger: slog.New(slog.DiscardHandler)}
	s, err := job.Check(context.Background())
	if err != nil || s == nil || s.Candidates != 140 || s.PerAgent["agent"] != 5 || s.PerAgent["agent2"] != 2 {
		t.Fatalf("the weekly draw: %+v %v", s, err)
	}
	if again, err := job.Check(context.Background()); err != nil || again != nil {
		t.Errorf("a second check drew again: %+v %v", again, err)
	}
	if from, to := quality.LastWeek(e.db.Now()); from.Format("2006-01-02 Mon") != "2026-11-23 Mon" || to.Sub(from) != 7*24*time.Hour {
		t.Errorf("last week: %v – %v", from, to)
	}
}

// The figures page shows the API's figures with their definitions.
func TestQuality_FiguresPage(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	tk := e.newTicket(map[string]any{"appeal_kind": "complaint"})
	var got inspectionList
	e.call("qa", "GET", fmt.Sprintf("/api/v1/inspections?ticket_id=%d", tk.ID), nil, 200, &got)
	e.call("qa", "POST", fmt.Sprintf("/api/v1/inspections/%d/result", got.Items[0].ID), map[string]any{"marks": []map[string]any{{"key": "content", "points": 15}}}, 200, nil)
	code, page := e.get("qa", "/quality/figures")
	if code != 200 || !strings.Contains(page, "<b>90.0</b>") || !strings.Contains(page, "近六个月") || !strings.Contains(page, "覆盖率 = ") {
		t.Errorf("figures page (%d)", code)
	}
	if code, _ := e.get("qa", "/quality/figures?month=2026-13"); code != 400 {
		t.Errorf("a bad month: %d", code)
	}
	if code, _ := e.get("agent", "/quality/figures"); code != 403 {
		t.Errorf("an agent's figures page: %d", code)
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

// The list page's sampling form draws by its rule, as the API does.
func TestQuality_SampleForm(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	simulatedCalls(t, e, map[string]int{"agent": 100})
	qa, csrf := loggedIn(t, e, "qa")
	if _, page := get(t, qa, e.srv.URL+"/quality"); !strings.Contains(page, `action="/quality/samples"`) {
		t.Fatal("no sampling form")
	}
	code, loc := postForm(t, qa, e.srv.URL+"/quality/samples", url.Values{"csrf_token": {csrf}, "target": {"call"}, "from": {"2026-11-23"},
		"to": {"2026-11-29"}, "share_percent": {"10"}, "min_talk_seconds": {"0"}})
	if code != 303 || !strings.Contains(loc, "drawn=10") {
		t.Errorf("the form's draw: %d %s", code, loc)
	}
	if _, page := get(t, qa, e.srv.URL+loc); !strings.Contains(page, "已抽取 10 个质检任务") {
		t.Error("the list does not say what was drawn")
	}
}

// The other full inspections: a reopened ticket, and every finished call
// of an agent in the first month (not calls from before the account, nor
// after the month).
func TestQuality_FullReopenedAndNewAgent(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	e.addUser("qa", hotline.RoleInspector, 0)
	tk := e.concluded(map[string]any{"appeal_kind": "help"})
	id := fmt.Sprint(tk.ID)
	e.call("callback", "POST", "/api/v1/tickets/"+id+"/callback", map[string]any{"reached": true, "rating": "unsatisfied", "resolved": false, "note": "仍未修好"}, 200, nil)
	e.call("dispatcher", "POST", "/api/v1/tickets/"+id+"/reopen", map[string]any{"reason": "市民反映仍未修好"}, 200, nil)
	var got inspectionList
	e.call("qa", "GET", "/api/v1/inspections?ticket_id="+id+"&reason=reopened", nil, 200, &got)
	if got.Total != 1 {
		t.Errorf("a reopened ticket's inspection: %+v", got)
	}
	e.db.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) }
	e.addUser("rookie", hotline.RoleCallAgent, 0) // joined two hours ago
	e.db.Now = time.Now
	now := time.Now()
	var evs []hotline.CallEvent
	for i, at := range []time.Time{now.Add(-time.Hour), now.Add(-10 * 24 * time.Hour)} { // after joining; before the account existed
		ref := fmt.Sprintf("n-%d", i)
		evs = append(evs, hotline.CallEvent{CallID: ref, Event: hotline.CallOffered, At: at},
			hotline.CallEvent{CallID: ref, Event: hotline.CallAnswered, At: at.Add(5 * time.Second), Agent: "rookie"},
			hotline.CallEvent{CallID: ref, Event: hotline.CallEnded, At: at.Add(300 * time.Second)})
	}
	if _, err := e.db.IngestCallEvents(context.Background(), "cdr", evs); err != nil {
		t.Fatal(err)
	}
	e.call("qa", "GET", "/api/v1/inspections?reason=new_agent", nil, 200, &got)
	if got.Total != 1 || got.Items[0].CallID != "n-0" || got.Items[0].Agent != "rookie" {
		t.Errorf("the new agent's calls inspected: %+v", got)
	}
	if _, err := e.db.IngestCallEvents(context.Background(), "cdr", evs); err != nil { // repeated: no second task
		t.Fatal(err)
	}
	e.call("qa", "GET", "/api/v1/inspections?reason=new_agent", nil, 200, &got)
	if got.Total != 1 {
		t.Errorf("a repeated call gave %d tasks", got.Total)
	}
}
