package wfm

import (
	"math"

	"hotline"
)

// Staffing (人力测算): how many agents an interval needs, from the Erlang
// C model (M/M/N: Poisson arrivals, exponential handle times, callers
// wait as long as it takes) or the Erlang A model (M/M/N+M: callers give
// up after an exponential patience) — the standard models of contact
// centre staffing.

// AfterCallSeconds is the after-call work (话后处理) added to the talk
// time for the handle time when the calls do not record it; and
// DefaultTalkSeconds the talk time assumed before there are calls.
const (
	AfterCallSeconds   = 30
	DefaultTalkSeconds = 240
)

// The planning defaults: agents busy at most 85% of the time, and 30% of
// paid time off the phones (breaks, training, meetings, leave).
const (
	DefaultMaxOccupancy = 0.85
	DefaultShrinkage    = 0.3
)

// Need is the question: an interval's calls and the target.
type Need struct {
	Calls           float64 // offered calls in the interval
	IntervalSeconds float64 // the interval's length (1,800 for half an hour)
	AHTSeconds      float64 // average handle time: talk + after-call work
	TargetSeconds   float64 // answered within this many seconds …
	ServiceLevel    float64 // … for at least this share of calls (0.8)
	PatienceSeconds float64 // mean patience: 0 = Erlang C (no abandonment), else Erlang A
	MaxOccupancy    float64 // the highest share of time agents may be busy (0 = no cap)
	Shrinkage       float64 // the share of paid time agents are not on the phones (breaks, training, leave)
}

// Check refuses the first input that makes no sense, naming it as the
// API does.
func (n Need) Check() error {
	switch {
	case n.Calls < 0 || math.IsNaN(n.Calls) || n.Calls > 1e6:
		return hotline.Invalid("calls", "话务量应在 0 到 1000000 之间")
	case n.IntervalSeconds <= 0 || n.IntervalSeconds > 86400:
		return hotline.Invalid("interval_minutes", "时段长度应在 1 分钟到 1 天之间")
	case n.AHTSeconds <= 0 || n.AHTSeconds > 36000:
		return hotline.Invalid("aht_seconds", "平均处理时长应大于 0 且不超过 36000 秒")
	case n.TargetSeconds < 0 || n.TargetSeconds > 3600:
		return hotline.Invalid("target_seconds", "目标接听时间应在 0 到 3600 秒之间")
	case n.ServiceLevel <= 0 || n.ServiceLevel >= 1:
		return hotline.Invalid("service_level", "服务水平应大于 0 且小于 1（如 0.8）")
	case n.PatienceSeconds < 0 || n.PatienceSeconds > 36000:
		return hotline.Invalid("patience_seconds", "平均耐心时长应在 0 到 36000 秒之间")
	case n.MaxOccupancy < 0 || n.MaxOccupancy > 1:
		return hotline.Invalid("max_occupancy", "最高占用率应在 0 到 1 之间")
	case n.Shrinkage < 0 || n.Shrinkage >= 1:
		return hotline.Invalid("shrinkage", "缩减率应不小于 0 且小于 1")
	}
	return nil
}

// Staffing is the answer for a number of agents.
type Staffing struct {
	Agents          int     `json:"agents"`           // on the phones
	Scheduled       int     `json:"scheduled"`        // agents ÷ (1 − shrinkage), rounded up
	ServiceLevel    float64 `json:"service_level"`    // share of offered calls answered within the target
	ProbabilityWait float64 `json:"probability_wait"` // share of calls that wait at all
	Occupancy       float64 `json:"occupancy"`        // carried load ÷ agents
	ASASeconds      float64 `json:"asa_seconds"`      // average speed of answer of the answered calls
	AbandonRate     float64 `json:"abandon_rate"`     // share of calls abandoned (Erlang A; 0 for Erlang C)
	Load            float64 `json:"load_erlangs"`     // offered load: calls × AHT ÷ interval
}

// Required finds the fewest agents that meet the service level and the
// occupancy cap, and their figures. With no calls it is none.
func Required(n Need) Staffing {
	load := n.Calls * n.AHTSeconds / n.IntervalSeconds
	if n.Calls == 0 {
		return Staffing{ServiceLevel: 1, Load: 0}
	}
	meets := func(s Staffing) bool {
		return s.ServiceLevel >= n.ServiceLevel && (n.MaxOccupancy == 0 || s.Occupancy <= n.MaxOccupancy)
	}
	// Start at the load (Erlang C needs more agents than erlangs; with
	// abandonment fewer may do) and walk: the figures improve with every
	// agent added.
	agents := int(math.Floor(load)) + 1
	s := Evaluate(n, agents)
	if meets(s) && n.PatienceSeconds > 0 {
		for agents > 1 {
			fewer := Evaluate(n, agents-1)
			if !meets(fewer) {
				break
			}
			agents, s = agents-1, fewer
		}
		return s
	}
	for !meets(s) {
		agents++
		s = Evaluate(n, agents)
	}
	return s
}

// Evaluate gives the figures of a number of agents for the need.
func Evaluate(n Need, agents int) Staffing {
	load := n.Calls * n.AHTSeconds / n.IntervalSeconds
	s := Staffing{Agents: agents, Load: load}
	s.Scheduled = int(math.Ceil(float64(agents)/(1-n.Shrinkage) - 1e-9))
	if n.Calls == 0 {
		s.ServiceLevel = 1
		return s
	}
	if n.PatienceSeconds == 0 {
		erlangC(&s, load, agents, n.TargetSeconds, n.AHTSeconds)
	} else {
		erlangA(&s, n, agents)
	}
	return s
}

// erlangC fills the Erlang C figures: P(wait) = C(N, A) from the Erlang
// B recursion (stable for large N), SL = 1 − C·e^(−(N−A)·T/AHT),
// ASA = C·AHT/(N−A) (every call is answered), occupancy A/N.
func erlangC(s *Staffing, load float64, agents int, target, aht float64) {
	n := float64(agents)
	if n <= load {
		s.ProbabilityWait, s.ServiceLevel, s.Occupancy, s.ASASeconds = 1, 0, 1, math.Inf(1)
		return
	}
	b := 1.0
	for k := 1; k <= agents; k++ {
		b = load * b / (float64(k) + load*b)
	}
	c := n * b / (n - load*(1-b))
	s.ProbabilityWait = c
	s.ServiceLevel = 1 - c*math.Exp(-(n-load)*target/aht)
	s.Occupancy = load / n
	s.ASASeconds = c * aht / (n - load)
}
