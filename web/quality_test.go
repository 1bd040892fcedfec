package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"hotline"
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
