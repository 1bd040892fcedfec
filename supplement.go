package hotline

// Kinds of a repeat call about an open ticket (重复来电).
const (
	SupplementUrge = "urge" // the citizen urges (市民催办): counted on the handling unit
	SupplementInfo = "info" // the citizen adds information (补充诉求), for the unit to read
)

// supplement attaches a repeat call to an open ticket instead of a new
// ticket: any agent who answers it may, not only the ticket's owner. The
// ticket counts the calls, and the urges apart.
func (t *Ticket) supplement(cmd Command, ev *Event) (err error) {
	if !t.Status.Open() || t.Status == StatusMerged {
		return t.conflict(ActionSupplement.Label())
	}
	switch cmd.Kind {
	case SupplementUrge, SupplementInfo:
	default:
		return Invalid("kind", "请选择来电性质：urge（催办）或 info（补充诉求）")
	}
	content, err := need("content", "来电内容", cmd.Content)
	if err != nil {
		return err
	}
	t.RepeatCalls++
	if cmd.Kind == SupplementUrge {
		t.UrgeCount++
	}
	ev.Payload["kind"], ev.Payload["content"], ev.Payload["unit_id"] = cmd.Kind, content, t.LeadUnitID
	ev.Payload["repeat_calls"], ev.Payload["urge_count"] = t.RepeatCalls, t.UrgeCount
	return nil
}
