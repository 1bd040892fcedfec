package report

import (
	"testing"
	"time"

	"hotline"
)

func TestDay(t *testing.T) {
	late := time.Date(2026, 11, 30, 23, 59, 0, 0, hotline.ChinaZone)
	if Day(late)+1 != Day(late.Add(time.Minute)) {
		t.Fatal("midnight China time does not start a new day")
	}
	if !DayStart(Day(late)).Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, hotline.ChinaZone)) {
		t.Fatalf("DayStart = %v", DayStart(Day(late)))
	}
	if Day(time.Date(1969, 12, 31, 12, 0, 0, 0, hotline.ChinaZone)) != -1 {
		t.Fatal("days before 1970 are negative")
	}
}

func TestPeriods(t *testing.T) {
	for _, c := range []struct {
		key, from, to, prev, lastYear, label string
	}{
		{"2026-11", "2026-11-01", "2026-12-01", "2026-10-01", "2025-11-01", "2026年11月"},
		{"2026-Q1", "2026-01-01", "2026-04-01", "2025-10-01", "2025-01-01", "2026年第一季度"},
		{"2026-H2", "2026-07-01", "2027-01-01", "2026-01-01", "2025-07-01", "2026年下半年"},
		{"2026", "2026-01-01", "2027-01-01", "2025-01-01", "2025-01-01", "2026年"},
		{"2026-W01", "2025-12-29", "2026-01-05", "2025-12-22", "2024-12-30", "2025年12月29日起一周"},
		{"2026-03-01", "2026-03-01", "2026-03-02", "2026-02-28", "2025-03-01", "2026年3月1日"},
	} {
		p, err := ParseKey(c.key)
		if err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
		d := func(x time.Time) string { return x.In(hotline.ChinaZone).Format("2006-01-02") }
		if d(p.From) != c.from || d(p.To) != c.to || d(p.Previous().From) != c.prev || d(p.LastYear().From) != c.lastYear {
			t.Errorf("%s: %s..%s prev %s last year %s", c.key, d(p.From), d(p.To), d(p.Previous().From), d(p.LastYear().From))
		}
		if n := p.Previous().Next(); !n.From.Equal(p.From) || !n.To.Equal(p.To) {
			t.Errorf("%s: the next of the one before is %s", c.key, n.Key())
		}
		if p.Key() != c.key || p.Label() != c.label {
			t.Errorf("%s: key %s label %s", c.key, p.Key(), p.Label())
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-Q5", "2026-H3", "2026-W60", "20x6", "2026-11-31"} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	c, err := Custom(time.Date(2026, 11, 3, 15, 0, 0, 0, hotline.ChinaZone), time.Date(2026, 11, 9, 1, 0, 0, 0, hotline.ChinaZone))
	if err != nil || c.Key() != "2026-11-03~2026-11-09" || c.Previous().Key() != "2026-10-27~2026-11-02" {
		t.Errorf("custom %v %s prev %s", err, c.Key(), c.Previous().Key())
	}
	if _, err := Custom(time.Now(), time.Now().AddDate(0, 0, -2)); err == nil {
		t.Error("a period ending before it starts accepted")
	}
}
