package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
	"hotline/web"
)

// BenchmarkStatsPages renders the statistics pages and answers the
// statistics API (handler time, no network) over 1,000,000 tickets
// accepted over the three years before December 2026 (about 900 a day)
// across 60 categories, 12 places, 44 lead units, every channel and
// kind, each with its dispatch event and most concluded and rated, and
// 1,000,000 calls over the last year (about 2,700 a day). The daily
// counts are rebuilt from scratch first (timed: `hotline stats
// rebuild`); PostgreSQL too with HOTLINE_TEST_POSTGRES. The reports
// (docx and PDF with their charts) are generated the same way.
func BenchmarkStatsPages(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		e := MustServerOn(b, d)
		ctx := context.Background()
		e.addUser("analyst", hotline.RoleAnalyst, 0)
		var unitRows [][4]string
		for i := 0; i < 40; i++ {
			unitRows = append(unitRows, [4]string{fmt.Sprintf("dept-%02d", i), fmt.Sprintf("市直部门%02d", i), "department", "px"})
		}
		for i := 0; i < 8; i++ {
			unitRows = append(unitRows, [4]string{fmt.Sprintf("town-%d", i), fmt.Sprintf("街道%d", i), "township", "anyuan"})
		}
		if _, err := e.db.ImportUnits(ctx, sqldb.SystemActor, unitRows); err != nil {
			b.Fatal(err)
		}
		var catRows [][]string
		for i := 0; i < 60; i++ {
			catRows = append(catRows, []string{fmt.Sprintf("大类%d", i%8), fmt.Sprintf("中类%d", i%20), fmt.Sprintf("小类%d", i)})
		}
		if _, err := e.db.ImportCategories(ctx, sqldb.SystemActor, catRows); err != nil {
			b.Fatal(err)
		}
		units, _ := e.db.FindUnits(ctx)
		cats, _ := e.db.FindCategories(ctx)
		var leads, places, leaves []int64
		for _, u := range units {
			switch u.Kind {
			case hotline.UnitDistrict, hotline.UnitTownship:
				places = append(places, u.ID)
			}
			if u.Kind != hotline.UnitCity && u.Kind != hotline.UnitTownship {
				leads = append(leads, u.ID)
			}
		}
		for _, c := range cats {
			if c.Level == 3 {
				leaves = append(leaves, c.ID)
			}
		}
		pick := func(mod string, ids []int64) string {
			var b strings.Builder
			fmt.Fprintf(&b, "CASE %s %% %d", mod, len(ids))
			for i, id := range ids {
				fmt.Fprintf(&b, " WHEN %d THEN %d", i, id)
			}
			b.WriteString(" END")
			return b.String()
		}
		tk := e.newTicket(map[string]any{"submit": true})
		e.call("dispatcher", "POST", fmt.Sprintf("/api/v1/tickets/%d/dispatch", tk.ID), map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
		end := time.Date(2026, 12, 1, 0, 0, 0, 0, hotline.ChinaZone).UnixMilli()
		years, year := int64(3*365*86400000), int64(365*86400000)
		agent := e.actor("agent").UserID
		start := time.Now()
		sqldbtest.CopyTickets(b, e.dsn, tk.ID, 999_999, time.Now())
		sqldbtest.Exec(b, e.dsn,
			fmt.Sprintf(`UPDATE tickets SET created_at = %d - id * %d, category_id = %s, location_unit_id = %s, lead_unit_id = %s,
				channel = CASE id %% 10 WHEN 7 THEN 'web' WHEN 8 THEN 'wechat' WHEN 9 THEN 'gov_platform' ELSE 'phone' END,
				appeal_kind = CASE id %% 9 WHEN 0 THEN 'help' WHEN 1 THEN 'complaint' WHEN 2 THEN 'complaint' WHEN 3 THEN 'report' WHEN 4 THEN 'suggest' ELSE 'consult' END,
				status = CASE WHEN id %% 20 < 17 THEN 'concluded' WHEN id %% 20 = 17 THEN 'handling' ELSE 'dispatched' END,
				rating = CASE WHEN id %% 20 >= 17 THEN '' WHEN id %% 11 = 0 THEN 'unsatisfied' ELSE 'satisfied' END,
				resolved = CASE WHEN id %% 20 >= 17 THEN NULL ELSE id %% 13 <> 0 END`, end, years/1_000_000, pick("id", leaves), pick("(id / 7)", places), pick("(id / 3)", leads)),
			`INSERT INTO events (ticket_id, action, actor_name, from_status, to_status, reason, payload, created_at)
				SELECT id, 'dispatch', '', 'pending_dispatch', 'dispatched', '', '{"lead_unit_id":' || lead_unit_id || '}', created_at + 3600000 FROM tickets`,
			fmt.Sprintf(`WITH RECURSIVE s(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM s WHERE n < 1000000)
				INSERT INTO calls (call_id, offered_at, answered_at, ended_at, outcome, wait_ms, talk_ms, queue, agent, agent_id, updated_at)
				SELECT 'bench-' || n, %[1]d - n * %[2]d, CASE WHEN n %% 10 = 0 THEN NULL ELSE %[1]d - n * %[2]d + (n %% 30) * 1000 END,
					%[1]d - n * %[2]d + 400000, CASE WHEN n %% 10 = 0 THEN 'abandoned' ELSE 'answered' END,
					CASE WHEN n %% 10 = 0 THEN 0 ELSE (n %% 30) * 1000 END, CASE WHEN n %% 10 = 0 THEN 0 ELSE 200000 + (n %% 400) * 1000 END,
					'12345', 'agent', %[3]d, %[1]d FROM s`, end, year/1_000_000, agent))
		b.Logf("%s: 1,000,000 tickets, their dispatches and 1,000,000 calls loaded in %v", d, time.Since(start).Round(time.Second))
		start = time.Now()
		days, err := e.db.Stats().Rebuild(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: stats rebuild of %d days of tickets from scratch in %v", d, days, time.Since(start).Round(time.Second))
		start = time.Now()
		if days, err = e.db.Stats().RebuildCalls(ctx); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: stats rebuild of %d days of calls from scratch in %v", d, days, time.Since(start).Round(time.Second))
		h := e.srv.Config.Handler.(*web.Server)
		h.SecureCookies = false
		cookies := benchCookies(b, e, "analyst")
		for _, p := range []struct{ name, path string }{
			{"summary_api_month", "/api/v1/stats/summary?period=2026-11"},
			{"summary_api_year", "/api/v1/stats/summary?period=2026"},
			{"units_api_month", "/api/v1/stats/units?period=2026-11"},
			{"volume_month", "/stats?period=2026-11"},
			{"volume_year", "/stats?period=2026"},
			{"units_month", "/stats/units?period=2026-11"},
			{"units_year", "/stats/units?period=2026"},
			{"service_month", "/stats/service?period=2026-11"},
			{"service_quarter", "/stats/service?period=2026-Q4"},
			{"ledgers_month", "/stats/ledgers?period=2026-11"},
			{"report_month_docx", "/api/v1/reports/month/2026-11.docx"},
			{"report_month_pdf", "/api/v1/reports/month/2026-11.pdf"},
			{"report_year_pdf", "/api/v1/reports/year/2026.pdf"},
		} {
			b.Run(d+"/"+p.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					req := httptest.NewRequest("GET", p.path, nil)
					req.AddCookie(cookies["analyst"])
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != 200 || (strings.HasPrefix(p.path, "/api/v1/stats/summary") && !strings.Contains(w.Body.String(), `"tickets":`)) {
						b.Fatalf("%s: %d %.300s", p.path, w.Code, w.Body.String())
					}
				}
			})
		}
	}
}
