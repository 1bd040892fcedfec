package hotline_test

import (
	"testing"
	"time"

	"hotline"
)

// at parses a local (China) time.
func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hotline.ChinaZone)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestCalendar_OfficialSchedule(t *testing.T) {
	c := hotline.NewCalendar(hotline.OfficialDays())
	for _, tt := range []struct {
		day  string
		work bool
	}{
		{"2025-01-26", true},  // Sunday, make-up workday before Spring Festival
		{"2025-01-28", false}, // 除夕 2025
		{"2025-02-04", false},
		{"2025-02-05", true},
		{"2025-02-08", true}, // Saturday, make-up workday
		{"2025-09-28", true}, // Sunday, make-up for National Day
		{"2025-10-08", false},
		{"2025-10-11", true}, // Saturday, make-up
		{"2026-02-14", true}, // Saturday, make-up
		{"2026-02-15", false},
		{"2026-02-23", false}, // Monday, still Spring Festival
		{"2026-02-24", true},
		{"2026-02-28", true}, // Saturday, make-up
		{"2026-09-20", true}, // Sunday, make-up
		{"2026-10-07", false},
		{"2026-10-08", true},
		{"2026-10-10", true},  // Saturday, make-up
		{"2026-11-28", false}, // plain Saturday
		{"2026-11-30", true},  // plain Monday
	} {
		if got := c.IsWorkday(at(t, tt.day+" 12:00")); got != tt.work {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.work)
		}
	}
}

func TestCalendar_Deadline(t *testing.T) {
	c := hotline.NewCalendar(hotline.OfficialDays())
	for _, tt := range []struct {
		name  string
		start string
		limit hotline.Limit
		want  string
	}{
		{"2025 spring festival skips the holiday", "2025-01-27 10:00", hotline.Limit{Value: 1, Unit: hotline.WorkingDays}, "2025-02-05 17:30"},
		{"2025 make-up sunday counts", "2025-01-24 10:00", hotline.Limit{Value: 1, Unit: hotline.WorkingDays}, "2025-01-26 17:30"},
		{"2025 national day", "2025-09-30 09:00", hotline.Limit{Value: 1, Unit: hotline.WorkingDays}, "2025-10-09 17:30"},
		{"2025 national day make-up saturday", "2025-10-10 09:00", hotline.Limit{Value: 1, Unit: hotline.WorkingDays}, "2025-10-11 17:30"},
		{"2026 make-up saturday before spring festival", "2026-02-13 16:00", hotline.Limit{Value: 1, Unit: hotline.WorkingDays}, "2026-02-14 17:30"},
		{"2026 spring festival nine days", "2026-02-14 09:00", hotline.Limit{Value: 2, Unit: hotline.WorkingDays}, "2026-02-25 17:30"},
		{"2026 national day", "2026-09-30 09:00", hotline.Limit{Value: 1, Unit: hotline.WorkingDays}, "2026-10-08 17:30"},
		{"2026 mid-autumn and make-up", "2026-09-24 09:00", hotline.Limit{Value: 1, Unit: hotline.WorkingDays}, "2026-09-28 17:30"},
		{"15 working days over national day 2026", "2026-09-21 09:00", hotline.Limit{Value: 15, Unit: hotline.WorkingDays}, "2026-10-19 17:30"},
		{"working hours across a weekend", "2026-11-27 16:30", hotline.Limit{Value: 4, Unit: hotline.WorkingHours}, "2026-11-30 11:30"},
		{"working hours across lunch", "2026-11-27 16:30", hotline.Limit{Value: 5, Unit: hotline.WorkingHours}, "2026-11-30 14:30"},
		{"working hours from the night", "2026-11-26 22:00", hotline.Limit{Value: 1, Unit: hotline.WorkingHours}, "2026-11-27 09:30"},
		{"emergency calendar minutes over a weekend night", "2026-11-28 23:50", hotline.Limit{Value: 15, Unit: hotline.CalendarMinutes}, "2026-11-29 00:05"},
		{"emergency calendar hours over a holiday", "2026-10-01 08:00", hotline.Limit{Value: 24, Unit: hotline.CalendarHours}, "2026-10-02 08:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Deadline(at(t, tt.start), tt.limit)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("Deadline(%s, %v) = %s, want %s", tt.start, tt.limit, got.In(hotline.ChinaZone).Format("2006-01-02 15:04"), tt.want)
			}
		})
	}
}

func TestCalendar_WorkingTimeBetween(t *testing.T) {
	c := hotline.NewCalendar(hotline.OfficialDays())
	for _, tt := range []struct {
		a, b string
		want time.Duration
	}{
		{"2026-11-27 16:30", "2026-11-30 09:30", 2 * time.Hour},
		{"2026-11-27 12:00", "2026-11-27 14:00", 0},
		{"2026-10-01 00:00", "2026-10-08 00:00", 0}, // the whole holiday
		{"2026-11-23 00:00", "2026-11-28 00:00", 35 * time.Hour},
	} {
		if got := c.WorkingTimeBetween(at(t, tt.a), at(t, tt.b)); got != tt.want {
			t.Errorf("WorkingTimeBetween(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCalendar_WarnAt(t *testing.T) {
	c := hotline.NewCalendar(nil)
	// Monday 08:30 to Friday 17:30 is 35 office hours; 20% left is 7 hours
	// before the end: the close of Thursday (the same office instant as
	// Friday 08:30).
	got := c.WarnAt(at(t, "2026-11-23 08:30"), at(t, "2026-11-27 17:30"), 0.2, false)
	if want := at(t, "2026-11-26 17:30"); !got.Equal(want) {
		t.Errorf("WarnAt = %v, want %v", got.In(hotline.ChinaZone), want)
	}
	got = c.WarnAt(at(t, "2026-11-28 00:00"), at(t, "2026-11-28 10:00"), 0.2, true)
	if want := at(t, "2026-11-28 08:00"); !got.Equal(want) {
		t.Errorf("WarnAt(calendar) = %v, want %v", got.In(hotline.ChinaZone), want)
	}
}

func TestCalendar_Days(t *testing.T) {
	c := hotline.NewCalendar(hotline.OfficialDays())
	days := c.Days(2026)
	if len(days) == 0 || days[0].Day != "2026-01-01" {
		t.Fatalf("Days(2026) starts with %v", days)
	}
	for _, d := range days {
		if d.Day[:4] != "2026" {
			t.Errorf("Days(2026) contains %s", d.Day)
		}
	}
	for _, y := range []int{2025, 2026, 2027} {
		if len(c.Days(y)) < 20 {
			t.Errorf("shipped calendar for %d has only %d days", y, len(c.Days(y)))
		}
	}
}
