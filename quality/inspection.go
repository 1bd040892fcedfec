package quality

import (
	"time"

	"hotline"
)

// Reason is why an inspection exists.
type Reason string

// Reasons. The first four are full inspection (全量质检): every such ticket
// or call gets one at once.
const (
	ReasonUnsatisfied Reason = "unsatisfied" // rated 不满意 at callback
	ReasonComplaint   Reason = "complaint"   // a complaint (投诉) ticket
	ReasonReopened    Reason = "reopened"    // reopened after conclusion
	ReasonNewAgent    Reason = "new_agent"   // a call of an agent in the first month
	ReasonSampled     Reason = "sampled"     // drawn by a sampling rule (抽样质检)
	ReasonManual      Reason = "manual"      // opened by an inspector or team lead
)

var reasonNames = map[Reason]string{ReasonUnsatisfied: "不满意回访", ReasonComplaint: "投诉工单", ReasonReopened: "重启工单",
	ReasonNewAgent: "新员工来电", ReasonSampled: "抽样", ReasonManual: "人工发起"}

// Reasons lists every reason.
var Reasons = []Reason{ReasonUnsatisfied, ReasonComplaint, ReasonReopened, ReasonNewAgent, ReasonSampled, ReasonManual}

// Valid reports whether r is a known reason.
func (r Reason) Valid() bool { _, ok := reasonNames[r]; return ok }

// Label is the reason in Chinese.
func (r Reason) Label() string { return reasonNames[r] }

// Full reports whether the reason is full inspection.
func (r Reason) Full() bool {
	return r == ReasonUnsatisfied || r == ReasonComplaint || r == ReasonReopened || r == ReasonNewAgent
}

// NewAgentPeriod is how long after joining an agent's every call is
// inspected.
const NewAgentPeriod = 30 * 24 * time.Hour

// NewAgentCall reports whether a call answered at answered falls in the
// first month of an agent who joined at joined (not before it: an import
// of older calls).
func NewAgentCall(joined, answered time.Time) bool {
	since := answered.Sub(joined)
	return since >= 0 && since <= NewAgentPeriod
}

// DueWithin is how long an inspector has for a task (working time is not
// used: inspection runs 7×24 with the centre).
const DueWithin = 48 * time.Hour

// Status is where an inspection stands.
type Status string

// Statuses: pending → scored → acknowledged, or → objected → decided.
const (
	StatusPending      Status = "pending"      // 待质检
	StatusScored       Status = "scored"       // 已评分，待坐席确认
	StatusAcknowledged Status = "acknowledged" // 坐席已确认
	StatusObjected     Status = "objected"     // 申诉中
	StatusDecided      Status = "decided"      // 申诉已裁定
)

var statusNames = map[Status]string{StatusPending: "待质检", StatusScored: "待确认", StatusAcknowledged: "已确认",
	StatusObjected: "申诉中", StatusDecided: "申诉已裁定"}

// Statuses lists every status.
var Statuses = []Status{StatusPending, StatusScored, StatusAcknowledged, StatusObjected, StatusDecided}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusNames[s]; return ok }

// Label is the status in Chinese.
func (s Status) Label() string { return statusNames[s] }

// Typical-case marks (典型案例), for training.
const (
	TypicalGood = "good" // 正面典型
	TypicalBad  = "bad"  // 反面典型
)

// Inspection is one quality inspection task (质检) of a call and/or a
// ticket, of one agent's work.
type Inspection struct {
	ID          int64     `json:"id"`
	TicketID    int64     `json:"ticket_id,omitempty"`
	Number      string    `json:"ticket_number,omitempty"`
	CallID      string    `json:"call_id,omitempty"` // the platform's id
	AgentID     int64     `json:"agent_id,omitempty"`
	Agent       string    `json:"agent,omitempty"` // username
	Reason      Reason    `json:"reason"`
	Status      Status    `json:"status"`
	InspectorID int64     `json:"inspector_id,omitempty"`
	DueAt       time.Time `json:"due_at"`
	CreatedAt   time.Time `json:"created_at"`

	CardID      int64      `json:"card_id,omitempty"`
	Marks       []Mark     `json:"marks,omitempty"`
	Comment     string     `json:"comment,omitempty"`
	TypicalCase string     `json:"typical_case,omitempty"`
	ScoredAt    *time.Time `json:"scored_at,omitempty"`
	Outcome

	Objection *Objection `json:"objection,omitempty"`
}

// Objection is an agent's objection to an inspection (申诉) and its
// decision; the score changes only through an upheld objection.
type Objection struct {
	Reason      string     `json:"reason"`
	At          time.Time  `json:"at"`
	DueAt       time.Time  `json:"due_at"` // by when the agent could object
	DecidedBy   int64      `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	Upheld      bool       `json:"upheld"`             // the objection stands: the score changed
	Decision    string     `json:"decision,omitempty"` // why
	ScoreBefore int        `json:"score_before"`
}

// Overdue reports whether a pending task is past its due time.
func (in *Inspection) Overdue(now time.Time) bool {
	return in.Status == StatusPending && now.After(in.DueAt)
}

// The actions of an inspection.
const (
	ActScore       = "score"       // the inspector scores (again, until the agent answers)
	ActAcknowledge = "acknowledge" // the agent accepts the result
	ActObject      = "object"      // the agent objects, with a reason, in time
	ActDecide      = "decide"      // the analyst or a manager decides the objection
)

// CanInspect reports whether the actor scores inspections and keeps live
// monitoring: inspectors and team leads.
func CanInspect(a hotline.Actor) bool {
	return a.Role == hotline.RoleInspector || a.Role == hotline.RoleTeamLead
}

// CanDecide reports whether the actor decides objections: the analyst (the
// seed names it the analyst's job) and the project manager.
func CanDecide(a hotline.Actor) bool {
	return a.Role == hotline.RoleAnalyst || a.Role == hotline.RoleProjectManager
}

// CanSee reports whether the actor may see an inspection: the centre's
// quality staff and managers, and the agent whose work it is.
func (in *Inspection) CanSee(a hotline.Actor) bool {
	switch a.Role {
	case hotline.RoleInspector, hotline.RoleTeamLead, hotline.RoleAnalyst, hotline.RoleProjectManager,
		hotline.RoleOpsSupervisor, hotline.RoleSupervisor:
		return true
	}
	return in.AgentID != 0 && in.AgentID == a.UserID
}

// Check says whether the actor may take the action now, naming why not.
// objectBy is when the agent's time to object ends (the scoring's time
// plus the limit on the working calendar, computed by the caller).
func (in *Inspection) Check(a hotline.Actor, action string, now, objectBy time.Time) error {
	switch action {
	case ActScore:
		if !CanInspect(a) {
			return hotline.Errorf(hotline.EForbidden, "%s不能评分", a.Role.Label())
		}
		if in.Status != StatusPending && in.Status != StatusScored {
			if in.Status == StatusAcknowledged {
				return hotline.Errorf(hotline.EConflict, "坐席已确认，不能再改分")
			}
			return hotline.Errorf(hotline.EConflict, "坐席已申诉，改分只能通过申诉裁定")
		}
	case ActAcknowledge, ActObject:
		if a.UserID == 0 || a.UserID != in.AgentID {
			return hotline.Errorf(hotline.EForbidden, "只有被质检的坐席本人可以确认或申诉")
		}
		if in.Status != StatusScored {
			return hotline.Errorf(hotline.EConflict, "质检状态为“%s”，现在不能确认或申诉", in.Status.Label())
		}
		if action == ActObject && now.After(objectBy) {
			return hotline.Errorf(hotline.EConflict, "申诉期限已过（%s）", objectBy.In(hotline.ChinaZone).Format("2006-01-02 15:04"))
		}
	case ActDecide:
		if !CanDecide(a) {
			return hotline.Errorf(hotline.EForbidden, "%s不能裁定申诉", a.Role.Label())
		}
		if in.Status != StatusObjected {
			return hotline.Errorf(hotline.EConflict, "没有待裁定的申诉")
		}
	default:
		return hotline.Invalid("action", "未知的质检操作 %s", action)
	}
	return nil
}

// FullReason says which full inspection an event of a ticket opens: a
// callback rated 不满意, a reopening, the acceptance of a complaint.
func FullReason(t *hotline.Ticket, ev *hotline.Event) (Reason, bool) {
	switch ev.Action {
	case hotline.ActionCallback:
		return ReasonUnsatisfied, t.Rating == hotline.Unsatisfied
	case hotline.ActionReopen:
		return ReasonReopened, true
	case hotline.ActionAccept:
		return ReasonComplaint, t.AppealKind == hotline.Complaint
	}
	return "", false
}

// Coverage is the full inspection's figure for unsatisfied tickets
// (不满意工单质检覆盖率, target 100%): of the tickets rated 不满意 at
// callback in a period, how many have their inspection; the missing ones
// listed.
type Coverage struct {
	Due     int     `json:"due"`
	Covered int     `json:"covered"`
	Rate    float64 `json:"rate"` // covered / due; 1 when none is due
	Missing []int64 `json:"missing"`
}

// Finish computes the rate.
func (c *Coverage) Finish() {
	c.Rate = 1
	if c.Due > 0 {
		c.Rate = float64(c.Covered) / float64(c.Due)
	}
}
