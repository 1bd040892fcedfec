package hotline

import (
	"slices"
	"time"
)

// Decisions on a return request.
const (
	ReturnApproved = "approved"
	ReturnRejected = "rejected"
)

// ReturnRequest is a unit's request to give a ticket back (退单申请) and
// the centre's review of it (派单异议审核). While it waits the ticket
// stays with the unit, its deadlines running.
type ReturnRequest struct {
	ID              int64      `json:"id"`
	UnitID          int64      `json:"unit_id"` // the unit that asked
	Reason          string     `json:"reason"`
	SuggestedUnitID int64      `json:"suggested_unit_id,omitempty"` // where the unit says it belongs
	RequestedBy     int64      `json:"requested_by"`
	RequestedAt     time.Time  `json:"requested_at"`
	DueAt           time.Time  `json:"due_at"`   // the centre reviews it by then
	Decision        string     `json:"decision"` // "" while waiting, ReturnApproved or ReturnRejected
	DecidedBy       int64      `json:"decided_by,omitempty"`
	DecidedAt       *time.Time `json:"decided_at,omitempty"`
	DecisionReason  string     `json:"decision_reason,omitempty"`
}

// Waiting reports whether the request still awaits the centre.
func (r *ReturnRequest) Waiting() bool { return r != nil && r.Decision == "" }

// Overdue reports whether a waiting request is past its review limit.
func (r *ReturnRequest) Overdue(now time.Time) bool { return r.Waiting() && now.After(r.DueAt) }

// DecisionLabel is the decision in Chinese.
func (r *ReturnRequest) DecisionLabel() string {
	switch r.Decision {
	case ReturnApproved:
		return "同意退单"
	case ReturnRejected:
		return "驳回退单"
	}
	return "待审核"
}

// requestReturn records the lead unit's return request: within the return
// window, not on a designated ticket, one at a time.
func (t *Ticket) requestReturn(actor Actor, cmd Command, env Env, ev *Event) (err error) {
	now := env.Now
	if t.Status != StatusDispatched && t.Status != StatusHandling {
		return t.conflict(ActionReturn.Label())
	} else if t.Designated {
		return Errorf(EConflict, "该工单已由中心指定承办，不能再退单")
	} else if t.ReturnDueAt != nil && now.After(*t.ReturnDueAt) {
		return Errorf(EConflict, "已超过退单时限（%s前），不能退单", t.ReturnDueAt.In(ChinaZone).Format("01-02 15:04"))
	} else if t.PendingRequest != "" {
		return Errorf(EConflict, "已有待审批的申请，请等待中心处理")
	} else if t.WithChild() {
		return Errorf(EConflict, "该工单已转派下级单位办理，不能退单")
	}
	if ev.Reason, err = need("reason", "退单理由", cmd.Reason); err != nil {
		return err
	}
	if cmd.SuggestedUnitID < 0 || (cmd.SuggestedUnitID != 0 && cmd.SuggestedUnitID == t.LeadUnitID) {
		return Invalid("suggested_unit_id", "建议承办单位不能是本单位")
	}
	limit := env.Rules.ReturnReview
	if limit.Value == 0 {
		limit = DefaultRules().ReturnReview
	}
	due := env.Calendar.Deadline(now, limit)
	t.ReturnRequest = &ReturnRequest{UnitID: t.LeadUnitID, Reason: ev.Reason, SuggestedUnitID: cmd.SuggestedUnitID,
		RequestedBy: actor.UserID, RequestedAt: now, DueAt: due}
	t.PendingRequest, t.PendingReason = "return", ev.Reason
	ev.Payload["unit_id"], ev.Payload["review_due_at"] = t.LeadUnitID, due
	if cmd.SuggestedUnitID != 0 {
		ev.Payload["suggested_unit_id"] = cmd.SuggestedUnitID
	}
	return nil
}

// reviewReturn decides a waiting return request. Approved, the ticket goes
// back to pending dispatch with the unit's suggestion preselected and the
// returning unit remembered (not suggested again); rejected, it stays with
// the unit, deadlines unchanged, and the unit reads why.
func (t *Ticket) reviewReturn(actor Actor, cmd Command, env Env, ev *Event) error {
	rq := t.ReturnRequest
	if t.PendingRequest != "return" || !rq.Waiting() {
		return Errorf(EConflict, "工单当前状态为“%s”，没有待审核的退单申请", t.Status.Label())
	} else if cmd.Approve == nil {
		return Invalid("approve", "请选择审核结果（approve 为 true 或 false）")
	}
	if err := CheckInput("reason", cmd.Reason); err != nil {
		return err
	}
	ev.Reason = TrimText(cmd.Reason)
	if !*cmd.Approve && ev.Reason == "" {
		return Invalid("reason", "驳回退单时请填写理由，承办单位将看到")
	} else if len([]rune(ev.Reason)) > 2000 {
		return Invalid("reason", "审核意见过长")
	}
	now := env.Now
	r := *rq
	r.DecidedBy, r.DecidedAt, r.DecisionReason = actor.UserID, &now, ev.Reason
	t.ReturnRequest = &r
	t.PendingRequest, t.PendingDays, t.PendingReason = "", 0, ""
	ev.Payload["approve"], ev.Payload["unit_id"] = *cmd.Approve, r.UnitID
	if !*cmd.Approve {
		r.Decision = ReturnRejected
		return nil
	}
	r.Decision = ReturnApproved
	if !slices.Contains(t.ReturnedUnitIDs, r.UnitID) {
		t.ReturnedUnitIDs = append(t.ReturnedUnitIDs, r.UnitID)
	}
	t.Status, t.ReturnCount, t.ReturnReason, t.SuggestedUnitID = StatusPendingDispatch, t.ReturnCount+1, r.Reason, r.SuggestedUnitID
	t.LeadUnitID, t.CoUnitIDs, t.HandlerID = 0, nil, 0
	t.clearSub()
	t.AckDueAt, t.ReturnDueAt, t.ReplyStartAt, t.ReplyDueAt, t.DispatchedAt = nil, nil, nil, nil, nil
	return nil
}

// ReturnedBy reports whether unit gave the ticket back with an approved
// return: dispatch suggestions leave it out.
func (t *Ticket) ReturnedBy(unit int64) bool { return slices.Contains(t.ReturnedUnitIDs, unit) }
