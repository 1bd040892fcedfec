package hotline

// States of a sub-dispatch (二级派单): the lead unit forwards a ticket to
// one of its child units, which acts on it; the lead stays responsible to
// the centre and reviews the child's reply before replying itself.
const (
	SubForwarded    = "forwarded"    // with the child, not yet acknowledged
	SubAcknowledged = "acknowledged" // the child is handling it
	SubReplied      = "replied"      // the child replied; the lead reviews
	SubSentBack     = "sent_back"    // the child sent it back to the lead
	SubApproved     = "approved"     // the lead accepted the child's reply
)

var subStatusNames = map[string]string{SubForwarded: "下级待签收", SubAcknowledged: "下级办理中",
	SubReplied: "下级已答复，待本单位审核", SubSentBack: "下级已退回", SubApproved: "已审核下级答复"}

// SubStatusLabel is the sub-dispatch state in Chinese ("" without one).
func (t *Ticket) SubStatusLabel() string { return subStatusNames[t.SubStatus] }

// WithChild reports whether the ticket is with the child unit: forwarded,
// acknowledged or replied and not yet reviewed.
func (t *Ticket) WithChild() bool {
	return t.SubStatus == SubForwarded || t.SubStatus == SubAcknowledged || t.SubStatus == SubReplied
}

// IsSubUnit reports whether the actor is the child unit the ticket was
// forwarded to (and not its lead).
func (t *Ticket) IsSubUnit(a Actor) bool {
	return a.Role == RoleUnit && t.SubUnitID != 0 && a.UnitID == t.SubUnitID && a.UnitID != t.LeadUnitID
}

// childActions are what a child unit may do on a ticket forwarded to it.
var childActions = map[Action]bool{ActionAcknowledge: true, ActionReply: true, ActionReturn: true, ActionRequestExtension: true}

// forward sends a ticket the lead unit handles to one of its child units
// (storage checks that the unit is one) with a note. Deadlines stay.
func (t *Ticket) forward(cmd Command, ev *Event) error {
	if t.Status != StatusHandling {
		return t.conflict(ActionForward.Label())
	} else if t.WithChild() {
		return Errorf(EConflict, "该工单已转派下级单位办理，请等待下级答复")
	} else if t.PendingRequest == "return" {
		return Errorf(EConflict, "退单申请正在等待中心审核，不能转派")
	}
	if cmd.UnitID <= 0 || cmd.UnitID == t.LeadUnitID {
		return Invalid("unit_id", "请选择本单位的下级单位")
	}
	if err := CheckInput("note", cmd.Note); err != nil {
		return err
	}
	ev.Reason = TrimText(cmd.Note)
	ev.Payload["sub_unit_id"], ev.Payload["from_sub_unit_id"] = cmd.UnitID, t.SubUnitID
	t.SubUnitID, t.SubStatus, t.SubReply = cmd.UnitID, SubForwarded, ""
	return nil
}

// childAct is an action of the child unit: acknowledge, reply (to the
// lead, not the centre), send back to the lead (its "return"), or ask the
// centre for an extension like a lead would.
func (t *Ticket) childAct(cmd Command, env Env, ev *Event) (err error) {
	ev.Payload["sub_unit_id"] = t.SubUnitID
	switch cmd.Action {
	case ActionAcknowledge:
		if t.SubStatus != SubForwarded {
			return Errorf(EConflict, "工单当前为“%s”，不能签收", t.SubStatusLabel())
		}
		t.SubStatus = SubAcknowledged
	case ActionReply:
		if t.SubStatus != SubForwarded && t.SubStatus != SubAcknowledged {
			return Errorf(EConflict, "工单当前为“%s”，不能答复", t.SubStatusLabel())
		}
		if t.SubReply, err = need("content", "答复内容", cmd.Content); err != nil {
			return err
		}
		t.SubStatus = SubReplied
		ev.Payload["content"] = t.SubReply
	case ActionReturn:
		if t.SubStatus != SubForwarded && t.SubStatus != SubAcknowledged {
			return Errorf(EConflict, "工单当前为“%s”，不能退回上级", t.SubStatusLabel())
		}
		if ev.Reason, err = need("reason", "退回理由", cmd.Reason); err != nil {
			return err
		}
		t.SubStatus = SubSentBack
		ev.Payload["to_parent"] = true
	case ActionRequestExtension:
		if t.SubStatus != SubForwarded && t.SubStatus != SubAcknowledged {
			return Errorf(EConflict, "工单当前为“%s”，不能申请延期", t.SubStatusLabel())
		}
		return t.apply(Actor{Role: RoleUnit, UnitID: t.LeadUnitID}, cmd, env, ev)
	}
	return nil
}

// reviewSub is the lead's review of its child's reply: approved, the lead
// replies to the centre (the child's words offered); rejected, the child
// handles it again and reads why.
func (t *Ticket) reviewSub(cmd Command, ev *Event) error {
	if t.SubStatus != SubReplied {
		return Errorf(EConflict, "没有待审核的下级答复")
	} else if cmd.Approve == nil {
		return Invalid("approve", "请选择审核结果（approve 为 true 或 false）")
	}
	if err := CheckInput("reason", cmd.Reason); err != nil {
		return err
	}
	ev.Reason = TrimText(cmd.Reason)
	ev.Payload["approve"], ev.Payload["sub_unit_id"] = *cmd.Approve, t.SubUnitID
	if *cmd.Approve {
		t.SubStatus = SubApproved
		return nil
	}
	if ev.Reason == "" {
		return Invalid("reason", "退回下级重办时请填写理由")
	}
	t.SubStatus = SubAcknowledged
	return nil
}

// clearSub ends a sub-dispatch when the ticket leaves the lead unit.
func (t *Ticket) clearSub() { t.SubUnitID, t.SubStatus, t.SubReply = 0, "", "" }
