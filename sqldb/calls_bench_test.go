package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// BenchmarkCallStats computes a month's call figures over 100,000 calls
// (the centre's, and one agent's), loaded through the webhook's own path
// (IngestCallEvents, batches of 999 events): answered, abandoned and short
// abandons in the proportions of a busy month.
func BenchmarkCallStats(b *testing.B) {
	const calls = 100_000
	for _, d := range sqldbtest.Dialects() {
		f := MustFixture(b, d)
		month := time.Date(2026, 11, 1, 0, 0, 0, 0, hotline.ChinaZone)
		step := 30 * 24 * time.Hour / calls
		agent := f.Actors["agent"].UserID
		start := time.Now()
		var batch []hotline.CallEvent
		for i := 0; i < calls; i++ {
			at := month.Add(time.Duration(i) * step)
			id := fmt.Sprintf("bench-%d", i)
			batch = append(batch, hotline.CallEvent{CallID: id, Event: hotline.CallOffered, At: at, Caller: fmt.Sprintf("139%08d", i), Queue: "12345"})
			switch {
			case i%10 == 0: // abandoned, every fifth of those at once
				batch = append(batch, hotline.CallEvent{CallID: id, Event: hotline.CallEnded, At: at.Add(time.Duration(2+i%7*10) * time.Second)})
			default:
				ans := at.Add(time.Duration(i%30) * time.Second)
				batch = append(batch, hotline.CallEvent{CallID: id, Event: hotline.CallAnswered, At: ans, Agent: "agent"},
					hotline.CallEvent{CallID: id, Event: hotline.CallEnded, At: ans.Add(time.Duration(200+i%400) * time.Second)})
			}
			if len(batch) >= 999 || i == calls-1 {
				if _, err := f.DB.IngestCallEvents(f.Context, "bench", batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		b.Logf("%s: %d calls loaded in %v", d, calls, time.Since(start).Round(time.Second))
		lead := f.Actors["lead"]
		for _, c := range []struct {
			name string
			f    sqldb.CallFilter
		}{{"month", sqldb.CallFilter{From: month, To: month.AddDate(0, 1, 0)}},
			{"month_agent", sqldb.CallFilter{From: month, To: month.AddDate(0, 1, 0), AgentID: agent}},
			{"day", sqldb.CallFilter{From: month.AddDate(0, 0, 14), To: month.AddDate(0, 0, 15)}}} {
			b.Run(d+"/"+c.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					st, err := f.DB.FindCallStats(f.Context, lead, c.f)
					if err != nil || st.Offered == 0 {
						b.Fatal(st, err)
					}
				}
			})
		}
	}
}
