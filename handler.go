package hotline

// assign names the lead unit's handler (经办人) of a ticket it holds: one
// of the unit's own staff, checked by storage (the user must be an active
// member of the lead unit), who then finds it under 我经办的.
func (t *Ticket) assign(cmd Command, ev *Event) error {
	switch t.Status {
	case StatusDispatched, StatusHandling, StatusSuspended:
	default:
		return t.conflict(ActionAssign.Label())
	}
	if cmd.UserID <= 0 {
		return Invalid("user_id", "请选择经办人")
	}
	ev.Payload["from_handler_id"], ev.Payload["handler_id"] = t.HandlerID, cmd.UserID
	t.HandlerID = cmd.UserID
	return nil
}
