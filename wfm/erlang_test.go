package wfm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestErlangC_WorkedExample: the classic worked example (Call Centre
// Helper, "Erlang C Formula – Made Simple With an Easy Worked Example";
// the same figures in every Erlang C calculator): 100 calls in 30
// minutes, AHT 180 s, 80% answered in 20 s → 10 erlangs, 14 agents,
// P(wait) 17.4%, service level 88.8%, ASA 7.8 s, occupancy 71.4%; 13
// agents reach only 79.6%; with 30% shrinkage 20 are scheduled.
func TestErlangC_WorkedExample(t *testing.T) {
	n := Need{Calls: 100, IntervalSeconds: 1800, AHTSeconds: 180, TargetSeconds: 20, ServiceLevel: 0.8, Shrinkage: 0.3}
	s := Required(n)
	near := func(got, want, tol float64) bool { return math.Abs(got-want) <= tol }
	if s.Agents != 14 || s.Scheduled != 20 || !near(s.Load, 10, 1e-9) || !near(s.ProbabilityWait, 0.1741, 5e-4) ||
		!near(s.ServiceLevel, 0.8884, 5e-4) || !near(s.ASASeconds, 7.84, 0.01) || !near(s.Occupancy, 0.7143, 5e-4) || s.AbandonRate != 0 {
		t.Errorf("worked example: %+v", s)
	}
	if e := Evaluate(n, 13); !near(e.ServiceLevel, 0.7956, 5e-4) {
		t.Errorf("13 agents: %+v", e)
	}
	// An occupancy cap of 70% asks for one more.
	n.MaxOccupancy = 0.7
	if s := Required(n); s.Agents != 15 || s.Occupancy > 0.7 {
		t.Errorf("capped: %+v", s)
	}
	if s := Required(Need{Calls: 0, IntervalSeconds: 1800, AHTSeconds: 180, TargetSeconds: 20, ServiceLevel: 0.8}); s.Agents != 0 || s.ServiceLevel != 1 {
		t.Errorf("no calls: %+v", s)
	}
}

// TestErlangA_AgreesWithC: callers of near-infinite patience make
// Erlang A Erlang C.
func TestErlangA_AgreesWithC(t *testing.T) {
	for _, calls := range []float64{20, 100, 400} {
		c := Need{Calls: calls, IntervalSeconds: 1800, AHTSeconds: 180, TargetSeconds: 20, ServiceLevel: 0.8}
		a := c
		a.PatienceSeconds = 1e6
		sc, sa := Required(c), Required(a)
		if sc.Agents != sa.Agents || math.Abs(sc.ServiceLevel-sa.ServiceLevel) > 2e-3 || math.Abs(sc.ProbabilityWait-sa.ProbabilityWait) > 2e-3 ||
			math.Abs(sc.ASASeconds-sa.ASASeconds) > 0.05*sc.ASASeconds+0.05 || sa.AbandonRate > 1e-3 {
			t.Errorf("%v calls: C %+v, A %+v", calls, sc, sa)
		}
	}
}

// TestErlangA_Simulated checks Erlang A against a simulation of the
// same queue (M/M/N+M, 200,000 callers): service level, P(wait),
// abandonment and ASA within sampling error; and that abandonment lets
// fewer agents meet the target than Erlang C asks for.
func TestErlangA_Simulated(t *testing.T) {
	n := Need{Calls: 100, IntervalSeconds: 1800, AHTSeconds: 180, TargetSeconds: 20, ServiceLevel: 0.8, PatienceSeconds: 60}
	for _, agents := range []int{9, 11, 13} {
		want := Evaluate(n, agents)
		got := simulate(n, agents, 200_000, rand.New(rand.NewPCG(uint64(agents), 7)))
		if math.Abs(got.ServiceLevel-want.ServiceLevel) > 0.01 || math.Abs(got.ProbabilityWait-want.ProbabilityWait) > 0.01 ||
			math.Abs(got.AbandonRate-want.AbandonRate) > 0.01 || math.Abs(got.ASASeconds-want.ASASeconds) > 0.05*want.ASASeconds+0.3 {
			t.Errorf("%d agents: model %+v, simulated %+v", agents, want, got)
		}
	}
	c := n
	c.PatienceSeconds = 0
	if a, c := Required(n), Required(c); a.Agents >= c.Agents || a.ServiceLevel < 0.8 || a.AbandonRate <= 0 {
		t.Errorf("A %+v, C %+v", a, c)
	}
}

// simulate runs the M/M/N+M queue first come first served.
func simulate(n Need, agents, callers int, rng *rand.Rand) Staffing {
	free := make([]float64, agents) // when each agent is next free
	var clock float64
	var within, waited, abandoned, answered int
	var waitAnswered float64
	for i := 0; i < callers; i++ {
		clock += rng.ExpFloat64() * n.IntervalSeconds / n.Calls
		best := 0
		for a := range free {
			if free[a] < free[best] {
				best = a
			}
		}
		start := math.Max(clock, free[best])
		wait := start - clock
		if wait > 0 {
			waited++
			if patience := rng.ExpFloat64() * n.PatienceSeconds; patience < wait {
				abandoned++
				continue
			}
		}
		answered++
		waitAnswered += wait
		if wait <= n.TargetSeconds {
			within++
		}
		free[best] = start + rng.ExpFloat64()*n.AHTSeconds
	}
	return Staffing{Agents: agents, ServiceLevel: float64(within) / float64(callers), ProbabilityWait: float64(waited) / float64(callers),
		AbandonRate: float64(abandoned) / float64(callers), ASASeconds: waitAnswered / float64(answered)}
}

// BenchmarkRequired31x48: a month of half-hour intervals (31 × 48),
// Erlang C and Erlang A, at the city's volume (up to 120 calls a half
// hour).
func BenchmarkRequired31x48(b *testing.B) {
	for _, patience := range []float64{0, 90} {
		name := "erlang_c"
		if patience > 0 {
			name = "erlang_a"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for d := 0; d < 31; d++ {
					for slot := 0; slot < 48; slot++ {
						calls := 5 + 115*math.Abs(math.Sin(float64(slot)/48*math.Pi))
						Required(Need{Calls: calls, IntervalSeconds: 1800, AHTSeconds: 200, TargetSeconds: 15, ServiceLevel: 0.8,
							PatienceSeconds: patience, MaxOccupancy: 0.9, Shrinkage: 0.3})
					}
				}
			}
		})
	}
}
