package wfm_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"hotline"
	"hotline/wfm"
)

func agents(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("agent%02d", i))
	}
	return out
}

type figures struct {
	offered, answered, abandoned int
	talk                         time.Duration
}

func simulate(t *testing.T, calls int, staff [24]int, seed uint64) ([]hotline.CallEvent, figures) {
	t.Helper()
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, hotline.ChinaZone)
	evs := wfm.SimulateDay(wfm.Day{Start: day, Calls: calls, Agents: agents(14), OnDuty: staff, Prefix: "sim"}, rand.New(rand.NewPCG(seed, 1)))
	var f figures
	type call struct{ offered, answered, ended *hotline.CallEvent }
	calls2 := map[string]*call{}
	busy := map[string][][2]time.Time{}
	for i := range evs {
		e := &evs[i]
		if i > 0 && e.At.Before(evs[i-1].At) {
			t.Fatalf("event %d out of time order", i)
		}
		if e.At.Before(day) || e.At.After(day.Add(26*time.Hour)) {
			t.Fatalf("event at %v, outside the day", e.At)
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		c := calls2[e.CallID]
		if c == nil {
			c = &call{}
			calls2[e.CallID] = c
		}
		switch e.Event {
		case hotline.CallOffered:
			c.offered = e
			f.offered++
		case hotline.CallAnswered:
			c.answered = e
		case hotline.CallEnded:
			c.ended = e
		}
	}
	for id, c := range calls2 {
		if c.offered == nil || c.ended == nil {
			t.Fatalf("call %s is not whole", id)
		}
		if c.answered == nil {
			f.abandoned++
			continue
		}
		f.answered++
		f.talk += c.ended.At.Sub(c.answered.At)
		busy[c.answered.Agent] = append(busy[c.answered.Agent], [2]time.Time{c.answered.At, c.ended.At})
	}
	for a, spans := range busy {
		for i := range spans {
			for j := i + 1; j < len(spans); j++ {
				if spans[i][0].Before(spans[j][1]) && spans[j][0].Before(spans[i][1]) {
					t.Fatalf("%s on two calls at once: %v and %v", a, spans[i], spans[j])
				}
			}
		}
	}
	return evs, f
}

// A simulated day: every call whole, in time order, no agent on two calls
// at once, talk around 5½–6 minutes, few abandons when staffed for the
// load; the same seed gives the same day.
func TestSimulateDay(t *testing.T) {
	evs, f := simulate(t, 1200, [24]int{}, 7)
	if f.offered != 1200 || f.answered+f.abandoned != 1200 {
		t.Fatalf("figures %+v", f)
	}
	mean := f.talk / time.Duration(f.answered)
	rate := float64(f.abandoned) / float64(f.offered)
	t.Logf("1,200 calls staffed by StaffFor %v: %d answered, %.1f%% abandoned, mean talk %v", wfm.StaffFor(1200, 14), f.answered, rate*100, mean.Round(time.Second))
	if mean < 300*time.Second || mean > 450*time.Second || rate > 0.15 || f.abandoned == 0 {
		t.Errorf("a staffed day: mean talk %v, abandon rate %.3f", mean, rate)
	}
	again, _ := simulate(t, 1200, [24]int{}, 7)
	if !reflect.DeepEqual(evs, again) {
		t.Error("the same seed gave another day")
	}
	// Two agents all day for the same calls: the queue grows, callers give up.
	var two [24]int
	for h := range two {
		two[h] = 2
	}
	_, short := simulate(t, 1200, two, 7)
	if short.abandoned <= f.abandoned*3 {
		t.Errorf("understaffed: %d abandons, staffed %d", short.abandoned, f.abandoned)
	}
}

func TestStaffFor(t *testing.T) {
	s := wfm.StaffFor(1200, 10)
	if s[3] != 2 || s[10] < 6 || s[10] > 10 || s[10] <= s[7] {
		t.Errorf("staffing %v: 2 at night, most at the morning peak", s)
	}
}
