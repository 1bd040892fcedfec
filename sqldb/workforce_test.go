package sqldb_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/report"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
	"hotline/wfm"
)

// TestWorkforce_Forecast: five weeks of calls (30 a weekday, 15 a
// weekend day, two thirds of them at 10:00–10:30) read back per half
// hour from the daily counts, forecast for the week ahead with the
// agents each half hour needs, an adjustment multiplying its day; bad
// adjustments refused naming the field, audited, a unit refused.
func TestWorkforce_Forecast(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		today := report.Day(f.Clock.Now())
		n := 0
		var rows []string
		for d := today - 35; d < today; d++ {
			start := report.DayStart(d)
			calls := 30
			if wd := start.Weekday(); wd == time.Saturday || wd == time.Sunday {
				calls = 15
			}
			for i := 0; i < calls; i++ {
				at := start.Add(10 * time.Hour).Add(time.Duration(i) * time.Minute) // 10:00–10:29, …
				if i%3 == 2 {
					at = start.Add(15 * time.Hour).Add(time.Duration(i) * time.Second)
				}
				n++
				rows = append(rows, fmt.Sprintf(`('c%d', %d, %d, %d, 'answered', 5000, 200000, '12345', 'a', %d)`, n, at.UnixMilli(), at.UnixMilli()+5000, at.UnixMilli()+205000, at.UnixMilli()))
			}
		}
		sqldbtest.Exec(t, f.DSN, `INSERT INTO calls (call_id, offered_at, answered_at, ended_at, outcome, wait_ms, talk_ms, queue, agent, updated_at) VALUES `+strings.Join(rows, ", "))
		if _, err := f.DB.Stats().RebuildCalls(ctx); err != nil {
			t.Fatal(err)
		}
		lead := f.Actors["lead"]
		h, err := w.CallHistory(ctx, lead, 730)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 35 || h[0].Calls[20] != 20 || h[0].Calls[30] != 10 && h[0].Calls[30] != 5 {
			t.Fatalf("history: %d days, first %v", len(h), h[0].Calls)
		}
		v, err := w.Forecast(ctx, lead, 7, wfm.Need{IntervalSeconds: 1800, TargetSeconds: 15, ServiceLevel: 0.8})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Days) != 7 || len(v.History) != 28 || v.HeldWeeks != 2 || v.Accuracy.Days != 14 || v.Accuracy.WAPE > 0.05 ||
			math.Abs(v.AHTSeconds-230) > 0.5 {
			t.Fatalf("forecast %+v", v)
		}
		for _, d := range v.Days {
			want := 30.0
			if d.Type == "sat" || d.Type == "sun" {
				want = 15
			}
			if math.Abs(d.Calls-want) > 2 || d.Agents[20] < 1 || d.Agents[3] != 0 || d.Peak != d.Agents[20] {
				t.Errorf("%s (%s): %.1f calls, agents %v", d.Date, d.Type, d.Calls, d.Agents)
			}
		}
		audits := auditCount(t, f)
		tomorrow := report.DayStart(today + 1).Format("2006-01-02")
		for _, bad := range []struct {
			a     struct{ from, to, note string }
			f     float64
			field string
		}{
			{struct{ from, to, note string }{"2026/11/24", tomorrow, "活动"}, 1.5, "from"},
			{struct{ from, to, note string }{tomorrow, "2026-11-01", "活动"}, 1.5, "to"},
			{struct{ from, to, note string }{"2026-11-01", "2026-11-02", "活动"}, 1.5, "to"},
			{struct{ from, to, note string }{tomorrow, tomorrow, "活动"}, 20, "factor"},
			{struct{ from, to, note string }{tomorrow, tomorrow, " "}, 1.5, "note"},
		} {
			_, err := w.AddAdjustment(ctx, lead, sqldbForecastAdjustment(bad.a.from, bad.a.to, bad.f, bad.a.note))
			if hotline.ErrorField(err) != bad.field {
				t.Errorf("%+v: %v, want the field %s", bad, err, bad.field)
			}
		}
		a, err := w.AddAdjustment(ctx, lead, sqldbForecastAdjustment(tomorrow, tomorrow, 1.5, "市民中心集中办理日"))
		if err != nil {
			t.Fatal(err)
		}
		adjusted, _ := w.Forecast(ctx, lead, 7, wfm.Need{IntervalSeconds: 1800, TargetSeconds: 15, ServiceLevel: 0.8})
		if math.Abs(adjusted.Days[1].Calls-1.5*v.Days[1].Calls) > 1e-6 || adjusted.Days[0].Calls != v.Days[0].Calls || len(adjusted.Adjustments) != 1 {
			t.Errorf("adjusted %.2f, plain %.2f", adjusted.Days[1].Calls, v.Days[1].Calls)
		}
		if err := w.RemoveAdjustment(ctx, lead, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.RemoveAdjustment(ctx, lead, a.ID); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("removed twice: %v", err)
		}
		if got := auditCount(t, f); got != audits+2 {
			t.Errorf("audit entries %d, want %d", got, audits+2)
		}
		if _, err := w.CallHistory(ctx, f.Actors["water"], 30); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("a unit read the call history: %v", err)
		}
		if _, err := w.Forecast(ctx, lead, 0, wfm.Need{}); hotline.ErrorField(err) != "days" {
			t.Errorf("no days: %v", err)
		}
	})
}

func sqldbForecastAdjustment(from, to string, factor float64, note string) sqldb.ForecastAdjustment {
	return sqldb.ForecastAdjustment{From: from, To: to, Factor: factor, Note: note}
}
