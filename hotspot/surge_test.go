package hotspot

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPoissonTail(t *testing.T) {
	for _, c := range []struct {
		c      int
		lambda float64
		want   float64
	}{
		{0, 2, 1},
		{1, 2, 1 - math.Exp(-2)},
		{3, 1, 1 - math.Exp(-1)*(1+1+0.5)},
		{10, 1, 1.1142547833872e-07},
		{5, 0.3, 1.57852e-05}, // e^-0.3 (0.3^5/5! + 0.3^6/6! + …)
		{20, 20, 0.5297427331},
	} {
		got := PoissonTail(c.c, c.lambda)
		if math.Abs(got-c.want) > 1e-6*math.Max(c.want, 1e-3) {
			t.Errorf("PoissonTail(%d, %g) = %.10g, want %.10g", c.c, c.lambda, got, c.want)
		}
	}
}

// quietCity is 70 days of Poisson counts for 60 keys at rates from 0.2
// to 4 a day, weekends at half the rate.
func quietCity(seed uint64) (map[SurgeKey][]int, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	const days = 70
	weekday := make([]int, days)
	for i := range weekday {
		weekday[i] = i % 7
	}
	series := map[SurgeKey][]int{}
	for k := 0; k < 60; k++ {
		rate := 0.2 + 3.8*float64(k)/59
		s := make([]int, days)
		for i := range s {
			r := rate
			if weekday[i] >= 5 {
				r /= 2
			}
			s[i] = poisson(rng, r)
		}
		series[SurgeKey{CategoryID: int64(k + 1), DistrictID: int64(k%7 + 1)}] = s
	}
	return series, weekday
}

func poisson(rng *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// TestSurges_FalseAlarmsAndDetection: on quiet Poisson counts the rule
// raises few alarms (far under one a week for 60 keys), and the same
// counts with a burst added are found on the burst's days — also a
// busy key's burst, which a fixed count would hide, and not a burst on
// a weekend read against weekdays.
func TestSurges_FalseAlarmsAndDetection(t *testing.T) {
	alarms, keyDays := 0, 0
	for seed := uint64(1); seed <= 5; seed++ {
		series, weekday := quietCity(seed)
		for d := 28; d < 70; d++ {
			alarms += len(Surges(series, weekday, d, SurgeRule{}))
			keyDays += len(series)
		}
	}
	rate := float64(alarms) / float64(keyDays)
	t.Logf("false alarms: %d in %d key-days (%.5f)", alarms, keyDays, rate)
	if rate > 0.001 {
		t.Errorf("false-alarm rate %.5f, want ≤ 0.001", rate)
	}
	series, weekday := quietCity(9)
	quiet := SurgeKey{CategoryID: 1, DistrictID: 1}        // 0.2 a day
	busy := SurgeKey{CategoryID: 60, DistrictID: 59%7 + 1} // 4 a day
	for d := 50; d < 53; d++ {
		series[quiet][d] += 6
		series[busy][d] += 12
	}
	found := map[SurgeKey]int{}
	for d := 50; d < 53; d++ {
		for _, s := range Surges(series, weekday, d, SurgeRule{}) {
			found[s.Key]++
			if s.Count != series[s.Key][d] || s.Expected <= 0 || s.P > 0.001 {
				t.Errorf("surge %+v: count %d", s, series[s.Key][d])
			}
		}
	}
	if found[quiet] < 2 || found[busy] < 2 {
		t.Errorf("bursts found on %d and %d of 3 days, want ≥ 2 each", found[quiet], found[busy])
	}
	if got := Surges(series, weekday, 10, SurgeRule{}); got != nil {
		t.Errorf("a day inside the baseline gave %v", got)
	}
	// A new deployment: three weeks of nothing, then its first days.
	fresh := map[SurgeKey][]int{quiet: make([]int, 60)}
	for d := 22; d < 60; d++ {
		fresh[quiet][d] = 1
	}
	fresh[quiet][30], fresh[quiet][55] = 8, 8
	if got := Surges(fresh, weekday, 30, SurgeRule{}); got != nil {
		t.Errorf("a baseline of 8 busy days in 28 gave %v", got)
	}
	if got := Surges(fresh, weekday, 55, SurgeRule{}); len(got) != 1 {
		t.Errorf("once the baseline is full: %v", got)
	}
}
