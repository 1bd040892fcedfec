package sqldb_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb/sqldbtest"
)

// rawDB opens the fixture's database without the hotline layer, for bulk
// loading in benchmarks.
func rawDB(tb testing.TB, f *fixture) *sql.DB {
	driver, dsn := "sqlite", "file:"+f.DSN+"?_pragma=busy_timeout(10000)"
	if strings.HasPrefix(f.DSN, "postgres") {
		driver, dsn = "pgx", f.DSN
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// loadOpenTickets makes n open tickets whose acknowledge deadlines are
// spread one minute apart from due0 on.
func loadOpenTickets(tb testing.TB, f *fixture, n int, due0 time.Time) {
	tk := f.NewTicket(tb, "13800000001", true)
	f.Do(tb, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
	sqldbtest.CopyTickets(tb, f.DSN, tk.ID, n, due0)
}

// BenchmarkSweep sweeps 100,000 open tickets: once when none crosses a
// deadline (the index cost), and once when 1,001 become overdue (the 1,000
// copies and their original) and 60 more reach their warning point an hour
// before their deadline, each crossing with a supervision and an event.
func BenchmarkSweep(b *testing.B) {
	const open = 100_000
	for _, d := range sqldbtest.Dialects() {
		f := MustFixture(b, d)
		due0 := f.Clock.Now().Add(48 * time.Hour)
		loadOpenTickets(b, f, open, due0)
		b.Run(d+"/none_crossing", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				res, err := f.DB.Sweep(f.Context)
				if err != nil || res.Warned+res.Overdue != 0 {
					b.Fatal(res, err)
				}
			}
		})
		raw := rawDB(b, f)
		b.Run(d+"/1061_crossing", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				for _, q := range []string{`DELETE FROM events WHERE action IN ('warn', 'overdue')`, `DELETE FROM supervisions`,
					`UPDATE tickets SET sla_state = 'ok' WHERE sla_state <> 'ok'`} {
					if _, err := raw.Exec(q); err != nil {
						b.Fatal(err)
					}
				}
				f.Clock.t = due0.Add(1000*time.Minute + 30*time.Second)
				b.StartTimer()
				res, err := f.DB.Sweep(f.Context)
				if err != nil || res.Overdue != 1001 || res.Warned != 60 {
					b.Fatal(res, err)
				}
			}
		})
	}
}
