package cti_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline"
	"hotline/channel/cti"
	"hotline/channel/cti/ctitest"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

const t0 = 1796000400 // 2026-11-30T09:00:00+08:00

func at(sec float64) time.Time { return time.UnixMicro(int64(sec * 1e6)).UTC() }

// webhookEquivalent is what the recorded frames mean, as a PBX would post
// it to the webhook.
func webhookEquivalent() []hotline.CallEvent {
	a, b, c := "a1f3e7c2-0001-4b6e-9a1d-7c2f5e8b9d01", "b2e4f8d3-0002-4c7f-8b2e-8d3a6f9c0e02", "c3f5a9e4-0003-4d8a-9c3f-9e4b7a0d1f03"
	return []hotline.CallEvent{
		{CallID: a, Event: hotline.CallOffered, At: at(t0 + 0.25), Caller: "13907990001", Callee: "12345", Queue: "12345"},
		{CallID: a, Event: hotline.CallAnswered, At: at(t0 + 12.5), Agent: "agent", Queue: "12345"},
		{CallID: a, Event: hotline.CallEnded, At: at(t0 + 312), Queue: "12345",
			Recording: "/var/lib/freeswitch/recordings/2026-11-30/" + a + ".wav"},
		{CallID: b, Event: hotline.CallOffered, At: at(t0 + 60), Caller: "13907990002", Queue: "12345"},
		{CallID: b, Event: hotline.CallEnded, At: at(t0 + 100), Queue: "12345"},
		{CallID: c, Event: hotline.CallOffered, At: at(t0 + 120), Caller: "07993334444", Queue: "12345"},
		{CallID: c, Event: hotline.CallEnded, At: at(t0 + 123), Queue: "12345"},
	}
}

var admin = sqldb.SystemActor

func openWithAgent(t testing.TB, dialect string) (*sqldb.DB, int64) {
	t.Helper()
	db := sqldbtest.Open(t, sqldbtest.DSN(t, dialect))
	u := &hotline.User{Username: "agent", DisplayName: "话务员", Role: hotline.RoleCallAgent}
	if err := db.CreateUser(context.Background(), admin, u, "a long enough password 1"); err != nil {
		t.Fatal(err)
	}
	return db, u.ID
}

// runAdapter runs an adapter until the test ends or stop is called.
func runAdapter(t testing.TB, db *sqldb.DB, addr, password string) (*cti.FreeSWITCH, func()) {
	f := &cti.FreeSWITCH{Addr: addr, Password: password, DB: db, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return f, sync.OnceFunc(stop)
}

// waitFor polls until cond holds (the adapter works on its own
// goroutine); it is a synchronisation, not a timing: it fails only if
// the condition never comes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func atPosition(t *testing.T, db *sqldb.DB, f *cti.FreeSWITCH, origin string, seq int64) func() bool {
	return func() bool {
		p, err := db.StreamPosition(context.Background(), f.Stream())
		if err != nil {
			t.Fatal(err)
		}
		return p.Origin == origin && p.Seq == seq
	}
}

func callsOf(t *testing.T, db *sqldb.DB) []hotline.Call {
	t.Helper()
	var out []hotline.Call
	for _, e := range webhookEquivalent() {
		if e.Event != hotline.CallOffered {
			continue
		}
		c, err := db.FindCall(context.Background(), hotline.Actor{Role: hotline.RoleTeamLead}, e.CallID)
		if err != nil {
			t.Fatal(err)
		}
		c.ID, c.AgentID = 0, 0 // the databases' own
		out = append(out, *c)
	}
	return out
}

func statsOf(t *testing.T, db *sqldb.DB) hotline.CallStats {
	t.Helper()
	s, err := db.FindCallStats(context.Background(), hotline.Actor{Role: hotline.RoleTeamLead},
		sqldb.CallFilter{From: at(t0 - 3600), To: at(t0 + 3600)})
	if err != nil {
		t.Fatal(err)
	}
	return *s
}

const origin = "6f0d3c2e-5d1a-4c47-9b5e-2b1e7c0f9a11"

// TestFreeSWITCH_SameAsWebhook replays the recorded frames through the
// adapter, dropping the first connection half way (the second replays
// from the start), and compares the call records with those the
// equivalent webhook events give; then a restarted adapter, and a
// restarted switch replaying the same calls, count nothing twice.
func TestFreeSWITCH_SameAsWebhook(t *testing.T) {
	frames := ctitest.RecordedFrames(t, "testdata/freeswitch_events.txt")
	if len(frames) != 14 {
		t.Fatalf("%d recorded frames, want 14", len(frames))
	}
	for _, dialect := range sqldbtest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			viaHook, _ := openWithAgent(t, dialect)
			if _, err := viaHook.IngestCallEvents(ctx, "webhook", webhookEquivalent()); err != nil {
				t.Fatal(err)
			}
			want := callsOf(t, viaHook)

			db, _ := openWithAgent(t, dialect)
			sw := ctitest.StartSwitch(t, "ClueCon", frames, 7, -1)
			f, stop := runAdapter(t, db, sw.Addr(), "ClueCon")
			waitFor(t, "the adapter at the last event", atPosition(t, db, f, origin, 4014))
			if sw.Connections() < 2 {
				t.Fatalf("%d connections: the dropped one was not followed by a reconnect", sw.Connections())
			}
			st := f.Stats()
			if !st.Connected || st.Reconnects < 1 || st.Skipped < 1 {
				t.Errorf("stats after a drop: %+v (want connected, a reconnect, the replayed frames skipped)", st)
			}
			if !strings.Contains(sw.Subscriptions()[0], "CUSTOM callcenter::info") || !strings.Contains(sw.Subscriptions()[0], "CHANNEL_HANGUP_COMPLETE") {
				t.Errorf("subscription %q", sw.Subscriptions()[0])
			}
			got := callsOf(t, db)
			compareCalls(t, got, want)
			// Computed by hand: call A waits 12.25 s (answered within
			// 15 s) and talks 299.5 s; B abandons after 40 s; C after 3 s
			// (a short abandon).
			s := statsOf(t, db)
			if s.Offered != 3 || s.Answered != 1 || s.Abandoned != 2 || s.ShortAbandons != 1 ||
				s.AvgWaitSeconds != 12.25 || s.AvgTalkSeconds != 299.5 || s.ServiceLevel15s != 1.0/3 || s.Missed != 1 {
				t.Errorf("stats %+v", s)
			}
			if hs := statsOf(t, viaHook); hs != s {
				t.Errorf("stats via the webhook %+v, via the event socket %+v", hs, s)
			}
			stop()

			// A restart of ours: the position is in the database, so a
			// replay of everything is skipped frame by frame.
			sw2 := ctitest.StartSwitch(t, "ClueCon", frames, -1)
			f2, stop2 := runAdapter(t, db, sw2.Addr(), "ClueCon")
			waitFor(t, "every replayed frame skipped", func() bool { return f2.Stats().Skipped == int64(len(frames)) })
			stop2()
			if f2.Stats().Events != 0 {
				t.Errorf("after a restart %d events applied again", f2.Stats().Events)
			}
			// A restart of the switch (a new Core-UUID) that sends the same
			// calls again: applied, but every event is a repeat.
			again := make([]string, len(frames))
			for i, fr := range frames {
				again[i] = strings.ReplaceAll(fr, origin, "0a0a0a0a-new-run")
			}
			sw3 := ctitest.StartSwitch(t, "ClueCon", again, -1)
			f3, stop3 := runAdapter(t, db, sw3.Addr(), "ClueCon")
			waitFor(t, "the new run applied", atPosition(t, db, f3, "0a0a0a0a-new-run", 4014))
			stop3()
			compareCalls(t, callsOf(t, db), want)
			if s2 := statsOf(t, db); s2 != s {
				t.Errorf("after the switch replayed its calls: %+v, before %+v", s2, s)
			}
		})
	}
}

func compareCalls(t *testing.T, got, want []hotline.Call) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d calls, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := fmt.Sprintf("%+v", flat(got[i])), fmt.Sprintf("%+v", flat(want[i]))
		if g != w {
			t.Errorf("call %s:\n event socket %s\n webhook      %s", want[i].CallID, g, w)
		}
	}
}

// flat prints a call's times as values, not pointers.
func flat(c hotline.Call) []any {
	tm := func(p *time.Time) string {
		if p == nil {
			return "-"
		}
		return p.UTC().Format(time.RFC3339Nano)
	}
	return []any{c.CallID, c.Caller, c.Callee, c.Queue, c.Agent, tm(c.OfferedAt), tm(c.AnsweredAt), tm(c.EndedAt),
		c.Outcome, c.Wait, c.Talk, c.Recording}
}

// TestFreeSWITCH_BadPassword: refused, the adapter says why and keeps
// trying without ever applying anything.
func TestFreeSWITCH_BadPassword(t *testing.T) {
	db, _ := openWithAgent(t, "sqlite")
	sw := ctitest.StartSwitch(t, "ClueCon", ctitest.RecordedFrames(t, "testdata/freeswitch_events.txt"))
	f, _ := runAdapter(t, db, sw.Addr(), "wrong")
	waitFor(t, "a second attempt", func() bool { return sw.Connections() >= 2 })
	st := f.Stats()
	if st.Connected || !strings.Contains(st.LastError, "auth refused: -ERR invalid") || st.Events != 0 {
		t.Errorf("stats %+v", st)
	}
}
