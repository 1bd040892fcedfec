package hotline

import (
	"strings"
	"time"
)

// Action is one step a ticket can take; each becomes an event.
type Action string

// Actions of the lifecycle (DESIGN.md). ActionWarn and ActionOverdue are
// taken by the sweep, not by people.
const (
	ActionAccept           Action = "accept"
	ActionSubmit           Action = "submit"
	ActionResolveOnCall    Action = "resolve_on_call"
	ActionDispatch         Action = "dispatch"
	ActionDesignate        Action = "designate"
	ActionAcknowledge      Action = "acknowledge"
	ActionReturn           Action = "return"        // a return request (退单申请), reviewed by the centre
	ActionReviewReturn     Action = "review_return" // the centre approves or rejects it
	ActionRequestExtension Action = "request_extension"
	ActionApproveExtension Action = "approve_extension"
	ActionRefuseExtension  Action = "refuse_extension"
	ActionRequestSuspend   Action = "request_suspend"
	ActionApproveSuspend   Action = "approve_suspend"
	ActionRefuseSuspend    Action = "refuse_suspend"
	ActionResume           Action = "resume"
	ActionReply            Action = "reply"
	ActionReview           Action = "review"
	ActionSupervise        Action = "supervise"
	ActionUrge             Action = "urge"
	ActionCallback         Action = "callback"
	ActionReopen           Action = "reopen"
	ActionMerge            Action = "merge"
	ActionMergedFrom       Action = "merged_from"  // recorded on the main ticket of a merge
	ActionMergedReply      Action = "merged_reply" // the main ticket's reply given to a merged ticket's requester
	ActionCancel           Action = "cancel"
	ActionArchive          Action = "archive"
	ActionTransfer         Action = "transfer"
	ActionAssign           Action = "assign"     // the lead unit names its handler (经办人)
	ActionCorrect          Action = "correct"    // the centre corrects the appeal's kind, category, urgency, text or place (更正)
	ActionSupplement       Action = "supplement" // a repeat call: the citizen urges or adds information (重复来电)
	ActionForward          Action = "forward"    // the lead unit forwards to a child unit (二级派单)
	ActionReviewSub        Action = "review_sub" // the lead unit reviews its child's reply
	ActionWarn             Action = "warn"
	ActionOverdue          Action = "overdue"
)

var actionNames = map[Action]string{
	ActionAccept: "受理", ActionSubmit: "提交派单", ActionResolveOnCall: "直接办结", ActionDispatch: "派单",
	ActionDesignate: "指定派单", ActionAcknowledge: "签收", ActionReturn: "申请退单", ActionReviewReturn: "退单审核",
	ActionRequestExtension: "申请延期", ActionApproveExtension: "同意延期", ActionRefuseExtension: "不同意延期",
	ActionRequestSuspend: "申请挂起", ActionApproveSuspend: "同意挂起", ActionRefuseSuspend: "不同意挂起",
	ActionResume: "恢复办理", ActionReply: "答复", ActionReview: "审核", ActionSupervise: "督办",
	ActionUrge: "催办", ActionCallback: "回访", ActionReopen: "重办", ActionMerge: "并单",
	ActionMergedFrom: "并入工单", ActionCancel: "作废", ActionArchive: "归档", ActionTransfer: "转交",
	ActionWarn: "时限预警", ActionOverdue: "超期", ActionMergedReply: "并单答复", ActionAssign: "指定经办人", ActionCorrect: "更正工单", ActionSupplement: "重复来电", ActionForward: "转派下级", ActionReviewSub: "审核下级答复", ActionAttach: "上传附件", ActionLinkCall: "关联来电",
}

// Label is the Chinese name of the action.
func (a Action) Label() string { return actionNames[a] }

// TicketActions are the actions taken through POST /tickets/{id}/{action}.
var TicketActions = []Action{ActionSubmit, ActionResolveOnCall, ActionDispatch, ActionDesignate,
	ActionAcknowledge, ActionReturn, ActionReviewReturn, ActionRequestExtension, ActionApproveExtension, ActionRefuseExtension,
	ActionRequestSuspend, ActionApproveSuspend, ActionRefuseSuspend, ActionResume, ActionReply, ActionReview,
	ActionSupervise, ActionUrge, ActionCallback, ActionReopen, ActionMerge, ActionCancel, ActionArchive, ActionTransfer, ActionAssign, ActionCorrect, ActionSupplement, ActionForward, ActionReviewSub}

// MaxCoUnits bounds the co-units (协办) of one dispatch.
const MaxCoUnits = 10

// Command carries an action and the fields it needs; unused fields stay zero.
type Command struct {
	Action      Action  `json:"-"`
	Reason      string  `json:"reason"`
	Content     string  `json:"content"`
	Comment     string  `json:"comment"`
	Note        string  `json:"note"`
	LeadUnitID  int64   `json:"lead_unit_id"`
	CoUnitIDs   []int64 `json:"co_unit_ids"`
	Approve     *bool   `json:"approve"`
	Reached     *bool   `json:"reached"`
	Rating      Rating  `json:"rating"`
	Resolved    *bool   `json:"resolved"`
	WorkingDays int     `json:"working_days"`
	IntoID      int64   `json:"into_id"`
	IntoNumber  string  `json:"into_number"` // merge: the main ticket by its number (工单编号), instead of into_id
	OwnerID     int64   `json:"owner_id"`
	UserID      int64   `json:"user_id"` // assign: the unit's staff member who handles it
	// SuggestedUnitID: return — the unit the returning unit says the
	// ticket belongs to.
	SuggestedUnitID int64 `json:"suggested_unit_id"`
	// Correction: correct — the corrected fields (its content is Content).
	Correction
	Kind   string `json:"kind"`    // supplement: urge or info
	UnitID int64  `json:"unit_id"` // forward: the child unit
}

// Env is what an action needs besides the ticket: the time, the calendar,
// the ticket's SLA policy and the centre's rules.
type Env struct {
	Now      time.Time
	Calendar *Calendar
	Policy   SLAPolicy
	Rules    Rules
	// Corrected is, for a correction, the policy of the corrected ticket
	// (its kind, urgency and category may have changed).
	Corrected *SLAPolicy
}

func (t *Ticket) conflict(verb string) error {
	return Errorf(EConflict, "工单当前状态为“%s”，不能%s", t.Status.Label(), verb)
}

func need(field, label, s string) (string, error) {
	if err := CheckInput(field, s); err != nil {
		return "", err
	}
	if s = TrimText(s); s == "" {
		return "", Invalid(field, "请填写%s", label)
	}
	if len([]rune(s)) > 20000 {
		return "", Invalid(field, "%s过长", label)
	}
	return s, nil
}

// Apply checks that actor may take cmd on t now, applies it and returns the
// event to record. On error t is unchanged.
func (t *Ticket) Apply(actor Actor, cmd Command, env Env) (*Event, error) {
	a := cmd.Action
	if a.Label() == "" || a == ActionAccept || a == ActionMergedFrom || a == ActionWarn || a == ActionOverdue || a == ActionMergedReply || a == ActionAttach || a == ActionLinkCall {
		return nil, Errorf(ENotFound, "没有“%s”这个操作", a)
	}
	if !actor.Role.Can(a) {
		return nil, Errorf(EForbidden, "%s无权%s", actor.Role.Label(), a.Label())
	}
	if actor.Role == RoleUnit && t.LeadUnitID != actor.UnitID && (!t.IsSubUnit(actor) || !childActions[a]) {
		return nil, Errorf(EForbidden, "只有主办单位可以%s", a.Label())
	}
	if actor.Role == RoleCallAgent && t.OwnerID != actor.UserID && a != ActionSupplement { // any agent takes a repeat call
		return nil, Errorf(EForbidden, "只有受理该工单的话务员（首接人）可以%s", a.Label())
	}
	before := *t
	ev := &Event{TicketID: t.ID, Action: a, ActorID: actor.UserID, ActorName: actor.Name,
		FromStatus: t.Status, CreatedAt: env.Now, Payload: map[string]any{}}
	if err := t.apply(actor, cmd, env, ev); err != nil {
		*t = before
		return nil, err
	}
	t.UpdatedAt = env.Now
	if a == ActionCorrect && env.Corrected != nil {
		env.Policy = *env.Corrected // the warnings of the new deadlines
	}
	t.schedule(env)
	ev.ToStatus = t.Status
	if len(ev.Payload) == 0 {
		ev.Payload = nil
	}
	return ev, nil
}

func (t *Ticket) apply(actor Actor, cmd Command, env Env, ev *Event) (err error) {
	now := env.Now
	if t.IsSubUnit(actor) {
		return t.childAct(cmd, env, ev)
	}
	switch cmd.Action {
	case ActionSubmit:
		if t.Status != StatusAccepted {
			return t.conflict("提交派单")
		}
		t.Status = StatusPendingDispatch

	case ActionResolveOnCall:
		if t.Status != StatusAccepted {
			return t.conflict("直接办结")
		} else if t.AppealKind != Consult {
			return Invalid("appeal_kind", "只有咨询类诉求可以直接办结")
		}
		if t.Reply, err = need("content", "答复内容", cmd.Content); err != nil {
			return err
		}
		t.Status, t.ResolvedOnCall, t.ConcludedAt = StatusConcluded, true, &now
		t.CallbackDone = true // answered on the call: no callback owed
		ev.Payload["content"] = t.Reply

	case ActionDispatch, ActionDesignate:
		return t.dispatch(cmd, env, ev)

	case ActionAcknowledge:
		if t.Status != StatusDispatched {
			return t.conflict("签收")
		}
		t.Status = StatusHandling

	case ActionReturn:
		return t.requestReturn(actor, cmd, env, ev)

	case ActionReviewReturn:
		return t.reviewReturn(actor, cmd, env, ev)

	case ActionRequestExtension, ActionRequestSuspend:
		if t.Status != StatusHandling {
			return t.conflict(cmd.Action.Label())
		} else if t.PendingRequest != "" {
			return Errorf(EConflict, "已有待审批的申请，请等待中心处理")
		}
		if ev.Reason, err = need("reason", "申请理由", cmd.Reason); err != nil {
			return err
		}
		if cmd.Action == ActionRequestSuspend {
			t.PendingRequest, t.PendingReason = "suspend", ev.Reason
			break
		}
		if cmd.WorkingDays < 1 || cmd.WorkingDays > 30 {
			return Invalid("working_days", "延期天数必须为 1 到 30 个工作日")
		}
		t.PendingRequest, t.PendingDays, t.PendingReason = "extension", cmd.WorkingDays, ev.Reason
		ev.Payload["working_days"] = cmd.WorkingDays

	case ActionApproveExtension, ActionRefuseExtension:
		if t.PendingRequest != "extension" {
			return Errorf(EConflict, "工单当前状态为“%s”，没有待审批的延期申请", t.Status.Label())
		}
		ev.Reason = strings.TrimSpace(cmd.Comment)
		if cmd.Action == ActionApproveExtension {
			old := *t.ReplyDueAt
			due := env.Calendar.AddWorkingDays(old, t.PendingDays)
			t.ReplyDueAt = &due
			ev.Payload["working_days"], ev.Payload["old_due_at"], ev.Payload["new_due_at"] = t.PendingDays, old, due
		}
		t.PendingRequest, t.PendingDays, t.PendingReason = "", 0, ""

	case ActionApproveSuspend, ActionRefuseSuspend:
		if t.PendingRequest != "suspend" {
			return Errorf(EConflict, "工单当前状态为“%s”，没有待审批的挂起申请", t.Status.Label())
		}
		ev.Reason = strings.TrimSpace(cmd.Comment)
		if cmd.Action == ActionApproveSuspend {
			t.Status, t.SuspendedAt = StatusSuspended, &now
		}
		t.PendingRequest, t.PendingDays, t.PendingReason = "", 0, ""

	case ActionResume:
		if t.Status != StatusSuspended {
			return t.conflict("恢复办理")
		}
		paused := now.Sub(*t.SuspendedAt)
		if !t.CalendarClock {
			paused = env.Calendar.WorkingTimeBetween(*t.SuspendedAt, now)
		}
		if t.ReplyDueAt != nil {
			old := *t.ReplyDueAt
			due := t.shift(env.Calendar, old, paused)
			t.ReplyDueAt = &due
			ev.Payload["old_due_at"], ev.Payload["new_due_at"] = old, due
		}
		ev.Payload["paused_minutes"] = int(paused.Minutes())
		t.Status, t.SuspendedAt = StatusHandling, nil

	case ActionReply:
		if t.Status != StatusHandling {
			return t.conflict("答复")
		} else if t.PendingRequest == "return" {
			return Errorf(EConflict, "退单申请正在等待中心审核，审核后才能答复")
		} else if t.WithChild() {
			return Errorf(EConflict, "该工单已转派下级单位（%s），请审核下级答复后再答复", t.SubStatusLabel())
		}
		if t.Reply, err = need("content", "答复内容", cmd.Content); err != nil {
			return err
		}
		t.Status = StatusReplied
		t.PendingRequest, t.PendingDays, t.PendingReason = "", 0, ""
		ev.Payload["content"] = t.Reply

	case ActionReview:
		if t.Status != StatusReplied {
			return t.conflict("审核")
		} else if cmd.Approve == nil {
			return Invalid("approve", "请选择审核结果（approve 为 true 或 false）")
		}
		ev.Reason = strings.TrimSpace(cmd.Comment)
		ev.Payload["approve"] = *cmd.Approve
		if !*cmd.Approve {
			if ev.Reason == "" {
				return Invalid("comment", "退回重新答复时请填写审核意见")
			}
			t.Status = StatusHandling
			break
		}
		t.Status, t.ConcludedAt = StatusConcluded, &now
		t.CallbackDone, t.Rating, t.Resolved = !t.Requester.Reachable(), "", nil
		if t.Requester.Reachable() {
			due := env.Calendar.Deadline(now, env.Policy.Callback)
			t.CallbackDueAt = &due
		}

	case ActionSupervise, ActionUrge:
		if !t.Status.Open() || t.Status == StatusAccepted {
			return t.conflict(cmd.Action.Label())
		}
		text := cmd.Note
		if cmd.Action == ActionUrge {
			text = cmd.Content
		}
		if ev.Reason, err = need(map[Action]string{ActionSupervise: "note", ActionUrge: "content"}[cmd.Action],
			cmd.Action.Label()+"内容", text); err != nil {
			return err
		}
		ev.Payload["unit_id"] = t.LeadUnitID

	case ActionCallback:
		return t.callback(cmd, ev)

	case ActionReopen:
		if t.Status != StatusConcluded || t.ResolvedOnCall {
			return t.conflict("重办")
		} else if !t.CallbackDone || (t.Rating != Unsatisfied && (t.Resolved == nil || *t.Resolved)) {
			return Errorf(EConflict, "只有回访不满意或未解决的工单可以重办")
		}
		if ev.Reason, err = need("reason", "重办理由", cmd.Reason); err != nil {
			return err
		}
		due := env.Calendar.Deadline(now, env.Rules.ReopenLimit)
		t.Status, t.ReopenCount, t.ReplyStartAt, t.ReplyDueAt = StatusHandling, t.ReopenCount+1, &now, &due
		t.ConcludedAt, t.CallbackDueAt, t.CallbackDone, t.Reply = nil, nil, false, ""
		ev.Payload["rating"], ev.Payload["reply_due_at"] = t.Rating, due

	case ActionMerge:
		if t.Status != StatusAccepted && t.Status != StatusPendingDispatch {
			return t.conflict("并单")
		} else if cmd.IntoID <= 0 || cmd.IntoID == t.ID {
			return Invalid("into_id", "请指定要并入的主工单")
		}
		t.Status, t.MergedInto = StatusMerged, cmd.IntoID
		ev.Payload["into_id"] = cmd.IntoID

	case ActionCancel:
		if t.Status != StatusAccepted && t.Status != StatusPendingDispatch {
			return t.conflict("作废")
		}
		if ev.Reason, err = need("reason", "作废理由", cmd.Reason); err != nil {
			return err
		}
		t.Status = StatusCancelled

	case ActionArchive:
		if t.Status != StatusConcluded {
			return t.conflict("归档")
		} else if !t.CallbackDone && t.CallbackAttempts < 3 {
			return Errorf(EConflict, "工单尚未回访（或回访未满3次未接通），不能归档")
		} else if t.Rating == Unsatisfied && actor.Role == RoleCallbackAgent {
			return Errorf(EConflict, "回访不满意的工单须重办，或由班长归档")
		}
		ev.Reason = strings.TrimSpace(cmd.Reason)
		t.Status, t.ArchivedAt = StatusArchived, &now

	case ActionAssign:
		return t.assign(cmd, ev)

	case ActionCorrect:
		return t.correct(cmd, env, ev)

	case ActionSupplement:
		return t.supplement(cmd, ev)

	case ActionForward:
		return t.forward(cmd, ev)

	case ActionReviewSub:
		return t.reviewSub(cmd, ev)

	case ActionTransfer:
		if t.Status == StatusArchived {
			return t.conflict("转交")
		} else if cmd.OwnerID <= 0 {
			return Invalid("owner_id", "请指定新的负责人")
		}
		if ev.Reason, err = need("reason", "转交理由", cmd.Reason); err != nil {
			return err
		}
		ev.Payload["from_owner_id"], ev.Payload["owner_id"] = t.OwnerID, cmd.OwnerID
		t.OwnerID = cmd.OwnerID
	}
	return nil
}

func (t *Ticket) dispatch(cmd Command, env Env, ev *Event) error {
	verb := cmd.Action.Label()
	if t.Status != StatusPendingDispatch {
		return t.conflict(verb)
	}
	designate := cmd.Action == ActionDesignate
	if !designate && t.ReturnCount >= env.Rules.DesignateAfter {
		return Errorf(EConflict, "该工单已被退回%d次，须由班长指定承办单位", t.ReturnCount)
	}
	if cmd.LeadUnitID <= 0 {
		return Invalid("lead_unit_id", "请选择主办单位")
	}
	if len(cmd.CoUnitIDs) > MaxCoUnits {
		return Invalid("co_unit_ids", "协办单位最多%d个", MaxCoUnits)
	}
	seen := map[int64]bool{cmd.LeadUnitID: true}
	var co []int64
	for _, id := range cmd.CoUnitIDs {
		if id <= 0 || seen[id] {
			return Invalid("co_unit_ids", "协办单位不能重复，也不能与主办单位相同")
		}
		seen[id] = true
		co = append(co, id)
	}
	now := env.Now
	t.Status, t.LeadUnitID, t.CoUnitIDs, t.Designated, t.ReturnReason = StatusDispatched, cmd.LeadUnitID, co, designate, ""
	t.SuggestedUnitID = 0
	t.clearSub()
	t.DispatchedAt, t.ReplyStartAt = &now, &now
	ack := env.Calendar.Deadline(now, env.Policy.Acknowledge)
	reply := env.Calendar.Deadline(now, env.Policy.Reply)
	t.AckDueAt, t.ReplyDueAt = &ack, &reply
	t.ReturnDueAt = nil
	if !designate {
		ret := env.Calendar.Deadline(now, env.Rules.ReturnWindow)
		t.ReturnDueAt = &ret
	}
	ev.Reason = strings.TrimSpace(cmd.Note)
	ev.Payload["lead_unit_id"], ev.Payload["co_unit_ids"] = t.LeadUnitID, co
	ev.Payload["acknowledge_due_at"], ev.Payload["reply_due_at"] = ack, reply
	return nil
}

// NewTicket prepares a ticket accepted by actor now: it validates the
// fields, sets the owner and the clock, and returns the accept event.
func NewTicket(t *Ticket, actor Actor, env Env) (*Event, error) {
	if !actor.Role.Can(ActionAccept) {
		return nil, Errorf(EForbidden, "%s无权受理工单", actor.Role.Label())
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	t.Status, t.OwnerID, t.CreatedAt, t.UpdatedAt = StatusAccepted, actor.UserID, env.Now, env.Now
	t.CalendarClock = env.Policy.Reply.Calendar()
	t.SLAState = "ok"
	return &Event{Action: ActionAccept, ActorID: actor.UserID, ActorName: actor.Name,
		ToStatus: StatusAccepted, CreatedAt: env.Now}, nil
}

// Available returns the actions actor may take on t now: those the role,
// unit and state allow, whatever fields they will still need. It tries each
// on a copy, so it can never disagree with Apply.
func (t *Ticket) Available(actor Actor, env Env) []Action {
	var out []Action
	for _, a := range TicketActions {
		c := *t
		_, err := c.Apply(actor, Command{Action: a}, env)
		if code := ErrorCode(err); err == nil || code == EInvalid {
			out = append(out, a)
		}
	}
	return out
}
