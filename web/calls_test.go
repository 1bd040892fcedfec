package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// ctiKey makes an integration key for call events and returns it.
func (e *env) ctiKey() string {
	e.tb.Helper()
	_, key, err := e.db.AddAPIKey(context.Background(), sqldb.SystemActor, "pbx", sqldb.ScopeCTI)
	if err != nil {
		e.tb.Fatal(err)
	}
	return key
}

// postEvents posts call events with an integration key.
func (e *env) postEvents(key string, body any) (int, map[string]any) {
	e.tb.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/cti/events", bytes.NewReader(raw))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

func ev(id, kind, at string, extra ...string) map[string]any {
	m := map[string]any{"call_id": id, "event": kind, "at": "2026-11-30T" + at + "+08:00", "caller": "13907990001", "callee": "12345", "queue": "12345"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// The webhook over hand-built sequences — out of order, repeated,
// abandoned, abandoned at once, still talking — and the statistics worked
// out by hand; a bad batch changes nothing; keys are checked.
func TestAPI_CallEvents(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testCallEvents(t, MustServerOn(t, d)) })
	}
}

func testCallEvents(t *testing.T, e *env) {
	ctx := context.Background()
	e.addUser("agent2", hotline.RoleCallAgent, 0)
	k, key, err := e.db.AddAPIKey(ctx, sqldb.SystemActor, "pbx", sqldb.ScopeCTI)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := e.postEvents("", ev("x", "offered", "08:00:00")); code != 401 {
		t.Errorf("no key: %d", code)
	}
	if code, _ := e.postEvents(e.tokens["admin"], ev("x", "offered", "08:00:00")); code != 401 {
		t.Errorf("a user's token instead of an integration key: %d", code)
	}
	// A: answered in 10 s, 300 s talk. B: answered in 20 s, 400 s talk,
	// its events arriving ended-first and twice. C: gone after 3 s (short
	// abandon). D: gone after 40 s. E: answered in 5 s, still talking.
	code, out := e.postEvents(key, []any{
		ev("A", "offered", "09:00:00"), ev("A", "answered", "09:00:10", "agent", "agent"), ev("A", "ended", "09:05:10", "recording", "/rec/A.wav"),
		ev("B", "ended", "09:08:00"), ev("C", "offered", "09:02:00"), ev("C", "ended", "09:02:03"),
	})
	if code != 200 || out["accepted"] != 6.0 || out["duplicates"] != 0.0 {
		t.Fatalf("first batch: %d %v", code, out)
	}
	code, out = e.postEvents(key, []any{
		ev("B", "answered", "09:01:20", "agent", "agent"), ev("B", "offered", "09:01:00"), ev("B", "ended", "09:08:00"), // the end again
		ev("D", "offered", "09:03:00"), ev("D", "ended", "09:03:40"),
		ev("E", "offered", "09:04:00"), ev("E", "answered", "09:04:05", "agent", "agent2"),
		ev("F", "offered", "09:00:00", "at", "2026-11-10T09:00:00+08:00"), // another day
	})
	if code != 200 || out["accepted"] != 7.0 || out["duplicates"] != 1.0 {
		t.Fatalf("second batch: %d %v", code, out)
	}
	if code, out := e.postEvents(key, ev("A", "answered", "09:00:11", "agent", "agent2")); code != 200 || out["duplicates"] != 1.0 {
		t.Errorf("a repeated answer: %d %v", code, out)
	}
	// Bad input: which field, and nothing stored.
	for _, bad := range []struct {
		body  any
		field string
	}{
		{[]any{ev("G", "offered", "09:09:00"), map[string]any{"call_id": "G", "event": "ended", "at": "yesterday"}}, "[1].at"},
		{[]any{ev("G", "offered", "09:09:00"), ev("G", "hung_up", "09:09:30")}, "[1].event"},
		{ev("G", "answered", "09:09:10"), "agent"},
		{map[string]any{"event": "offered", "at": "2026-11-30T09:09:00+08:00"}, "call_id"},
		{map[string]any{"call_id": "G", "event": "offered", "at": "2026-11-30T09:09:00+08:00", "colour": "red"}, "colour"},
	} {
		code, out := e.postEvents(key, bad.body)
		errObj, _ := out["error"].(map[string]any)
		if code != 400 || errObj["field"] != bad.field {
			t.Errorf("bad events %v: %d %v, want 400 naming %s", bad.body, code, out, bad.field)
		}
	}
	type stats struct {
		Offered, Answered, Abandoned int
		ShortAbandons                int     `json:"short_abandons"`
		AnswerRate                   float64 `json:"answer_rate"`
		ServiceLevel                 float64 `json:"service_level_15s"`
		AvgWait                      float64 `json:"avg_wait_seconds"`
		AvgTalk                      float64 `json:"avg_talk_seconds"`
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	var day stats
	raw0 := e.call("lead", "GET", "/api/v1/calls/stats?from=2026-11-30&to=2026-11-30", nil, 200, &day)
	var fields map[string]any
	json.Unmarshal(raw0, &fields)
	if len(fields) != 7 {
		t.Errorf("the stats answer has %d fields, want exactly the issue's 7: %v", len(fields), fields)
	}
	full, err := e.db.FindCallStats(ctx, hotline.Actor{Role: hotline.RoleTeamLead}, sqldb.CallFilter{From: time.Date(2026, 11, 30, 0, 0, 0, 0, hotline.ChinaZone),
		To: time.Date(2026, 12, 1, 0, 0, 0, 0, hotline.ChinaZone)})
	if err != nil {
		t.Fatal(err)
	}
	day.ShortAbandons = full.ShortAbandons
	// By hand: offered A–E = 5; answered A, B, E = 3; abandoned C, D = 2,
	// C short; within 15 s A (10) and E (5): 2/5; waits 10, 20, 5 → 35/3;
	// talk over the ended A and B: (300 + 400) / 2.
	if day.Offered != 5 || day.Answered != 3 || day.Abandoned != 2 || day.ShortAbandons != 1 || !near(day.AnswerRate, 0.6) ||
		!near(day.ServiceLevel, 0.4) || !near(day.AvgWait, 35.0/3) || !near(day.AvgTalk, 350) {
		t.Errorf("the day's figures %+v", day)
	}
	var mine stats
	e.call("lead", "GET", "/api/v1/calls/stats?from=2026-11-30T00:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00&agent=agent", nil, 200, &mine)
	if mine.Offered != 2 || mine.Answered != 2 || !near(mine.ServiceLevel, 0.5) || !near(mine.AvgWait, 15) || !near(mine.AvgTalk, 350) {
		t.Errorf("agent's figures %+v", mine)
	}
	// An agent sees its own figures, not another's nor the centre's.
	e.call("agent", "GET", "/api/v1/calls/stats?from=2026-11-30&to=2026-11-30&agent=agent", nil, 200, &mine)
	e.call("agent", "GET", "/api/v1/calls/stats?from=2026-11-30&to=2026-11-30&agent=agent2", nil, 403, nil)
	e.call("agent", "GET", "/api/v1/calls/stats?from=2026-11-30&to=2026-11-30", nil, 403, nil)
	e.call("util-water", "GET", "/api/v1/calls/stats?from=2026-11-30&to=2026-11-30", nil, 403, nil)
	e.call("lead", "GET", "/api/v1/calls/stats?from=2026-12-01&to=2026-11-30", nil, 400, nil)
	// The ticket accepted on call A is linked to it (afterwards, here);
	// the centre sees the call with the caller masked, a unit not at all.
	tk := e.newTicket(map[string]any{"submit": true})
	var bad apiError
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/calls", tk.ID), map[string]string{"call_id": "nope"}, 400, &bad)
	if bad.Error.Field != "call_id" {
		t.Errorf("an unknown call: %+v", bad)
	}
	e.call("util-water", "POST", fmt.Sprintf("/api/v1/tickets/%d/calls", tk.ID), map[string]string{"call_id": "A"}, 403, nil)
	var linked hotline.Ticket
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/calls", tk.ID), map[string]string{"call_id": "A"}, 200, &linked)
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/calls", tk.ID), map[string]string{"call_id": "A"}, 200, &linked) // again: no change
	if len(linked.Calls) != 1 || linked.Calls[0].Caller != "139****0001" || linked.Calls[0].Talk != 300 || linked.Calls[0].Outcome != hotline.CallAnsweredOK ||
		linked.Events[len(linked.Events)-1].Action != hotline.ActionLinkCall || linked.Events[len(linked.Events)-2].Action == hotline.ActionLinkCall {
		t.Errorf("linked ticket: calls %+v", linked.Calls)
	}
	e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	var unitView hotline.Ticket
	e.call("util-water", "GET", fmt.Sprintf("/api/v1/tickets/%d", tk.ID), nil, 200, &unitView)
	if len(unitView.Calls) != 0 {
		t.Errorf("a unit sees the centre's calls: %+v", unitView.Calls)
	}
	// The page: the same figures, per agent and per half hour.
	code, page := e.get("lead", "/calls?from=2026-11-30&to=2026-11-30")
	for _, want := range []string{"<b>5</b>", "60.0%", "40.0%", "<td>agent</td><td>2</td>", "<td>agent2</td><td>1</td>", "<td>09:00</td><td>5</td><td>3</td><td>2</td>"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("call statistics page (%d) lacks %q", code, want)
		}
	}
	code, page = e.get("agent", "/calls?from=2026-11-30&to=2026-11-30")
	if code != 200 || !strings.Contains(page, "我的话务") || strings.Contains(page, "agent2") || !strings.Contains(page, "<b>2</b>") {
		t.Errorf("an agent's own page (%d)", code)
	}
	if code, _ := e.get("util-water", "/calls"); code != 403 {
		t.Errorf("a unit's call statistics page: %d", code)
	}
	// One call's page: the record, the events as received, the ticket
	// accepted on it; the list of the period's calls links to it.
	code, page = e.get("lead", "/calls/A")
	for _, want := range []string{"139****0001", "话务平台推送", tk.Number, "进入队列", "300 秒", "录音在话务平台：/rec/A.wav"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("call page (%d) lacks %q", code, want)
		}
	}
	for who, want := range map[string]int{"agent": 200, "agent2": 404, "util-water": 404, "dispatcher": 404} {
		if code, _ := e.get(who, "/calls/A"); code != want {
			t.Errorf("%s opens call A's page: %d, want %d", who, code, want)
		}
	}
	code, page = e.get("lead", "/calls?from=2026-11-30&to=2026-11-30&outcome=short_abandon")
	if code != 200 || !strings.Contains(page, `href="/calls/C"`) || strings.Contains(page, `href="/calls/A"`) || !strings.Contains(page, "共 1 个") {
		t.Errorf("the list of short abandons (%d)", code)
	}
	if code, _ := e.get("lead", "/calls?from=2026-11-30&to=2026-11-30&outcome=lost"); code != 400 {
		t.Errorf("a bad outcome: %d", code)
	}
	// Missed-call callback: D (40 s, a number) waits, C (3 s) does not.
	if code, page := e.get("agent", "/calls/missed"); code != 200 || strings.Count(page, "/callback\"") != 1 || !strings.Contains(page, "139****0001") {
		t.Errorf("missed calls page (%d): want D alone, masked", code)
	}
	var dID int64
	raw1, _ := sql.Open(map[bool]string{true: "pgx", false: "sqlite"}[strings.HasPrefix(e.dsn, "postgres")], e.dsn)
	raw1.QueryRow(`SELECT id FROM calls WHERE call_id = 'D'`).Scan(&dID)
	raw1.Close()
	before := e.auditCount(ctx, "call.reveal")
	if n, err := e.db.RevealCaller(ctx, e.actor("agent"), dID); err != nil || n != "13907990001" || e.auditCount(ctx, "call.reveal") != before+1 {
		t.Errorf("reveal to call back: %q %v", n, err)
	}
	if _, err := e.db.RevealCaller(ctx, e.actor("dispatcher"), dID); hotline.ErrorCode(err) != hotline.EForbidden {
		t.Errorf("a dispatcher revealed a caller: %v", err)
	}
	if err := e.db.RecordCallback(ctx, e.actor("agent"), dID, "maybe", ""); hotline.ErrorField(err) != "result" {
		t.Errorf("a bad result: %v", err)
	}
	if err := e.db.RecordCallback(ctx, e.actor("agent"), dID, hotline.CallbackNoAnswer, "无人接听"); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := e.db.FindMissedCalls(ctx, e.actor("agent"), 1, 20); n != 1 {
		t.Errorf("not reached: %d waiting, want it still there", n)
	}
	if err := e.db.RecordCallback(ctx, e.actor("agent"), dID, hotline.CallbackReached, "已告知停水原因"); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := e.db.FindMissedCalls(ctx, e.actor("agent"), 1, 20); n != 0 {
		t.Errorf("reached: %d still waiting", n)
	}
	after, _ := e.db.FindCallStats(ctx, hotline.Actor{Role: hotline.RoleTeamLead}, sqldb.CallFilter{From: time.Date(2026, 11, 30, 0, 0, 0, 0, hotline.ChinaZone),
		To: time.Date(2026, 12, 1, 0, 0, 0, 0, hotline.ChinaZone)})
	if after.Missed != 1 || after.CalledBackInTime != 0 { // called back today, a day after the call
		t.Errorf("callback figures %+v", after)
	}
	// The caller's number is sealed.
	raw, err := sql.Open(map[bool]string{true: "pgx", false: "sqlite"}[strings.HasPrefix(e.dsn, "postgres")], e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var phones string
	raw.QueryRow(`SELECT COALESCE(MIN(caller_phone), '') || COALESCE(MAX(caller_phone), '') FROM calls`).Scan(&phones)
	if phones == "" || strings.Contains(phones, "13907990001") {
		t.Errorf("calls.caller_phone holds %q", phones)
	}
	// A revoked key is refused at once.
	if err := e.db.RevokeAPIKey(ctx, sqldb.SystemActor, k.ID); err != nil {
		t.Fatal(err)
	}
	if code, _ := e.postEvents(key, ev("H", "offered", "10:00:00")); code != 401 {
		t.Errorf("revoked key: %d", code)
	}
}

// actor is a test user as the domain's actor.
func (e *env) actor(name string) hotline.Actor {
	e.tb.Helper()
	u, err := e.db.FindUserByUsername(context.Background(), name)
	if err != nil {
		e.tb.Fatal(err)
	}
	return hotline.ActorOf(u)
}

// Seat status and the team lead's wall: an agent's own status, busy while
// on a call, the calls waiting in the queue.
func TestAPI_SeatWall(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testSeatWall(t, MustServerOn(t, d)) })
	}
}

func testSeatWall(t *testing.T, e *env) {
	ctx := context.Background()
	e.addUser("agent2", hotline.RoleCallAgent, 0)
	key := e.ctiKey()
	if err := e.db.SetSeat(ctx, e.actor("agent"), "lunch"); hotline.ErrorField(err) != "status" {
		t.Errorf("a bad status: %v", err)
	}
	if err := e.db.SetSeat(ctx, e.actor("agent"), hotline.SeatBusy); hotline.ErrorField(err) != "status" {
		t.Errorf("busy set by hand: %v", err)
	}
	if err := e.db.SetSeat(ctx, e.actor("dispatcher"), hotline.SeatReady); hotline.ErrorCode(err) != hotline.EForbidden {
		t.Errorf("a dispatcher's seat: %v", err)
	}
	if err := e.db.SetSeat(ctx, e.actor("agent"), hotline.SeatBreak); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetSeat(ctx, e.actor("agent2"), hotline.SeatReady); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	if code, out := e.postEvents(key, []any{
		map[string]any{"call_id": "w1", "event": "offered", "at": at(-90 * time.Second), "caller": "13907990001"},
		map[string]any{"call_id": "w1", "event": "answered", "at": at(-80 * time.Second), "agent": "agent2"},
		map[string]any{"call_id": "w2", "event": "offered", "at": at(-40 * time.Second), "caller": "13907990002"},
	}); code != 200 {
		t.Fatalf("events: %d %v", code, out)
	}
	seats, q, err := e.db.FindSeats(ctx, e.actor("lead"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]hotline.SeatStatus{}
	for _, s := range seats {
		got[s.Username] = s.Status
	}
	if got["agent"] != hotline.SeatBreak || got["agent2"] != hotline.SeatBusy || q.Waiting != 1 || q.OldestSince == nil {
		t.Errorf("wall %v, queue %+v", got, q)
	}
	code, page := e.get("lead", "/calls/wall")
	if code != 200 || !strings.Contains(page, "seat-busy") || !strings.Contains(page, "小休") || !strings.Contains(page, "<b class=\"overdue\">1</b>") {
		t.Errorf("the wall page (%d)", code)
	}
	if code, _ := e.get("agent", "/calls/wall"); code != 403 {
		t.Errorf("an agent's wall: %d", code)
	}
	if code, page := e.get("agent", "/"); code != 200 || !strings.Contains(page, `<option value="break" selected>`) {
		t.Errorf("the agent's header does not show its status (%d)", code)
	}
	// The call ends: the agent is no longer busy, and it counts today.
	if code, _ := e.postEvents(key, map[string]any{"call_id": "w1", "event": "ended", "at": at(0)}); code != 200 {
		t.Fatal(code)
	}
	seats, _, _ = e.db.FindSeats(ctx, e.actor("lead"))
	for _, s := range seats {
		d := now.In(hotline.ChinaZone)
		sinceMidnight := now.Sub(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, hotline.ChinaZone))
		if s.Username == "agent2" && (s.Status != hotline.SeatReady || (s.CallsToday != 1 && sinceMidnight > 2*time.Minute)) {
			t.Errorf("agent2 after the call: %+v", s)
		}
	}
}

// Calls by calendar month, China time: a call at 23:50 on 31 October and
// one ten minutes past midnight fall in two months.
func TestCalls_ByMonth(t *testing.T) {
	e := MustServerOn(t, "sqlite")
	key := e.ctiKey()
	if code, out := e.postEvents(key, []any{
		map[string]any{"call_id": "m1", "event": "offered", "at": "2026-10-31T23:50:00+08:00", "caller": "13907990001"},
		map[string]any{"call_id": "m1", "event": "ended", "at": "2026-10-31T23:50:30+08:00"},
		map[string]any{"call_id": "m2", "event": "offered", "at": "2026-11-01T00:10:00+08:00", "caller": "13907990002"},
		map[string]any{"call_id": "m2", "event": "answered", "at": "2026-11-01T00:10:04+08:00", "agent": "agent"},
		map[string]any{"call_id": "m2", "event": "ended", "at": "2026-11-01T00:15:04+08:00"}}); code != 200 {
		t.Fatalf("events: %d %v", code, out)
	}
	groups, err := e.db.FindCallStatsBy(context.Background(), e.actor("lead"),
		sqldb.CallFilter{From: time.Date(2026, 10, 1, 0, 0, 0, 0, hotline.ChinaZone), To: time.Date(2026, 12, 1, 0, 0, 0, 0, hotline.ChinaZone)}, sqldb.ByMonth)
	if err != nil || len(groups) != 2 || groups[0].Key != "2026-10" || groups[0].Abandoned != 1 || groups[1].Key != "2026-11" || groups[1].Answered != 1 {
		t.Fatalf("by month: %v %+v", err, groups)
	}
	code, page := e.get("lead", "/calls?from=2026-10-01&to=2026-11-30")
	if code != 200 || !strings.Contains(page, "按月") || !strings.Contains(page, "<td>2026-10</td><td>1</td><td>0</td><td>1</td>") {
		t.Errorf("the page's months (%d)", code)
	}
	if code, page := e.get("lead", "/calls?from=2026-11-01&to=2026-11-30"); code != 200 || strings.Contains(page, "按月") {
		t.Errorf("one month has no month table (%d)", code)
	}
}
