package report

import (
	"testing"
	"time"

	"hotline"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, hotline.ChinaZone)

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func ev(a hotline.Action, h int) Event { return Event{Action: a, At: at(h)} }

func dispatch(unit int64, h, dueH int) Event {
	return Event{Action: hotline.ActionDispatch, At: at(h), UnitID: unit, DueAt: at(dueH)}
}

func byKey(cs []Contribution) map[string]Counts {
	m := map[string]Counts{}
	for _, c := range cs {
		m[c.Dim+":"+c.Key] = c.Counts
	}
	return m
}

func TestContribute_ReturnedThenConcluded(t *testing.T) {
	yes := true
	tk := Ticket{Status: hotline.StatusConcluded, Channel: hotline.ChannelPhone, Kind: "complaint", Urgency: hotline.Normal,
		CategoryID: 7, LocationUnitID: 31, LeadUnitID: 200, Rating: hotline.BasicallySatisfied, Resolved: &yes,
		CallbackDue: true, KBLinked: true,
		Events: []Event{
			dispatch(100, 1, 5),
			{Action: hotline.ActionReviewReturn, At: at(2), Approve: false}, // rejected: 100 keeps it
			{Action: hotline.ActionAcknowledge, At: at(6)},                  // late
			ev(hotline.ActionUrge, 7),
			{Action: hotline.ActionReviewReturn, At: at(8), Approve: true}, // back to the centre
			ev(hotline.ActionSupervise, 9),                                 // the centre's
			dispatch(200, 10, 12),
			{Action: hotline.ActionAcknowledge, At: at(12)}, // on time (at the deadline)
			ev(hotline.ActionApproveExtension, 13),
			ev(hotline.ActionWarn, 14),
			ev(hotline.ActionOverdue, 20),
			ev(hotline.ActionOverdue, 40), // a second crossing: still one overdue ticket
		}}
	got := byKey(Contribute(tk))
	all := got["all:"]
	want := Counts{Tickets: 1, Dispatched: 1, Dispatches: 2, AckOnTime: 1, Concluded: 1, Overdue: 1, Extensions: 1,
		ReturnsApproved: 1, ReturnsRejected: 1, Supervisions: 4, Urges: 1, Evaluated: 1, Satisfied: 1,
		ResolvedKnown: 1, Resolved: 1, CallbackDue: 1, CalledBack: 1, ConcludedEver: 1, KBLinked: 1}
	if all != want {
		t.Fatalf("all:\n got %+v\nwant %+v", all, want)
	}
	for _, k := range []string{"channel:phone", "kind:complaint", "urgency:normal", "category:7", "location:31"} {
		if got[k] != want {
			t.Errorf("%s = %+v, want the ticket's own counts", k, got[k])
		}
	}
	u100 := Counts{Dispatched: 1, Dispatches: 1, ReturnsApproved: 1, ReturnsRejected: 1, Urges: 1}
	if got["unit:100"] != u100 {
		t.Errorf("unit 100 = %+v, want %+v", got["unit:100"], u100)
	}
	if c := got["unit:0"]; c != (Counts{Supervisions: 1}) {
		t.Errorf("centre = %+v, want its one supervision", c)
	}
	u200 := Counts{Tickets: 1, Dispatched: 1, Dispatches: 1, AckOnTime: 1, Concluded: 1, Overdue: 1, Extensions: 1,
		Supervisions: 3, Evaluated: 1, Satisfied: 1, ResolvedKnown: 1, Resolved: 1, CallbackDue: 1, CalledBack: 1,
		ConcludedEver: 1, KBLinked: 1}
	if got["unit:200"] != u200 {
		t.Errorf("unit 200 = %+v\n want %+v", got["unit:200"], u200)
	}
	// The units' event counts add up to the ticket's.
	var sum Counts
	for _, c := range Contribute(tk) {
		if c.Dim == DimUnit {
			sum.Add(c.Counts)
		}
	}
	if sum.Dispatches != all.Dispatches || sum.Supervisions != all.Supervisions || sum.Tickets != all.Tickets {
		t.Errorf("units sum to %+v", sum)
	}
}

func TestContribute_Cases(t *testing.T) {
	no := false
	for _, c := range []struct {
		name string
		tk   Ticket
		want Counts
	}{
		{"cancelled adds nothing", Ticket{Status: hotline.StatusCancelled}, Counts{}},
		{"direct answer", Ticket{Status: hotline.StatusConcluded, ResolvedOnCall: true},
			Counts{Tickets: 1, DirectAnswers: 1, Concluded: 1, OnTime: 1, ConcludedEver: 1}},
		{"archived counts as concluded", Ticket{Status: hotline.StatusArchived, CallbackDue: true},
			Counts{Tickets: 1, Concluded: 1, OnTime: 1, ConcludedEver: 1, CallbackDue: 1}},
		{"reopened, open again, unsatisfied, not solved", Ticket{Status: hotline.StatusHandling, ReopenCount: 1,
			Rating: hotline.Unsatisfied, Resolved: &no, CallbackDue: true, Events: []Event{dispatch(5, 1, 2), ev(hotline.ActionAcknowledge, 3)}},
			Counts{Tickets: 1, Dispatched: 1, Dispatches: 1, Evaluated: 1, Unsatisfied: 1, ResolvedKnown: 1, ConcludedEver: 1, Reopened: 1}},
		{"open, never acknowledged", Ticket{Status: hotline.StatusDispatched, Events: []Event{dispatch(5, 1, 2)}},
			Counts{Tickets: 1, Dispatched: 1, Dispatches: 1}},
		{"acknowledged without a dispatch counts nothing", Ticket{Status: hotline.StatusHandling, Events: []Event{ev(hotline.ActionAcknowledge, 1)}},
			Counts{Tickets: 1}},
	} {
		got := byKey(Contribute(c.tk))["all:"]
		if got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

func TestFinish(t *testing.T) {
	f := Finish(Counts{Tickets: 8, DirectAnswers: 2, Dispatches: 6, AckOnTime: 5, Concluded: 6, OnTime: 3,
		Evaluated: 4, Satisfied: 3, ResolvedKnown: 3, Resolved: 2, CallbackDue: 5, CalledBack: 4, ConcludedEver: 7, Reopened: 1, KBLinked: 4})
	for name, c := range map[string][2]float64{
		"response": {f.ResponseRate, 0.8333}, "resolution": {f.ResolutionRate, 0.6667}, "satisfaction": {f.SatisfactionRate, 0.75},
		"conclusion": {f.ConclusionRate, 0.75}, "on time": {f.OnTimeRate, 0.5}, "direct": {f.DirectAnswerRate, 0.25},
		"callback": {f.CallbackRate, 0.8}, "reopen": {f.ReopenRate, 0.1429}, "kb": {f.KBUseRate, 0.5},
	} {
		if c[0] != c[1] {
			t.Errorf("%s rate = %v, want %v", name, c[0], c[1])
		}
	}
	if z := Finish(Counts{}); z.ResponseRate != 0 || z.SatisfactionRate != 0 {
		t.Errorf("empty counts give %+v", z)
	}
	if ch, ok := Change(90, 120); !ok || ch != -0.25 {
		t.Errorf("Change(90, 120) = %v %v", ch, ok)
	}
	if _, ok := Change(5, 0); ok {
		t.Error("a change from nothing is not a change")
	}
}
