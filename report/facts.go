package report

import (
	"slices"
	"strconv"
	"time"

	"hotline"
)

// Dimensions of the daily counts: every ticket adds its counts once to
// DimAll and to its key in each of the others.
const (
	DimAll      = "all"      // key ""
	DimChannel  = "channel"  // hotline.Channel
	DimKind     = "kind"     // hotline.AppealKind
	DimUrgency  = "urgency"  // hotline.Urgency
	DimCategory = "category" // category id (the leaf the ticket is filed under)
	DimLocation = "location" // the place's unit id, "0" when none was given
	DimUnit     = "unit"     // unit id, "0" for the centre (see Contribute)
)

// Ticket is what the figures read of one ticket: its row as it stands and
// the events that count, in the order they happened.
type Ticket struct {
	Status         hotline.Status
	Channel        hotline.Channel
	Kind           hotline.AppealKind
	Urgency        hotline.Urgency
	CategoryID     int64
	LocationUnitID int64
	LeadUnitID     int64
	ResolvedOnCall bool
	Rating         hotline.Rating
	Resolved       *bool
	CallbackDue    bool // a callback deadline was set (the requester can be reached)
	ReopenCount    int
	KBLinked       bool
	Events         []Event
}

// Event is one counted event of a ticket.
type Event struct {
	Action  hotline.Action
	At      time.Time
	UnitID  int64     // dispatch and designate: the lead unit
	DueAt   time.Time // dispatch and designate: the acknowledge deadline
	Approve bool      // review_return: approved
}

// Counted lists the actions Contribute reads; storage loads only these.
var Counted = []hotline.Action{hotline.ActionDispatch, hotline.ActionDesignate, hotline.ActionAcknowledge,
	hotline.ActionReviewReturn, hotline.ActionApproveExtension, hotline.ActionSupervise, hotline.ActionWarn,
	hotline.ActionOverdue, hotline.ActionUrge}

// Contribution is what a ticket adds to one key of one dimension.
type Contribution struct {
	Dim, Key string
	Counts
}

// Contribute is what t adds to the daily counts of the day it was
// accepted. A cancelled ticket adds nothing. For DimUnit the ticket's own
// counts (accepted, concluded, rated …) go to its lead unit as it stands
// (0, the centre, when it never left it); each dispatch, acknowledgement,
// extension, return review, supervision, urge and deadline crossing goes
// to the unit that held the ticket at the time.
func Contribute(t Ticket) []Contribution {
	if t.Status == hotline.StatusCancelled {
		return nil
	}
	var own Counts
	own.Tickets = 1
	concluded := t.Status == hotline.StatusConcluded || t.Status == hotline.StatusArchived
	units := map[int64]*Counts{}
	unit := func(id int64) *Counts {
		if units[id] == nil {
			units[id] = &Counts{}
		}
		return units[id]
	}
	var cur int64
	var pending *Event // the dispatch waiting to be acknowledged
	overdueAt := map[int64]bool{}
	var total Counts // the event counts summed over the units
	for i := range t.Events {
		ev := &t.Events[i]
		switch ev.Action {
		case hotline.ActionDispatch, hotline.ActionDesignate:
			cur = ev.UnitID
			u := unit(cur)
			if u.Dispatches == 0 {
				u.Dispatched = 1
			}
			u.Dispatches++
			pending = ev
		case hotline.ActionAcknowledge:
			if pending != nil && !ev.At.After(pending.DueAt) {
				unit(pending.UnitID).AckOnTime++
			}
			pending = nil
		case hotline.ActionReviewReturn:
			if ev.Approve {
				unit(cur).ReturnsApproved++
				cur, pending = 0, nil
			} else {
				unit(cur).ReturnsRejected++
			}
		case hotline.ActionApproveExtension:
			unit(cur).Extensions++
		case hotline.ActionSupervise, hotline.ActionWarn, hotline.ActionOverdue:
			unit(cur).Supervisions++
			if ev.Action == hotline.ActionOverdue && !overdueAt[cur] {
				overdueAt[cur] = true
				unit(cur).Overdue = 1
			}
		case hotline.ActionUrge:
			unit(cur).Urges++
		}
	}
	for _, u := range units {
		total.Dispatches += u.Dispatches
		total.AckOnTime += u.AckOnTime
		total.ReturnsApproved += u.ReturnsApproved
		total.ReturnsRejected += u.ReturnsRejected
		total.Extensions += u.Extensions
		total.Supervisions += u.Supervisions
		total.Urges += u.Urges
	}
	own.Dispatches, own.AckOnTime, own.Extensions = total.Dispatches, total.AckOnTime, total.Extensions
	own.ReturnsApproved, own.ReturnsRejected = total.ReturnsApproved, total.ReturnsRejected
	own.Supervisions, own.Urges = total.Supervisions, total.Urges
	own.Dispatched = flag(total.Dispatches > 0)
	own.Overdue = flag(len(overdueAt) > 0)
	own.DirectAnswers = flag(t.ResolvedOnCall && concluded)
	own.Concluded = flag(concluded)
	own.OnTime = flag(concluded && len(overdueAt) == 0)
	if t.Rating.Valid() {
		own.Evaluated = 1
		own.Satisfied = flag(t.Rating != hotline.Unsatisfied)
		own.Unsatisfied = flag(t.Rating == hotline.Unsatisfied)
	}
	if t.Resolved != nil {
		own.ResolvedKnown, own.Resolved = 1, flag(*t.Resolved)
	}
	own.CallbackDue = flag(concluded && t.CallbackDue)
	own.CalledBack = flag(concluded && t.CallbackDue && t.Rating.Valid())
	own.Reopened = flag(t.ReopenCount > 0)
	own.ConcludedEver = flag(concluded || t.ReopenCount > 0)
	own.KBLinked = flag(t.KBLinked)

	// The unit's share: its events, plus the ticket's own counts for the
	// unit holding it now.
	lead := unit(t.LeadUnitID)
	lead.Tickets, lead.DirectAnswers, lead.Concluded, lead.OnTime = own.Tickets, own.DirectAnswers, own.Concluded, own.OnTime
	lead.Evaluated, lead.Satisfied, lead.Unsatisfied = own.Evaluated, own.Satisfied, own.Unsatisfied
	lead.ResolvedKnown, lead.Resolved, lead.CallbackDue, lead.CalledBack = own.ResolvedKnown, own.Resolved, own.CallbackDue, own.CalledBack
	lead.ConcludedEver, lead.Reopened, lead.KBLinked = own.ConcludedEver, own.Reopened, own.KBLinked

	out := []Contribution{
		{DimAll, "", own},
		{DimChannel, string(t.Channel), own},
		{DimKind, string(t.Kind), own},
		{DimUrgency, string(t.Urgency), own},
		{DimCategory, itoa(t.CategoryID), own},
		{DimLocation, itoa(t.LocationUnitID), own},
	}
	ids := make([]int64, 0, len(units))
	for id := range units {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		out = append(out, Contribution{DimUnit, itoa(id), *units[id]})
	}
	return out
}

func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
