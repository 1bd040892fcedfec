// Package wfm is the workforce engine (话务预测与排班): the shape of a
// 12345 centre's day and a simulation of its calls against the agents on
// duty. Pure: no I/O, no clock; the randomness is the caller's.
package wfm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"hotline"
)

// Hourly is the share of a day's calls in each hour (percent; a 12345
// centre's profile: quiet at night, peaks at 9–11 and 14–17).
var Hourly = [24]float64{0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.6, 3.2, 6.0, 8.0, 8.4, 7.2, 4.8, 4.6, 6.8, 7.6, 7.4, 6.2, 4.4, 3.6, 3.2, 2.6, 1.8, 1.2}

// Day describes a day to simulate.
type Day struct {
	Start  time.Time // midnight, China time
	Calls  int       // offered calls in the day
	Agents []string  // the call agents' usernames, in rota order
	// OnDuty is how many agents take calls in each hour (the first of
	// Agents, rotated by Rotate); zero: StaffFor's numbers.
	OnDuty [24]int
	Rotate int    // shifts which agents are on duty (e.g. the day's number)
	Prefix string // of the call ids: Prefix-YYYYMMDD-00001
	Queue  string // "12345" when empty
}

// Means of the simulation: talk is log-normal around exp(5.8) ≈ 330 s
// (mean ≈ 365 s), then WrapUp of after-call work; callers wait Patience
// on average (exponential) before they give up, one in forty hangs up
// within 5 s (a short abandon); the phone rings Ring before an agent's
// pickup.
const (
	talkMu, talkSigma = 5.8, 0.45
	WrapUp            = 30 * time.Second
	Patience          = 150 * time.Second
	Ring              = 3 * time.Second
)

// StaffFor is a simple staffing of each hour for calls a day: the
// offered load in Erlangs (calls × mean handling time) with a fifth
// more, at least two agents, at most max.
func StaffFor(calls, max int) [24]int {
	var total float64
	for _, h := range Hourly {
		total += h
	}
	handle := math.Exp(talkMu+talkSigma*talkSigma/2) + WrapUp.Seconds()
	var out [24]int
	for h, share := range Hourly {
		erlangs := float64(calls) * share / total * handle / 3600
		out[h] = min(max, maxInt(2, int(math.Ceil(erlangs*1.2))))
	}
	return out
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// SimulateDay makes a day's call events in time order: arrivals by the
// hourly profile (a Poisson process within each hour); each caller, in
// order of arrival, is answered by the on-duty agent free soonest (after
// the ring, and the agent's after-call work) unless their patience runs
// out first; talk is log-normal. Agents never take two calls at once.
func SimulateDay(d Day, rng *rand.Rand) []hotline.CallEvent {
	if d.Calls <= 0 || len(d.Agents) == 0 {
		return nil
	}
	staff := d.OnDuty
	if staff == [24]int{} {
		staff = StaffFor(d.Calls, len(d.Agents))
	}
	queue := d.Queue
	if queue == "" {
		queue = "12345"
	}
	var total float64
	for _, h := range Hourly {
		total += h
	}
	freeAt := make([]time.Time, len(d.Agents)) // when each agent can take the next call
	var out []hotline.CallEvent
	id := 0
	for h, share := range Hourly {
		k := int(math.Round(float64(d.Calls) * share / total))
		if h == 23 {
			k = d.Calls - id
		}
		hourStart, hourEnd := d.Start.Add(time.Duration(h)*time.Hour), d.Start.Add(time.Duration(h+1)*time.Hour)
		at := hourStart
		rate := float64(k) / 3600 // per second
		on := onDuty(len(d.Agents), staff[h], d.Rotate)
		for i := 0; i < k; i++ {
			at = at.Add(time.Duration(rng.ExpFloat64() / rate * float64(time.Second)))
			if !at.Before(hourEnd) {
				at = hourEnd.Add(-time.Duration(k-i) * time.Second)
			}
			id++
			callID := fmt.Sprintf("%s-%s-%05d", d.Prefix, d.Start.Format("20060102"), id)
			caller := fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000))
			patience := time.Duration(rng.ExpFloat64() * float64(Patience))
			if rng.IntN(40) == 0 {
				patience = time.Duration(1+rng.IntN(4)) * time.Second
			}
			talk := time.Duration(math.Exp(talkMu+talkSigma*rng.NormFloat64()) * float64(time.Second))
			out = append(out, hotline.CallEvent{CallID: callID, Event: hotline.CallOffered, At: at, Caller: caller, Callee: "12345", Queue: queue})
			// The agent on duty free soonest.
			best := on[0]
			for _, a := range on[1:] {
				if freeAt[a].Before(freeAt[best]) {
					best = a
				}
			}
			answered := at.Add(Ring)
			if freeAt[best].After(answered) {
				answered = freeAt[best]
			}
			if answered.Sub(at) > patience {
				out = append(out, hotline.CallEvent{CallID: callID, Event: hotline.CallEnded, At: at.Add(patience)})
				continue
			}
			ended := answered.Add(talk)
			freeAt[best] = ended.Add(WrapUp)
			out = append(out,
				hotline.CallEvent{CallID: callID, Event: hotline.CallAnswered, At: answered, Agent: d.Agents[best]},
				hotline.CallEvent{CallID: callID, Event: hotline.CallEnded, At: ended, Recording: "/recordings/" + callID + ".wav"})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// onDuty lists which agents (by index) take calls: n of them, starting
// at rotate.
func onDuty(agents, n, rotate int) []int {
	n = min(max(n, 1), agents)
	out := make([]int, n)
	for i := range out {
		out[i] = ((rotate+i)%agents + agents) % agents
	}
	return out
}
