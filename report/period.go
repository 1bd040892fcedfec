package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"hotline"
)

// Day numbers the calendar days of China time from 1970-01-01 (day 0);
// the daily counts are kept by it.
func Day(t time.Time) int64 {
	return floorDiv(t.UnixMilli()+8*3600*1000, 86400000)
}

// DayStart is the first instant of day d, China time.
func DayStart(d int64) time.Time {
	return time.UnixMilli(d*86400000 - 8*3600*1000).In(hotline.ChinaZone)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Period kinds of the picker and the reports.
const (
	PeriodDay     = "day"
	PeriodWeek    = "week" // Monday to Sunday
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodHalf    = "half" // 上半年 / 下半年
	PeriodYear    = "year"
	PeriodCustom  = "custom"
)

// Period is a run of whole days, China time: [From, To).
type Period struct {
	Kind     string    `json:"kind"`
	From, To time.Time `json:"-"`
}

// Days are the day numbers of p, From inclusive and To exclusive.
func (p Period) Days() (int64, int64) { return Day(p.From), Day(p.To) }

// Key names p as the reports do: 2026-11-03, 2026-W45, 2026-11, 2026-Q4,
// 2026-H2, 2026, or 2026-11-03~2026-11-09 for a custom run.
func (p Period) Key() string {
	f := p.From.In(hotline.ChinaZone)
	switch p.Kind {
	case PeriodDay:
		return f.Format("2006-01-02")
	case PeriodWeek:
		y, w := f.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case PeriodMonth:
		return f.Format("2006-01")
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", f.Year(), (int(f.Month())+2)/3)
	case PeriodHalf:
		return fmt.Sprintf("%d-H%d", f.Year(), (int(f.Month())+5)/6)
	case PeriodYear:
		return strconv.Itoa(f.Year())
	}
	return f.Format("2006-01-02") + "~" + p.To.In(hotline.ChinaZone).AddDate(0, 0, -1).Format("2006-01-02")
}

// Label is p in Chinese: 2026年11月, 2026年第四季度, 2026年上半年 …
func (p Period) Label() string {
	f := p.From.In(hotline.ChinaZone)
	switch p.Kind {
	case PeriodDay:
		return f.Format("2006年1月2日")
	case PeriodWeek:
		return f.Format("2006年1月2日") + "起一周"
	case PeriodMonth:
		return f.Format("2006年1月")
	case PeriodQuarter:
		return fmt.Sprintf("%d年第%s季度", f.Year(), []string{"一", "二", "三", "四"}[(int(f.Month())-1)/3])
	case PeriodHalf:
		return fmt.Sprintf("%d年%s半年", f.Year(), []string{"上", "下"}[(int(f.Month())-1)/6])
	case PeriodYear:
		return fmt.Sprintf("%d年", f.Year())
	}
	return f.Format("2006年1月2日") + "至" + p.To.In(hotline.ChinaZone).AddDate(0, 0, -1).Format("2006年1月2日")
}

// Previous is the period of the same kind and length just before p.
func (p Period) Previous() Period { return p.shift(-1) }

// Next is the period of the same kind and length just after p.
func (p Period) Next() Period { return p.shift(1) }

// shift moves p by n of its own lengths (whole months for the calendar
// kinds, days for the others).
func (p Period) shift(n int) Period {
	switch p.Kind {
	case PeriodDay, PeriodWeek, PeriodCustom:
		days := int(p.To.Sub(p.From).Hours()/24 + 0.5)
		return Period{p.Kind, p.From.AddDate(0, 0, n*days), p.To.AddDate(0, 0, n*days)}
	}
	return Period{p.Kind, p.From.AddDate(0, n*p.months(), 0), p.To.AddDate(0, n*p.months(), 0)}
}

// LastYear is p a year earlier (同比).
func (p Period) LastYear() Period {
	if p.Kind == PeriodWeek {
		return Period{p.Kind, p.From.AddDate(0, 0, -364), p.To.AddDate(0, 0, -364)}
	}
	return Period{p.Kind, p.From.AddDate(-1, 0, 0), p.To.AddDate(-1, 0, 0)}
}

func (p Period) months() int {
	return map[string]int{PeriodMonth: 1, PeriodQuarter: 3, PeriodHalf: 6, PeriodYear: 12}[p.Kind]
}

// Containing is the period of the kind that holds t (custom is not one).
func Containing(kind string, t time.Time) (Period, error) {
	l := t.In(hotline.ChinaZone)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	month := func(m time.Month, n int) Period {
		f := time.Date(l.Year(), m, 1, 0, 0, 0, 0, hotline.ChinaZone)
		return Period{kind, f, f.AddDate(0, n, 0)}
	}
	switch kind {
	case PeriodDay:
		return Period{kind, day, day.AddDate(0, 0, 1)}, nil
	case PeriodWeek:
		f := day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
		return Period{kind, f, f.AddDate(0, 0, 7)}, nil
	case PeriodMonth:
		return month(l.Month(), 1), nil
	case PeriodQuarter:
		return month(time.Month((int(l.Month())-1)/3*3+1), 3), nil
	case PeriodHalf:
		return month(time.Month((int(l.Month())-1)/6*6+1), 6), nil
	case PeriodYear:
		return month(time.January, 12), nil
	}
	return Period{}, hotline.Invalid("period", "周期须为 day、week、month、quarter、half、year 之一")
}

// ParseKey reads a period from its Key: 2026-11-03, 2026-W45, 2026-11,
// 2026-Q4, 2026-H1 or 2026.
func ParseKey(key string) (Period, error) {
	bad := hotline.Invalid("period", "无法识别的周期“%s”（例如 2026-11、2026-Q4、2026-H1、2026）", key)
	var y, n int
	switch {
	case len(key) == 4:
		y, err := strconv.Atoi(key)
		if err != nil || y < 1970 {
			return Period{}, bad
		}
		return Containing(PeriodYear, time.Date(y, 1, 1, 0, 0, 0, 0, hotline.ChinaZone))
	case strings.Contains(key, "-Q"), strings.Contains(key, "-H"):
		kind, per := PeriodQuarter, 3
		if strings.Contains(key, "-H") {
			kind, per = PeriodHalf, 6
		}
		if _, err := fmt.Sscanf(key[:4]+" "+key[6:], "%d %d", &y, &n); err != nil || len(key) != 7 || n < 1 || n*per > 12 {
			return Period{}, bad
		}
		return Containing(kind, time.Date(y, time.Month((n-1)*per+1), 1, 0, 0, 0, 0, hotline.ChinaZone))
	case strings.Contains(key, "-W"):
		if _, err := fmt.Sscanf(key, "%4d-W%2d", &y, &n); err != nil || len(key) != 8 || n < 1 || n > 53 {
			return Period{}, bad
		}
		// ISO week n: the week holding 4 January, plus n−1 weeks.
		p, _ := Containing(PeriodWeek, time.Date(y, 1, 4, 0, 0, 0, 0, hotline.ChinaZone))
		p.From, p.To = p.From.AddDate(0, 0, 7*(n-1)), p.To.AddDate(0, 0, 7*(n-1))
		if wy, _ := p.From.ISOWeek(); wy != y {
			return Period{}, bad
		}
		return p, nil
	case len(key) == 7:
		t, err := time.ParseInLocation("2006-01", key, hotline.ChinaZone)
		if err != nil {
			return Period{}, bad
		}
		return Containing(PeriodMonth, t)
	case len(key) == 10:
		t, err := time.ParseInLocation("2006-01-02", key, hotline.ChinaZone)
		if err != nil {
			return Period{}, bad
		}
		return Containing(PeriodDay, t)
	}
	return Period{}, bad
}

// Custom is the run of days from the day of from to the day of to, both
// included.
func Custom(from, to time.Time) (Period, error) {
	f, _ := Containing(PeriodDay, from)
	t, _ := Containing(PeriodDay, to)
	if t.To.Before(f.To) {
		return Period{}, hotline.Invalid("to", "结束日期不能早于开始日期")
	} else if t.To.Sub(f.From) > 3700*24*time.Hour {
		return Period{}, hotline.Invalid("to", "统计区间最长十年")
	}
	return Period{PeriodCustom, f.From, t.To}, nil
}
