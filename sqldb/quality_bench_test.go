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

// BenchmarkQualityFigures computes a month's quality figures with
// 1,000,000 tickets over the year before it: a callback on every third
// (about 28,000 in the month, each with its recorded rating), 不满意 on
// every thirtieth, each of those inspected and scored.
func BenchmarkQualityFigures(b *testing.B) {
	const tickets = 1_000_000
	for _, d := range sqldbtest.Dialects() {
		f := MustFixture(b, d)
		month := time.Date(2026, 11, 1, 0, 0, 0, 0, hotline.ChinaZone)
		tk := f.NewTicket(b, "13800000001", true)
		start := time.Now()
		sqldbtest.CopyTickets(b, f.DSN, tk.ID, tickets-1, month)
		raw := rawDB(b, f)
		year := int64(365 * 24 * 3600 * 1000)
		end := month.AddDate(0, 1, 0).UnixMilli()
		agent := f.Actors["agent"].UserID
		for _, q := range []string{
			fmt.Sprintf(`UPDATE tickets SET created_at = %d - (id * 7919 %% %d), rating = CASE WHEN id %% 30 = 0 THEN 'unsatisfied' ELSE 'satisfied' END`, end, year),
			`INSERT INTO events (ticket_id, action, actor_name, from_status, to_status, reason, payload, created_at)
				SELECT id, 'callback', '', 'concluded', 'concluded', '', '', created_at + 86400000 FROM tickets WHERE id % 3 = 0`,
			`INSERT INTO callback_ratings (event_id, ticket_id, at, rating)
				SELECT e.id, e.ticket_id, e.created_at, t.rating FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE e.action = 'callback'`,
			fmt.Sprintf(`INSERT INTO inspections (ticket_id, agent_id, reason, status, due_at, created_at, score, passed, scored_at, marks)
				SELECT id, %d, 'unsatisfied', 'acknowledged', created_at + 172800000, created_at + 86400000, 70 + id %% 31, id %% 31 >= 10, created_at + 90000000, ''
				FROM tickets WHERE id %% 30 = 0 AND id %% 3 = 0`, agent),
		} {
			if _, err := raw.Exec(q); err != nil {
				b.Fatal(err)
			}
		}
		raw.Exec(`ANALYZE`)
		b.Logf("%s: %d tickets, their callbacks and inspections in %v", d, tickets, time.Since(start).Round(time.Second))
		lead := f.Actors["lead"]
		b.Run(d+"/coverage", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f.DB.Quality().UnsatisfiedCoverage(f.Context, lead, month, month.AddDate(0, 1, 0))
			}
		})
		b.Run(d, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				fig, err := f.DB.Quality().QualityFigures(f.Context, lead, month)
				if err != nil || fig.Unsatisfied.Due == 0 || fig.Team.Scored == 0 {
					b.Fatal(fig, err)
				}
			}
		})
	}
}
