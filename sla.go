package hotline

import (
	"fmt"
	"time"
)

// LimitUnit is the unit a time limit (时限) is counted in.
type LimitUnit string

// Units of time limits.
const (
	WorkingDays     LimitUnit = "working_days"
	WorkingHours    LimitUnit = "working_hours"
	CalendarHours   LimitUnit = "calendar_hours"
	CalendarMinutes LimitUnit = "calendar_minutes"
)

// Limit is one time limit, e.g. 15 working days.
type Limit struct {
	Value int       `json:"value"`
	Unit  LimitUnit `json:"unit"`
}

// Validate checks the limit; field names it in errors.
func (l Limit) Validate(field string) error {
	switch l.Unit {
	case WorkingDays, WorkingHours, CalendarHours, CalendarMinutes:
	default:
		return Invalid(field+".unit", "时限单位必须是 working_days、working_hours、calendar_hours 或 calendar_minutes")
	}
	if l.Value <= 0 || l.Value > 10000 {
		return Invalid(field+".value", "时限必须为 1 到 10000 之间的整数")
	}
	return nil
}

// Calendar reports whether the limit runs on calendar time (not office time).
func (l Limit) Calendar() bool { return l.Unit == CalendarHours || l.Unit == CalendarMinutes }

// String renders the limit in Chinese, e.g. "15个工作日".
func (l Limit) String() string {
	switch l.Unit {
	case WorkingDays:
		return fmt.Sprintf("%d个工作日", l.Value)
	case WorkingHours:
		return fmt.Sprintf("%d个工作小时", l.Value)
	case CalendarHours:
		return fmt.Sprintf("%d小时", l.Value)
	default:
		return fmt.Sprintf("%d分钟", l.Value)
	}
}

// Deadline returns when a limit starting at start runs out.
func (c *Calendar) Deadline(start time.Time, l Limit) time.Time {
	switch l.Unit {
	case WorkingDays:
		return c.AddWorkingDays(start, l.Value)
	case WorkingHours:
		return c.AddWorkingTime(start, time.Duration(l.Value)*time.Hour)
	case CalendarHours:
		return start.Add(time.Duration(l.Value) * time.Hour).UTC()
	default:
		return start.Add(time.Duration(l.Value) * time.Minute).UTC()
	}
}

// WarnAt returns the instant at which only share of the time between start
// and due is left, measured on office time unless calendar is set.
func (c *Calendar) WarnAt(start, due time.Time, share float64, calendar bool) time.Time {
	if calendar {
		total := due.Sub(start)
		return start.Add(total - time.Duration(float64(total)*share)).UTC()
	}
	total := c.WorkingTimeBetween(start, due)
	return c.AddWorkingTime(start, total-time.Duration(float64(total)*share)).UTC()
}

// SLAPolicy is the set of time limits for one appeal kind × urgency, and
// optionally one category (a category-specific policy wins).
type SLAPolicy struct {
	ID           int64      `json:"id"`
	AppealKind   AppealKind `json:"appeal_kind"`
	Urgency      Urgency    `json:"urgency"`
	CategoryID   int64      `json:"category_id,omitempty"` // 0: any category
	Acknowledge  Limit      `json:"acknowledge"`
	Reply        Limit      `json:"reply"`
	Callback     Limit      `json:"callback"`
	WarningShare float64    `json:"warning_share"` // warn when this share of the limit is left
}

// Validate checks a policy before it is stored.
func (p *SLAPolicy) Validate() error {
	if !p.AppealKind.Valid() {
		return Invalid("appeal_kind", "诉求类型无效")
	}
	if !p.Urgency.Valid() {
		return Invalid("urgency", "紧急程度无效")
	}
	for _, f := range []struct {
		name string
		l    Limit
	}{{"acknowledge", p.Acknowledge}, {"reply", p.Reply}, {"callback", p.Callback}} {
		if err := f.l.Validate(f.name); err != nil {
			return err
		}
	}
	if p.WarningShare <= 0 || p.WarningShare >= 1 {
		return Invalid("warning_share", "预警比例必须大于 0 且小于 1")
	}
	return nil
}

// DefaultSLAPolicies are the seeded limits (after Guangdong's 12345 rules):
// reply in 2 working days for consultations, 10 for help, suggestions and
// praise, 15 for complaints and reports; acknowledge in 1 working day, 30
// minutes when urgent and 15 minutes when an emergency (calendar time).
// Urgent tickets must be replied in 3 working days, emergencies in 24 hours.
func DefaultSLAPolicies() []SLAPolicy {
	reply := map[AppealKind]int{Consult: 2, Help: 10, Suggest: 10, Praise: 10, Complaint: 15, Report: 15}
	var out []SLAPolicy
	for _, k := range AppealKinds {
		for _, u := range Urgencies {
			p := SLAPolicy{AppealKind: k, Urgency: u, WarningShare: 0.2,
				Acknowledge: Limit{1, WorkingDays},
				Reply:       Limit{reply[k], WorkingDays},
				Callback:    Limit{3, WorkingDays}}
			switch u {
			case Urgent:
				p.Acknowledge = Limit{30, CalendarMinutes}
				p.Reply = Limit{min(3, reply[k]), WorkingDays}
				p.Callback = Limit{1, WorkingDays}
			case Emergency:
				p.Acknowledge = Limit{15, CalendarMinutes}
				p.Reply = Limit{24, CalendarHours}
				p.Callback = Limit{1, WorkingDays}
			}
			out = append(out, p)
		}
	}
	return out
}

// Rules are the centre's lifecycle rules that are not per-policy.
type Rules struct {
	ReturnWindow   Limit // a unit may return a ticket within this time of dispatch
	DesignateAfter int   // after this many returns the centre designates the unit
	ReopenLimit    Limit // time a unit gets to handle a reopened ticket
	ReturnReview   Limit // the centre reviews a return request within this time
}

// DefaultRules are the seeded rules: return within 1 working day, designate
// after 3 returns, 5 working days for a reopened ticket, 4 working hours to
// review a return request.
func DefaultRules() Rules {
	return Rules{ReturnWindow: Limit{1, WorkingDays}, DesignateAfter: 3, ReopenLimit: Limit{5, WorkingDays},
		ReturnReview: Limit{4, WorkingHours}}
}
