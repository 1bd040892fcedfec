package wfm

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"hotline"
)

func cal() *hotline.Calendar { return hotline.NewCalendar(hotline.OfficialDays()) }

func date(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, hotline.ChinaZone)
	if err != nil {
		panic(err)
	}
	return t
}

// TestTypeOf: 2026's 中秋 and 国庆 from the official calendar.
func TestTypeOf(t *testing.T) {
	c := cal()
	for day, want := range map[string]DayType{
		"2026-09-24": "thu", "2026-09-25": TypeHoliday, "2026-09-26": TypeHoliday, "2026-09-27": TypeHoliday,
		"2026-09-28": TypeAfterHoliday, "2026-09-20": TypeMakeup, "2026-10-01": TypeHoliday, "2026-10-07": TypeHoliday,
		"2026-10-08": TypeAfterHoliday, "2026-10-10": TypeMakeup, "2026-10-11": "sun", "2026-10-12": "mon", "2026-11-28": "sat",
	} {
		if got := TypeOf(c, date(day)); got != want {
			t.Errorf("%s: %s, want %s", day, got, want)
		}
	}
}

// city is generated call history: a daily volume by weekday (Monday the
// busiest, Sundays half), holidays at 55% and the day after at 140%, a
// rise of 1% a week, the demo's intraday shape, Poisson noise.
func city(from string, days int, seed uint64) []CallDay {
	h, _ := cityExpected(from, days, seed)
	return h
}

// cityExpected is city with the expected calls of each day (what a
// perfect forecast would say).
func cityExpected(from string, days int, seed uint64) ([]CallDay, []CallDay) {
	rng := rand.New(rand.NewPCG(seed, 3))
	c := cal()
	weekday := map[time.Weekday]float64{time.Monday: 1250, time.Tuesday: 1100, time.Wednesday: 1050, time.Thursday: 1050, time.Friday: 1000,
		time.Saturday: 650, time.Sunday: 550}
	shape := hourWeightsForTest()
	var out, exp []CallDay
	for i := 0; i < days; i++ {
		d := date(from).AddDate(0, 0, i)
		typ := TypeOf(c, d)
		level := weekday[d.Weekday()] * (1 + 0.01*float64(i)/7)
		switch typ {
		case TypeHoliday:
			level *= 0.55
		case TypeAfterHoliday:
			level *= 1.4
		case TypeMakeup:
			level = weekday[time.Friday] * (1 + 0.01*float64(i)/7)
		}
		day, want := CallDay{Date: d, Type: typ}, CallDay{Date: d, Type: typ}
		for s := 0; s < Slots; s++ {
			day.Calls[s], want.Calls[s] = float64(poissonN(rng, level*shape[s])), level*shape[s]
		}
		out, exp = append(out, day), append(exp, want)
	}
	return out, exp
}

// oracle is the error of the perfect forecast on the last weeks: the
// noise no method can remove.
func oracle(h, exp []CallDay, weeks int) Accuracy {
	cut := len(h) - 7*weeks
	return score(h[cut:], exp[cut:])
}

func hourWeightsForTest() [Slots]float64 {
	w := []float64{0.4, 0.2, 0.1, 0.1, 0.1, 0.3, 0.8, 2.5, 5.5, 8.5, 9.5, 8.5, 6, 6.5, 8, 8.5, 7.5, 6, 4.5, 4, 3.5, 2.5, 1.5, 0.8}
	var out [Slots]float64
	total := 0.0
	for _, x := range w {
		total += x
	}
	for s := range out {
		out[s] = w[s/2] / total / 2
	}
	return out
}

func poissonN(rng *rand.Rand, lambda float64) int {
	if lambda > 30 {
		return int(math.Max(0, math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// TestPredict_Backtest: on generated history the forecast of two held
// weeks is within 3 points of the perfect forecast (the Poisson noise of
// half hours of 20–50 calls is about 15% by itself) on the half hours and
// on the days — with 国庆 in the held weeks and without; forecasting a
// holiday as an ordinary day does worse; an adjustment multiplies its
// days.
func TestPredict_Backtest(t *testing.T) {
	h, exp := cityExpected("2026-06-01", 140, 1) // to 2026-10-18: 国庆 falls in the held weeks
	a, best := Backtest(h, 2, Method{}), oracle(h, exp, 2)
	t.Logf("held 2 weeks incl. 国庆: WAPE %.3f (perfect %.3f), MAPE daily %.3f (%.3f), MAPE intervals %.3f (%.3f)",
		a.WAPE, best.WAPE, a.MAPEDaily, best.MAPEDaily, a.MAPEInterval, best.MAPEInterval)
	if a.Days != 14 || a.WAPE > best.WAPE+0.03 || a.MAPEDaily > best.MAPEDaily+0.03 {
		t.Errorf("accuracy %+v, perfect %+v", a, best)
	}
	qh, qexp := cityExpected("2026-03-02", 84, 2) // no holiday held back
	if q, best := Backtest(qh, 2, Method{}), oracle(qh, qexp, 2); q.WAPE > best.WAPE+0.03 || q.MAPEDaily > best.MAPEDaily+0.03 {
		t.Errorf("ordinary weeks %+v, perfect %+v", q, best)
	}
	// Without day types a holiday is forecast as an ordinary day.
	flat := make([]CallDay, len(h))
	for i, d := range h {
		flat[i] = d
		flat[i].Type = weekdayTypes[d.Date.Weekday()]
	}
	if f := Backtest(flat, 2, Method{}); f.MAPEDaily < a.MAPEDaily+0.05 {
		t.Errorf("day types did not help on the holiday weeks: %+v vs %+v", f, a)
	}
	days := []CallDay{{Date: date("2026-10-19"), Type: "mon"}, {Date: date("2026-10-20"), Type: "tue"}}
	plain := Predict(h, days, nil, Method{})
	boosted := Predict(h, days, []Adjustment{{From: date("2026-10-20"), To: date("2026-10-20"), Factor: 1.5, Note: "政策发布"}}, Method{})
	if math.Abs(boosted[0].total()-plain[0].total()) > 1e-9 || math.Abs(boosted[1].total()-1.5*plain[1].total()) > 1e-6 {
		t.Errorf("adjustment: %v → %v, %v → %v", plain[0].total(), boosted[0].total(), plain[1].total(), boosted[1].total())
	}
	if plain[0].Calls[21] <= plain[0].Calls[6] { // 10:30 busier than 03:00
		t.Errorf("profile: %v", plain[0].Calls)
	}
}

// BenchmarkPredict2Years: two years of half-hour history, four weeks
// ahead, with a backtest.
func BenchmarkPredict2Years(b *testing.B) {
	h := city("2024-12-02", 730, 5)
	c := cal()
	var ahead []CallDay
	for i := 1; i <= 28; i++ {
		d := h[len(h)-1].Date.AddDate(0, 0, i)
		ahead = append(ahead, CallDay{Date: d, Type: TypeOf(c, d)})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Predict(h, ahead, nil, Method{})
		Backtest(h, 4, Method{})
	}
}
