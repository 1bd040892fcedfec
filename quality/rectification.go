package quality

import (
	"fmt"
	"strings"
	"time"

	"hotline"
)

// RectStatus is where a rectification (整改) stands in the closed loop
// 问题发现 → 原因分析 → 整改计划 → 整改落实 → 效果验证 → 机制优化.
type RectStatus string

// Rectification statuses, each named for the step done last.
const (
	RectOpen     RectStatus = "open"        // 问题已发现，待原因分析
	RectAnalysed RectStatus = "analysed"    // 原因已分析，待整改计划
	RectPlanned  RectStatus = "planned"     // 已定计划，待落实
	RectCarried  RectStatus = "carried_out" // 已落实，待效果验证
	RectVerified RectStatus = "verified"    // 效果已验证，待机制优化
	RectClosed   RectStatus = "closed"      // 机制已优化，闭环
)

var rectNames = map[RectStatus]string{RectOpen: "待原因分析", RectAnalysed: "待整改计划", RectPlanned: "待整改落实",
	RectCarried: "待效果验证", RectVerified: "待机制优化", RectClosed: "已闭环"}

// RectStatuses lists every status in order.
var RectStatuses = []RectStatus{RectOpen, RectAnalysed, RectPlanned, RectCarried, RectVerified, RectClosed}

// Valid reports whether s is a known status.
func (s RectStatus) Valid() bool { _, ok := rectNames[s]; return ok }

// Label is the status in Chinese.
func (s RectStatus) Label() string { return rectNames[s] }

// The steps of a rectification, each taking it to the next status.
const (
	StepCause   = "cause"   // 原因分析 (the response)
	StepPlan    = "plan"    // 整改计划
	StepCarry   = "carry"   // 整改落实
	StepVerify  = "verify"  // 效果验证 (not effective: carried out again)
	StepImprove = "improve" // 机制优化 (a KB article or scorecard change may be linked)
)

var stepNames = map[string]string{StepCause: "原因分析", StepPlan: "整改计划", StepCarry: "整改落实", StepVerify: "效果验证", StepImprove: "机制优化"}

// StepLabel is a step in Chinese.
func StepLabel(step string) string { return stepNames[step] }

// stepFrom is the status each step is taken from.
var stepFrom = map[string]RectStatus{StepCause: RectOpen, StepPlan: RectAnalysed, StepCarry: RectPlanned, StepVerify: RectCarried, StepImprove: RectVerified}

// NextStep is the step a status waits for ("" when closed).
func (s RectStatus) NextStep() string {
	for step, from := range stepFrom {
		if from == s {
			return step
		}
	}
	return ""
}

// Rectification sources.
const (
	SourceInspection = "inspection" // a failed inspection or a fatal item
	SourceComplaint  = "complaint"  // a verified citizen complaint about the service
	SourceCentre     = "centre"     // a problem raised by the centre
)

// Limits are the time limits of quality work, on the working calendar:
// the agent's objection after a score, the rectification's response (the
// cause analysed) and plan after the problem's finding.
type Limits struct {
	Objection hotline.Limit
	Response  hotline.Limit
	Plan      hotline.Limit
}

// DefaultLimits are the contract's: an objection within 2 working days, a
// response within 24 hours and a plan within 48.
func DefaultLimits() Limits {
	return Limits{Objection: hotline.Limit{Value: 2, Unit: hotline.WorkingDays},
		Response: hotline.Limit{Value: 24, Unit: hotline.CalendarHours}, Plan: hotline.Limit{Value: 48, Unit: hotline.CalendarHours}}
}

// RectStep is one step done: by whom, when, what was written, and a link
// (a KB article or scorecard, for the mechanism).
type RectStep struct {
	Step    string    `json:"step"`
	ActorID int64     `json:"actor_id"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
	Text    string    `json:"text"`
	Passed  *bool     `json:"passed,omitempty"` // verify: effective or not
	Link    string    `json:"link,omitempty"`
}

// Rectification is a quality problem's closed loop (整改).
type Rectification struct {
	ID           int64      `json:"id"`
	Source       string     `json:"source"`
	InspectionID int64      `json:"inspection_id,omitempty"`
	AgentID      int64      `json:"agent_id,omitempty"`
	Agent        string     `json:"agent,omitempty"`
	Problem      string     `json:"problem"`
	Status       RectStatus `json:"status"`
	CreatedAt    time.Time  `json:"created_at"`
	CreatedBy    int64      `json:"created_by,omitempty"`
	ResponseDue  time.Time  `json:"response_due"`
	PlanDue      time.Time  `json:"plan_due"`
	RespondedAt  *time.Time `json:"responded_at,omitempty"`
	PlannedAt    *time.Time `json:"planned_at,omitempty"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	Steps        []RectStep `json:"steps,omitempty"`
}

// Due is the time limit the rectification waits on now (the response's,
// then the plan's), zero once planned.
func (r *Rectification) Due() (string, time.Time) {
	switch r.Status {
	case RectOpen:
		return StepCause, r.ResponseDue
	case RectAnalysed:
		return StepPlan, r.PlanDue
	}
	return "", time.Time{}
}

// State is the due mark as tickets' supervision shows it: "overdue" past
// the limit, "warning" in its last fifth, "ok" otherwise, "" with none.
func (r *Rectification) State(now time.Time) string {
	_, due := r.Due()
	if due.IsZero() {
		return ""
	}
	switch {
	case now.After(due):
		return "overdue"
	case due.Sub(now) < due.Sub(r.CreatedAt)/5:
		return "warning"
	}
	return "ok"
}

// OnTime reports whether the response and the plan came within their
// limits (so far).
func (r *Rectification) OnTime(now time.Time) bool {
	in := func(done *time.Time, due time.Time) bool {
		if done == nil {
			return !now.After(due)
		}
		return !done.After(due)
	}
	return in(r.RespondedAt, r.ResponseDue) && in(r.PlannedAt, r.PlanDue)
}

// CanRectify reports whether the actor works rectifications: team leads,
// inspectors, the project and operations managers.
func CanRectify(a hotline.Actor) bool {
	switch a.Role {
	case hotline.RoleTeamLead, hotline.RoleInspector, hotline.RoleProjectManager, hotline.RoleOpsSupervisor:
		return true
	}
	return false
}

// CheckStep says whether the actor may take the step now, naming why not.
func (r *Rectification) CheckStep(a hotline.Actor, step string) error {
	from, ok := stepFrom[step]
	switch {
	case !ok:
		return hotline.Invalid("step", "未知的整改步骤 %s", step)
	case !CanRectify(a):
		return hotline.Errorf(hotline.EForbidden, "%s不能办理整改", a.Role.Label())
	case r.Status != from:
		return hotline.Errorf(hotline.EConflict, "整改处于“%s”，现在不能%s", r.Status.Label(), StepLabel(step))
	}
	return nil
}

// Apply takes a checked step: the new status, and the times the limits
// are measured by. A verification that finds the fix not effective sends
// the rectification back to be carried out again.
func (r *Rectification) Apply(step string, passed *bool, now time.Time) {
	switch step {
	case StepCause:
		r.Status, r.RespondedAt = RectAnalysed, &now
	case StepPlan:
		r.Status, r.PlannedAt = RectPlanned, &now
	case StepCarry:
		r.Status = RectCarried
	case StepVerify:
		if passed != nil && !*passed {
			r.Status = RectPlanned // not effective: carry it out again
			return
		}
		r.Status = RectVerified
	case StepImprove:
		r.Status, r.ClosedAt = RectClosed, &now
	}
}

// RectFigures are a period's rectification figures (整改完成率, target
// 100%; 按时率): of those opened in it, how many are closed, and how many
// answered and planned in time.
type RectFigures struct {
	Opened         int     `json:"opened"`
	Closed         int     `json:"closed"`
	OnTime         int     `json:"on_time"`
	CompletionRate float64 `json:"completion_rate"`
	OnTimeRate     float64 `json:"on_time_rate"`
}

// Finish computes the rates (1 when none was opened).
func (f *RectFigures) Finish() {
	f.CompletionRate, f.OnTimeRate = 1, 1
	if f.Opened > 0 {
		f.CompletionRate = float64(f.Closed) / float64(f.Opened)
		f.OnTimeRate = float64(f.OnTime) / float64(f.Opened)
	}
}

// ProblemOf is the problem a failed inspection states: its reason, and
// the items that lost points, with their comments.
func ProblemOf(in *Inspection, card *Scorecard) string {
	var items []string
	for _, m := range in.Marks {
		it, ok := card.Item(m.Key)
		if !ok || (!m.Failed && m.Points >= it.Points) {
			continue
		}
		if m.Comment != "" {
			items = append(items, fmt.Sprintf("%s（%s）", it.Name, m.Comment))
		} else {
			items = append(items, it.Name)
		}
	}
	format := "质检不合格（%s，%d 分）：%s"
	if in.Fatal {
		format = "质检出现致命项（%s，%d 分）：%s"
	}
	return fmt.Sprintf(format, in.Reason.Label(), in.Score, strings.Join(items, "；"))
}

// DueStep is the step the rectification's current limit is for.
func (r *Rectification) DueStep() string { s, _ := r.Due(); return s }

// DueAt is the current limit (zero once planned).
func (r *Rectification) DueAt() time.Time { _, t := r.Due(); return t }
