package hotline

import "strings"

// callback records a callback attempt (回访) on a concluded ticket and,
// when the requester was reached, the rating and whether it was resolved.
func (t *Ticket) callback(cmd Command, ev *Event) error {
	if t.Status != StatusConcluded {
		return t.conflict("回访")
	} else if t.CallbackDone {
		return Errorf(EConflict, "该工单已完成回访")
	} else if cmd.Reached == nil {
		return Invalid("reached", "请填写是否联系上诉求人（reached）")
	}
	ev.Reason = strings.TrimSpace(cmd.Note)
	ev.Payload["reached"] = *cmd.Reached
	t.CallbackAttempts++
	if !*cmd.Reached {
		return nil
	}
	if !cmd.Rating.Valid() {
		return Invalid("rating", "请选择评价：satisfied（满意）、basically_satisfied（基本满意）或 unsatisfied（不满意）")
	} else if cmd.Resolved == nil {
		return Invalid("resolved", "请填写诉求是否解决（resolved）")
	}
	t.CallbackDone, t.Rating, t.Resolved = true, cmd.Rating, cmd.Resolved
	ev.Payload["rating"], ev.Payload["resolved"] = cmd.Rating, *cmd.Resolved
	return nil
}

// ConcludeMerged gives a ticket merged into main the reply main was
// concluded with, and concludes it: its requester is owed a callback like
// the main ticket's, so a merge keeps every requester informed.
func (t *Ticket) ConcludeMerged(main *Ticket, env Env) (*Event, error) {
	if t.Status != StatusMerged || t.MergedInto != main.ID || main.Status != StatusConcluded {
		return nil, Errorf(EConflict, "工单当前状态为“%s”，不能%s", t.Status.Label(), ActionMergedReply.Label())
	}
	now := env.Now
	ev := &Event{TicketID: t.ID, Action: ActionMergedReply, ActorName: "系统", FromStatus: t.Status, CreatedAt: now,
		Payload: map[string]any{"main_id": main.ID, "number": main.Number, "content": main.Reply}}
	t.Status, t.Reply, t.ConcludedAt, t.UpdatedAt = StatusConcluded, main.Reply, &now, now
	t.CallbackDone, t.Rating, t.Resolved = !t.Requester.Reachable(), "", nil
	if t.Requester.Reachable() {
		due := env.Calendar.Deadline(now, env.Policy.Callback)
		t.CallbackDueAt = &due
	}
	t.schedule(env)
	ev.ToStatus = t.Status
	return ev, nil
}
