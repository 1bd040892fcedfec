package wfm

import (
	"time"
	"unicode/utf8"

	"hotline"
)

// The reserve pool (储备人员): trained standby staff, reported to the
// centre, called up within 48 hours for an ordinary gap and within 2
// hours for a surge. A call-up asks for a number of people; each asked
// confirms and arrives, on time or late — a figure for the reports.

// Call-up kinds and their deadlines.
const (
	CallUpGap   = "gap"   // 一般缺岗：48 小时内到岗
	CallUpSurge = "surge" // 话务激增：2 小时内到岗
)

// CallUpKindNames name the kinds.
var CallUpKindNames = map[string]string{CallUpGap: "一般缺岗（48小时）", CallUpSurge: "话务激增（2小时）"}

// CallUpDeadline is when the people called up must be at their posts.
func CallUpDeadline(kind string, requested time.Time) time.Time {
	if kind == CallUpSurge {
		return requested.Add(2 * time.Hour)
	}
	return requested.Add(48 * time.Hour)
}

// CallUp is a request for reserve staff.
type CallUp struct {
	ID          int64       `json:"id"`
	Kind        string      `json:"kind"`
	Need        int         `json:"need"`
	Note        string      `json:"note"`
	WarningID   int64       `json:"warning_id,omitempty"` // the early warning that started it
	RequestedAt time.Time   `json:"requested_at"`
	Deadline    time.Time   `json:"deadline"`
	Responses   []Response  `json:"responses"`
	Outcome     CallOutcome `json:"outcome"`
}

// Response is one reserve member asked: when they confirmed and arrived.
type Response struct {
	MemberID    int64      `json:"member_id"`
	Name        string     `json:"name"`
	AskedAt     time.Time  `json:"asked_at"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	ArrivedAt   *time.Time `json:"arrived_at,omitempty"`
}

// CallOutcome is how a call-up went.
type CallOutcome struct {
	Asked, Confirmed, Arrived, OnTime int
	Met                               bool // Need people arrived by the deadline
	Late                              bool // the deadline passed without them
}

// Check refuses a call-up that makes no sense, naming the field.
func (c CallUp) Check() error {
	if _, ok := CallUpKindNames[c.Kind]; !ok {
		return hotline.Invalid("kind", "调用类型应为 gap 或 surge")
	}
	if c.Need < 1 || c.Need > 50 {
		return hotline.Invalid("need", "调用人数应在 1 到 50 之间")
	}
	if n := utf8.RuneCountInString(c.Note); n == 0 || n > 200 {
		return hotline.Invalid("note", "请写明调用原因（不超过200字）")
	}
	return nil
}

// Evaluate works out the outcome at now.
func (c *CallUp) Evaluate(now time.Time) {
	o := CallOutcome{Asked: len(c.Responses)}
	for _, r := range c.Responses {
		if r.ConfirmedAt != nil {
			o.Confirmed++
		}
		if r.ArrivedAt != nil {
			o.Arrived++
			if !r.ArrivedAt.After(c.Deadline) {
				o.OnTime++
			}
		}
	}
	o.Met = o.OnTime >= c.Need
	o.Late = !o.Met && now.After(c.Deadline)
	c.Outcome = o
}
