package hotspot

import (
	"math"
	"sort"
)

// SurgeKey is what a surge is counted by: the appeal's category (its
// leaf) and the district (区县) of its place.
type SurgeKey struct {
	CategoryID int64
	DistrictID int64
}

// SurgeRule tunes the surge detector; the zero value takes the defaults.
type SurgeRule struct {
	Baseline int     // days of history the expected count is taken from (28)
	MinCount int     // the fewest appeals on a day that can be a surge (5)
	Alpha    float64 // the largest chance, under the baseline, of a count at least as high (0.001)
	MinRate  float64 // the least expected count a day, so that a quiet key does not alarm at its first few appeals (0.3)
}

func (r SurgeRule) withDefaults() SurgeRule {
	if r.Baseline <= 0 {
		r.Baseline = 28
	}
	if r.MinCount <= 0 {
		r.MinCount = 5
	}
	if r.Alpha <= 0 {
		r.Alpha = 0.001
	}
	if r.MinRate <= 0 {
		r.MinRate = 0.3
	}
	return r
}

// Surge is a key whose count on a day is far above its baseline.
type Surge struct {
	Key      SurgeKey
	Day      int     // index into the series
	Count    int     // appeals that day
	Expected float64 // the baseline's expected count that day
	P        float64 // the chance of at least Count under a Poisson of mean Expected
}

// Surges finds the surges on day d of the daily counts (each series
// index 0 is the same day; d ≥ the rule's Baseline days in). The
// expected count of a key is its mean over the Baseline days before d,
// times the weekday factor of day d (the whole centre's volume on that
// weekday over the baseline ÷ its mean day: Mondays are busier than
// Sundays), at least MinRate; a day is a surge when its count is at
// least MinCount and a Poisson of that mean reaches it with a chance of
// at most Alpha. weekday[i] is day i's weekday (0–6). Day d may be the
// day still running: its count so far is compared with a whole day's
// expectation, so a surge is raised late rather than falsely. Nothing is
// raised until the centre has appeals on three in four baseline days.
func Surges(series map[SurgeKey][]int, weekday []int, d int, r SurgeRule) []Surge {
	r = r.withDefaults()
	if d < r.Baseline || d >= len(weekday) {
		return nil
	}
	if !matureBaseline(series, d, r.Baseline) {
		return nil
	}
	factor := weekdayFactor(series, weekday, d, r.Baseline)
	var out []Surge
	for k, s := range series {
		if d >= len(s) || s[d] < r.MinCount {
			continue
		}
		sum := 0
		for i := d - r.Baseline; i < d; i++ {
			sum += s[i]
		}
		exp := math.Max(float64(sum)/float64(r.Baseline)*factor, r.MinRate)
		if p := PoissonTail(s[d], exp); p <= r.Alpha {
			out = append(out, Surge{Key: k, Day: d, Count: s[d], Expected: exp, P: p})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].P != out[j].P {
			return out[i].P < out[j].P
		}
		if out[i].Key.CategoryID != out[j].Key.CategoryID {
			return out[i].Key.CategoryID < out[j].Key.CategoryID
		}
		return out[i].Key.DistrictID < out[j].Key.DistrictID
	})
	return out
}

// matureBaseline reports whether the centre had appeals on at least
// three in four of the baseline days: before that (a new deployment, the
// first weeks of an import) every key's baseline is empty and everything
// would look like a surge.
func matureBaseline(series map[SurgeKey][]int, d, baseline int) bool {
	busy := 0
	for i := d - baseline; i < d; i++ {
		for _, s := range series {
			if i < len(s) && s[i] > 0 {
				busy++
				break
			}
		}
	}
	return 4*busy >= 3*baseline
}

// weekdayFactor is the centre's volume on day d's weekday over the
// baseline days, per day, ÷ its mean day over them (1 when unknown).
func weekdayFactor(series map[SurgeKey][]int, weekday []int, d, baseline int) float64 {
	var all, same float64
	sameDays := 0
	for i := d - baseline; i < d; i++ {
		n := 0
		for _, s := range series {
			if i < len(s) {
				n += s[i]
			}
		}
		all += float64(n)
		if weekday[i] == weekday[d] {
			same += float64(n)
			sameDays++
		}
	}
	if all == 0 || sameDays == 0 {
		return 1
	}
	return (same / float64(sameDays)) / (all / float64(baseline))
}

// PoissonTail is P(X ≥ c) for X Poisson with mean lambda. Above the mean
// it sums the tail itself (from the term at c, found in logs), so small
// chances keep their precision; below, it is one minus the head.
func PoissonTail(c int, lambda float64) float64 {
	if c <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	pmf := func(k int) float64 {
		lg, _ := math.Lgamma(float64(k) + 1)
		return math.Exp(float64(k)*math.Log(lambda) - lambda - lg)
	}
	if float64(c) > lambda {
		term := pmf(c)
		sum := term
		for k := c + 1; term > sum*1e-15; k++ {
			term *= lambda / float64(k)
			sum += term
		}
		return math.Min(1, sum)
	}
	head := 0.0
	for k := 0; k < c; k++ {
		head += pmf(k)
	}
	return math.Max(0, 1-head)
}
