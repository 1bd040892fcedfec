package wfm

import (
	"math"
	"time"

	"hotline"
)

// Forecast (话务量预测): offered calls per half hour for the days ahead,
// by the day-type × interval profile method with a trend — the standard
// method of contact-centre planning where a year of history is rare:
//
//  1. each day has a type: its weekday, or 法定节假日 (holiday), 调休上班
//     (make-up workday) or the first working day after a holiday, from
//     the working calendar;
//  2. the level of an ordinary weekday is the mean of its last Weeks
//     occurrences; a special type's level is its mean ratio to the
//     ordinary days around it in the history (or a default ratio when
//     the history has none), times the ordinary level it replaces;
//  3. the trend is the least-squares slope, over the last Weeks weeks,
//     of each ordinary day's calls against its weekday's level, applied
//     from the middle of those weeks and held within ±30%;
//  4. the day's total is spread over the half hours by its profile: the
//     mean shares of the last Weeks days of the same profile class
//     (working day, Saturday, Sunday, holiday);
//  5. known events (major activities, policy announcements) multiply the
//     days they cover (Adjustment).

// Slots is the number of half hours in a day.
const Slots = 48

// DayType is what a day is, for the forecast.
type DayType string

// The day types besides the weekdays ("mon" … "sun").
const (
	TypeHoliday      DayType = "holiday"       // 法定节假日
	TypeMakeup       DayType = "makeup"        // 调休上班
	TypeAfterHoliday DayType = "after_holiday" // the first working day after a holiday
)

var weekdayTypes = [7]DayType{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// DayTypeNames name the day types.
var DayTypeNames = map[DayType]string{"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五", "sat": "周六", "sun": "周日",
	TypeHoliday: "法定节假日", TypeMakeup: "调休上班", TypeAfterHoliday: "节后首个工作日"}

// TypeOf is the day type of the day containing t: a holiday or a
// make-up workday as the calendar says, the first working day after a
// holiday, or its weekday.
func TypeOf(cal *hotline.Calendar, t time.Time) DayType {
	t = t.In(hotline.ChinaZone)
	if o, ok := cal.Override(t); ok {
		if o.Kind == hotline.DayHoliday {
			return TypeHoliday
		}
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return TypeMakeup
		}
	}
	if cal.IsWorkday(t) {
		for back := 1; back <= 4; back++ { // back over a weekend to the holiday
			o, ok := cal.Override(t.AddDate(0, 0, -back))
			if ok && o.Kind == hotline.DayHoliday {
				return TypeAfterHoliday
			}
			if cal.IsWorkday(t.AddDate(0, 0, -back)) {
				break
			}
		}
	}
	return weekdayTypes[t.Weekday()]
}

// class is a day type's profile class: the shape of its day.
func class(t DayType) string {
	switch t {
	case "sat", "sun", TypeHoliday:
		return string(t)
	}
	return "work"
}

// CallDay is a day of history: its date (China time, any time of the day)
// and type, and the calls offered in each half hour.
type CallDay struct {
	Date  time.Time
	Type  DayType
	Calls [Slots]float64
}

func (d CallDay) total() float64 {
	t := 0.0
	for _, c := range d.Calls {
		t += c
	}
	return t
}

// Adjustment multiplies the forecast of the days From to To (dates,
// inclusive) by Factor: a known event.
type Adjustment struct {
	From, To time.Time
	Factor   float64
	Note     string
}

// Method tunes the forecast; the zero value takes the defaults.
type Method struct {
	Weeks int // the weeks of history the levels, trend and profiles read (8)
}

// defaultRatios are a special day's calls against an ordinary day's when
// the history has none: assumptions to be replaced by the deployment's
// own history as it builds up.
var defaultRatios = map[DayType]float64{TypeHoliday: 0.6, TypeMakeup: 0.9, TypeAfterHoliday: 1.3}

// Predict forecasts the given days (each with its date and type; Calls
// ignored) from the history (in date order, one entry a day).
func Predict(history []CallDay, days []CallDay, adj []Adjustment, m Method) []CallDay {
	if m.Weeks <= 0 {
		m.Weeks = 8
	}
	out := make([]CallDay, len(days))
	if len(history) == 0 {
		for i, d := range days {
			out[i] = CallDay{Date: d.Date, Type: d.Type}
		}
		return out
	}
	last := history[len(history)-1].Date
	window := last.AddDate(0, 0, -7*m.Weeks)
	// Levels of the ordinary weekdays, and profiles.
	level := map[DayType][]float64{}
	shares := map[string][][Slots]float64{}
	for _, d := range history {
		if !d.Date.After(window) {
			continue
		}
		t := d.total()
		if _, special := defaultRatios[d.Type]; !special {
			level[d.Type] = append(level[d.Type], t)
		}
		if t > 0 {
			var s [Slots]float64
			for i, c := range d.Calls {
				s[i] = c / t
			}
			shares[class(d.Type)] = append(shares[class(d.Type)], s)
		}
	}
	// The trend: each ordinary day against its weekday's level, by date.
	var xs, ys []float64
	for _, d := range history {
		if _, special := defaultRatios[d.Type]; special || !d.Date.After(window) {
			continue
		}
		if m := mean(level[d.Type]); m > 0 {
			xs, ys = append(xs, d.Date.Sub(window).Hours()/24/7), append(ys, d.total()/m)
		}
	}
	slope := trend(xs, ys)
	mid := window.Add(last.Sub(window) / 2)
	ratios := specialRatios(history)
	for i, d := range days {
		base := mean(level[ordinaryFor(d)])
		if r, special := ratios[d.Type]; special {
			base *= r
		}
		ahead := d.Date.Sub(mid).Hours() / 24 / 7
		base *= math.Max(0.7, math.Min(1.3, 1+slope*ahead))
		for _, a := range adj {
			if !d.Date.Before(dayStart(a.From)) && d.Date.Before(dayStart(a.To).AddDate(0, 0, 1)) {
				base *= a.Factor
			}
		}
		profile := meanShares(shares[class(d.Type)])
		if profile == nil {
			profile = meanShares(shares["work"])
		}
		o := CallDay{Date: d.Date, Type: d.Type}
		for s := range o.Calls {
			if profile != nil {
				o.Calls[s] = base * profile[s]
			} else {
				o.Calls[s] = base / Slots
			}
		}
		out[i] = o
	}
	return out
}

// ordinaryFor is the ordinary weekday a day's level starts from: its own
// weekday, or for a special day the weekday it falls on (a holiday on a
// Thursday starts from Thursdays, a make-up Saturday from Fridays).
func ordinaryFor(d CallDay) DayType {
	wd := d.Date.In(hotline.ChinaZone).Weekday()
	if d.Type == TypeMakeup {
		return "fri"
	}
	return weekdayTypes[wd]
}

// specialRatios is, for each special day type, its mean ratio to the
// mean of the ordinary days of the same weekday class within the 14
// days around it; the default where the history has none.
func specialRatios(history []CallDay) map[DayType]float64 {
	out := map[DayType]float64{}
	for t, r := range defaultRatios {
		out[t] = r
	}
	found := map[DayType][]float64{}
	for i, d := range history {
		if _, special := defaultRatios[d.Type]; !special {
			continue
		}
		want := ordinaryFor(d)
		var around []float64
		for j := max(0, i-14); j < min(len(history), i+15); j++ {
			if history[j].Type == want {
				around = append(around, history[j].total())
			}
		}
		if m := mean(around); m > 0 {
			found[d.Type] = append(found[d.Type], d.total()/m)
		}
	}
	for t, rs := range found {
		out[t] = mean(rs)
	}
	return out
}

// trend is the least-squares slope of y (relative to its weekday's
// level, so about 1) on x (weeks): the share gained a week (0 with
// fewer than 14 days).
func trend(xs, ys []float64) float64 {
	n := float64(len(xs))
	if n < 14 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i, x := range xs {
		y := ys[i]
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	den := n*sxx - sx*sx
	if den == 0 || sy == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / den / (sy / n)
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t / float64(len(v))
}

func meanShares(v [][Slots]float64) *[Slots]float64 {
	if len(v) == 0 {
		return nil
	}
	var out [Slots]float64
	for _, s := range v {
		for i, x := range s {
			out[i] += x / float64(len(v))
		}
	}
	return &out
}

func dayStart(t time.Time) time.Time {
	t = t.In(hotline.ChinaZone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, hotline.ChinaZone)
}

// Accuracy is a forecast's error on days held back.
type Accuracy struct {
	Days         int     `json:"days"`
	WAPE         float64 `json:"wape"`          // Σ|forecast − actual| ÷ Σ actual over the half hours
	MAPEDaily    float64 `json:"mape_daily"`    // mean |forecast − actual| ÷ actual of the days' totals
	MAPEInterval float64 `json:"mape_interval"` // the same over the half hours with at least 5 calls
}

// Backtest holds back the last weeks of the history, forecasts them from
// the rest, and measures the error.
func Backtest(history []CallDay, weeks int, m Method) Accuracy {
	cut := len(history) - 7*weeks
	if weeks <= 0 || cut < 14 {
		return Accuracy{}
	}
	fit, held := history[:cut], history[cut:]
	return score(held, Predict(fit, held, nil, m))
}

// score is the error of the forecast pred of the days held.
func score(held, pred []CallDay) Accuracy {
	var absErr, actual, dayErr, intErr float64
	var ints, days int
	for i, d := range held {
		f := pred[i]
		if t := d.total(); t > 0 {
			dayErr += math.Abs(f.total()-t) / t
			days++
		}
		for s := range d.Calls {
			absErr += math.Abs(f.Calls[s] - d.Calls[s])
			actual += d.Calls[s]
			if d.Calls[s] >= 5 {
				intErr += math.Abs(f.Calls[s]-d.Calls[s]) / d.Calls[s]
				ints++
			}
		}
	}
	a := Accuracy{Days: len(held)}
	if actual > 0 {
		a.WAPE = absErr / actual
	}
	if days > 0 {
		a.MAPEDaily = dayErr / float64(days)
	}
	if ints > 0 {
		a.MAPEInterval = intErr / float64(ints)
	}
	return a
}
