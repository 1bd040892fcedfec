package sqldb_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

// TestStats_CallRollup: calls arriving in random order over several days
// (events out of order, repeats, an earlier offer moving a call to the day
// before, callbacks of missed calls); the daily call counts equal a count
// of the calls, and every figure read from them equals the same figure
// read from the calls directly (a queue filter takes that path).
func TestStats_CallRollup(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		rng := rand.New(rand.NewPCG(18, 16))
		day0 := time.Date(2026, 11, 16, 0, 0, 0, 0, hotline.ChinaZone)
		var evs []hotline.CallEvent
		for i := 0; i < 400; i++ {
			id := fmt.Sprintf("r-%d", i)
			at := day0.Add(time.Duration(rng.IntN(5*24*3600)) * time.Second)
			evs = append(evs, hotline.CallEvent{CallID: id, Event: hotline.CallOffered, At: at, Caller: fmt.Sprintf("1390000%04d", rng.IntN(300)), Queue: "12345"})
			switch r := rng.IntN(10); {
			case r == 0: // abandoned
				evs = append(evs, hotline.CallEvent{CallID: id, Event: hotline.CallEnded, At: at.Add(time.Duration(1+rng.IntN(90)) * time.Second)})
			case r < 9:
				ans := at.Add(time.Duration(rng.IntN(40)) * time.Second)
				evs = append(evs, hotline.CallEvent{CallID: id, Event: hotline.CallAnswered, At: ans, Agent: []string{"agent", "lead"}[rng.IntN(2)]},
					hotline.CallEvent{CallID: id, Event: hotline.CallEnded, At: ans.Add(time.Duration(60+rng.IntN(600)) * time.Second)})
			} // else still ringing
		}
		rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
		for len(evs) > 0 {
			n := min(len(evs), 1+rng.IntN(120))
			if _, err := f.DB.IngestCallEvents(f.Context, "test", append(evs[:n:n], evs[rng.IntN(n)])); err != nil { // and a repeat
				t.Fatal(err)
			}
			evs = evs[n:]
		}
		missed, _, err := f.DB.FindMissedCalls(f.Context, f.Actors["lead"], 1, 50)
		if err != nil || len(missed) == 0 {
			t.Fatalf("missed calls %v %v", len(missed), err)
		}
		for i, c := range missed {
			if i%2 == 0 && c.EndedAt != nil {
				f.Clock.mu.Lock()
				f.Clock.t = c.EndedAt.Add(time.Duration(5+i*3) * time.Minute) // some within 30 minutes, some later
				f.Clock.mu.Unlock()
				if err := f.DB.RecordCallback(f.Context, f.Actors["agent"], c.ID, hotline.CallbackReached, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A call first seen on the 17th whose offer, arriving late, was on the 16th.
		late := day0.Add(24*time.Hour + time.Hour)
		f.DB.IngestCallEvents(f.Context, "test", []hotline.CallEvent{{CallID: "moved", Event: hotline.CallAnswered, At: late, Agent: "agent"}})
		f.DB.FindCallStats(f.Context, f.Actors["lead"], sqldb.CallFilter{From: day0, To: day0.AddDate(0, 0, 7)}) // counted as it stood
		f.DB.IngestCallEvents(f.Context, "test", []hotline.CallEvent{{CallID: "moved", Event: hotline.CallOffered, At: late.Add(-2 * time.Hour), Queue: "12345"}})
		if diffs, err := f.DB.Stats().CheckCalls(f.Context); err != nil || len(diffs) > 0 {
			t.Fatalf("daily call counts differ from the calls: %v %v", err, diffs)
		}
		lead := f.Actors["lead"]
		whole := sqldb.CallFilter{From: day0, To: day0.AddDate(0, 0, 7)}
		direct := whole
		direct.Queue = "12345" // every call's queue: the same calls, read from the calls
		a, err1 := f.DB.FindCallStats(f.Context, lead, whole)
		b, err2 := f.DB.FindCallStats(f.Context, lead, direct)
		if err1 != nil || err2 != nil || *a != *b || a.Offered != 401 || a.CalledBackInTime == 0 {
			t.Errorf("rolled %+v\n direct %+v (%v %v)", a, b, err1, err2)
		}
		for _, by := range []string{sqldb.ByAgent, sqldb.ByDay, sqldb.ByMonth, sqldb.ByInterval} {
			ra, err1 := f.DB.FindCallStatsBy(f.Context, lead, whole, by)
			rb, err2 := f.DB.FindCallStatsBy(f.Context, lead, direct, by)
			if err1 != nil || err2 != nil || len(ra) != len(rb) || len(ra) == 0 {
				t.Fatalf("%s: %d vs %d groups (%v %v)", by, len(ra), len(rb), err1, err2)
			}
			for i := range ra {
				if *ra[i] != *rb[i] {
					t.Errorf("%s %d: rolled %+v, direct %+v", by, i, ra[i], rb[i])
				}
			}
		}
	})
}
