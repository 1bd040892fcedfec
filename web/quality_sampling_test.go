package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/jobs"
	"hotline/quality"
)

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
