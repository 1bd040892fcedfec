package hotline

import "time"

// shift moves a deadline by a paused span, in the ticket's own clock.
func (t *Ticket) shift(c *Calendar, due time.Time, paused time.Duration) time.Time {
	if t.CalendarClock {
		return due.Add(paused)
	}
	return c.AddWorkingTime(due, paused)
}

// schedule sets the next deadline the sweep watches for the current state,
// and resets the warning state when that deadline changed.
func (t *Ticket) schedule(env Env) {
	var kind string
	var start, due *time.Time
	switch t.Status {
	case StatusDispatched:
		kind, start, due = "acknowledge", t.DispatchedAt, t.AckDueAt
	case StatusHandling:
		kind, start, due = "reply", t.ReplyStartAt, t.ReplyDueAt
	case StatusConcluded:
		if !t.CallbackDone && t.CallbackDueAt != nil {
			kind, start, due = "callback", t.ConcludedAt, t.CallbackDueAt
		}
	}
	if due == nil || start == nil {
		t.NextDueKind, t.NextDueAt, t.NextWarnAt, t.SLAState = "", nil, nil, "ok"
		return
	}
	if kind == t.NextDueKind && t.NextDueAt != nil && t.NextDueAt.Equal(*due) {
		return // same deadline: keep its warning state
	}
	share := env.Policy.WarningShare
	if share <= 0 {
		share = 0.2
	}
	warn := env.Calendar.WarnAt(*start, *due, share, t.CalendarClock)
	d := *due
	// A new deadline starts clean; the sweep marks the crossings so that
	// each one raises its supervision exactly once.
	t.NextDueKind, t.NextDueAt, t.NextWarnAt, t.SLAState = kind, &d, &warn, "ok"
}
