package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// BenchmarkDrawSample draws a month's sampled inspections (5% of each
// agent's answered calls) over 100,000 calls of 30 agents, opening the
// 5,000 tasks for 3 inspectors in the same transaction; each run starts
// from no sampled task.
func BenchmarkDrawSample(b *testing.B) {
	const calls, agents = 100_000, 30
	for _, d := range sqldbtest.Dialects() {
		f := MustFixture(b, d)
		for i := 0; i < agents; i++ {
			u := &hotline.User{Username: fmt.Sprintf("bench%02d", i), Role: hotline.RoleCallAgent}
			if err := f.DB.CreateUser(f.Context, sqldb.SystemActor, u, "hotline12345"); err != nil {
				b.Fatal(err)
			}
		}
		for i := 0; i < 3; i++ {
			if err := f.DB.CreateUser(f.Context, sqldb.SystemActor, &hotline.User{Username: fmt.Sprintf("qa%d", i), Role: hotline.RoleInspector}, "hotline12345"); err != nil {
				b.Fatal(err)
			}
		}
		month := time.Date(2026, 11, 1, 0, 0, 0, 0, hotline.ChinaZone)
		step := 30 * 24 * time.Hour / calls
		var batch []hotline.CallEvent
		for i := 0; i < calls; i++ {
			at, id := month.Add(time.Duration(i)*step), fmt.Sprintf("bench-%d", i)
			batch = append(batch, hotline.CallEvent{CallID: id, Event: hotline.CallOffered, At: at},
				hotline.CallEvent{CallID: id, Event: hotline.CallAnswered, At: at.Add(9 * time.Second), Agent: fmt.Sprintf("bench%02d", i%agents)},
				hotline.CallEvent{CallID: id, Event: hotline.CallEnded, At: at.Add(time.Duration(200+i%400) * time.Second)})
			if len(batch) >= 999 || i == calls-1 {
				if _, err := f.DB.IngestCallEvents(f.Context, "bench", batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		raw := rawDB(b, f)
		rule := sqldb.SampleRequest{Target: quality.TargetCall, From: month, To: month.AddDate(0, 1, 0), Seed: 1}
		b.Run(d, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if _, err := raw.Exec(`DELETE FROM inspections WHERE reason = 'sampled'`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s, err := f.DB.Quality().DrawSample(f.Context, f.Actors["lead"], rule)
				if err != nil || s.Drawn != 30*167 || len(s.PerAgent) != agents { // round(5% of 3,333) each
					b.Fatal(s, err)
				}
			}
		})
	}
}
