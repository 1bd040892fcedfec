package hotline

import (
	_ "embed"
	"encoding/csv"
	"sort"
	"strings"
	"time"
)

// ChinaZone is the zone every deadline is reckoned in. China keeps no
// daylight saving, so a fixed offset needs no tz database on the host.
var ChinaZone = time.FixedZone("CST", 8*3600)

// DayKind says whether an override day is a holiday or a make-up workday.
type DayKind string

// Day kinds of the official calendar.
const (
	DayHoliday DayKind = "holiday" // 法定节假日 (no work even on a weekday)
	DayWorkday DayKind = "workday" // 调休上班 (work even on a weekend)
)

// CalendarDay is one override of the weekend rule.
type CalendarDay struct {
	Day  string  `json:"day"` // YYYY-MM-DD in ChinaZone
	Kind DayKind `json:"kind"`
	Name string  `json:"name"`
}

// Span is one working period of a day, as offsets from local midnight.
type Span struct{ Start, End time.Duration }

// DefaultSpans are the office hours of Pingxiang's government units:
// 08:30–12:00 and 14:00–17:30, seven working hours a day.
var DefaultSpans = []Span{
	{8*time.Hour + 30*time.Minute, 12 * time.Hour},
	{14 * time.Hour, 17*time.Hour + 30*time.Minute},
}

// Calendar is the working calendar: Monday to Friday are workdays unless an
// override says otherwise (holidays, make-up workdays).
type Calendar struct {
	Spans []Span
	days  map[string]CalendarDay
}

// NewCalendar returns a calendar with the default office hours and the given
// override days.
func NewCalendar(days []CalendarDay) *Calendar {
	c := &Calendar{Spans: DefaultSpans, days: make(map[string]CalendarDay, len(days))}
	for _, d := range days {
		c.days[d.Day] = d
	}
	return c
}

//go:embed calendar_official.csv
var officialCSV string

// OfficialDays returns the shipped official schedule (holidays and make-up
// workdays, 2025–2027).
func OfficialDays() []CalendarDay {
	var lines []string
	for _, l := range strings.Split(officialCSV, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		panic("hotline: shipped calendar is malformed: " + err.Error())
	}
	var out []CalendarDay
	for _, r := range recs[1:] {
		out = append(out, CalendarDay{Day: r[0], Kind: DayKind(r[1]), Name: r[2]})
	}
	return out
}

// Days returns the override days of one year, in order.
func (c *Calendar) Days(year int) []CalendarDay {
	prefix := time.Date(year, 1, 1, 0, 0, 0, 0, ChinaZone).Format("2006-")
	var out []CalendarDay
	for k, d := range c.days {
		if strings.HasPrefix(k, prefix) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out
}

// Override returns the override of the local day containing t (a
// holiday or a make-up workday), if it has one.
func (c *Calendar) Override(t time.Time) (CalendarDay, bool) {
	d, ok := c.days[t.In(ChinaZone).Format("2006-01-02")]
	return d, ok
}

// IsWorkday reports whether the local day containing t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(ChinaZone)
	if d, ok := c.days[t.Format("2006-01-02")]; ok {
		return d.Kind == DayWorkday
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

func midnight(t time.Time) time.Time {
	t = t.In(ChinaZone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, ChinaZone)
}

// AddWorkingDays returns the end of office hours of the n-th working day
// after the day of t: a limit of "n working days" counts from the next day
// (自受理次日起计算), so the day of acceptance is free.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	d := midnight(t)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d.Add(c.Spans[len(c.Spans)-1].End).UTC()
}

// AddWorkingTime returns the instant at which d of working time has passed
// after t, counting only office hours of working days.
func (c *Calendar) AddWorkingTime(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	day := midnight(t)
	for i := 0; i < 3660; i++ { // ten years of days at most
		if c.IsWorkday(day) {
			for _, s := range c.Spans {
				start, end := day.Add(s.Start), day.Add(s.End)
				if t.After(start) {
					start = t
				}
				if !start.Before(end) {
					continue
				}
				if avail := end.Sub(start); d <= avail {
					return start.Add(d).UTC()
				} else {
					d -= avail
				}
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	return t.Add(d) // unreachable for sane inputs
}

// WorkingTimeBetween returns how much office time of working days lies
// between a and b.
func (c *Calendar) WorkingTimeBetween(a, b time.Time) time.Duration {
	var total time.Duration
	for day := midnight(a); day.Before(b); day = day.AddDate(0, 0, 1) {
		if !c.IsWorkday(day) {
			continue
		}
		for _, s := range c.Spans {
			start, end := day.Add(s.Start), day.Add(s.End)
			if a.After(start) {
				start = a
			}
			if b.Before(end) {
				end = b
			}
			if end.After(start) {
				total += end.Sub(start)
			}
		}
	}
	return total
}

// WorkingHoursPerDay is the office time of one working day.
func (c *Calendar) WorkingHoursPerDay() time.Duration {
	var d time.Duration
	for _, s := range c.Spans {
		d += s.End - s.Start
	}
	return d
}
