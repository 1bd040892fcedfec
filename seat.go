package hotline

import "time"

// SeatStatus is what an agent's seat is doing (坐席状态).
type SeatStatus string

// Seat statuses an agent sets; SeatBusy comes from a call in progress.
const (
	SeatReady     SeatStatus = "ready"      // 示闲
	SeatBreak     SeatStatus = "break"      // 小休
	SeatAfterCall SeatStatus = "after_call" // 话后处理
	SeatOffline   SeatStatus = "offline"    // 离线
	SeatBusy      SeatStatus = "busy"       // 通话中 (set by the call)
)

var seatNames = map[SeatStatus]string{SeatReady: "示闲", SeatBreak: "小休", SeatAfterCall: "话后处理", SeatOffline: "离线", SeatBusy: "通话中"}

// SeatStatuses are those an agent chooses, in the header's order.
var SeatStatuses = []SeatStatus{SeatReady, SeatBreak, SeatAfterCall, SeatOffline}

// Settable reports whether an agent may choose s (busy comes by itself).
func (s SeatStatus) Settable() bool {
	return s == SeatReady || s == SeatBreak || s == SeatAfterCall || s == SeatOffline
}

// Label is the status in Chinese.
func (s SeatStatus) Label() string { return seatNames[s] }

// Seat is one agent's seat on the team lead's wall.
type Seat struct {
	UserID     int64      `json:"user_id"`
	Username   string     `json:"username"`
	Name       string     `json:"name"`
	Status     SeatStatus `json:"status"` // busy while a call of the agent is in progress
	Since      *time.Time `json:"since,omitempty"`
	CallSince  *time.Time `json:"call_since,omitempty"` // the current call's answer
	CallsToday int        `json:"calls_today"`
}

// CallQueue is the calls waiting now.
type CallQueue struct {
	Waiting     int        `json:"waiting"`
	OldestSince *time.Time `json:"oldest_since,omitempty"`
}
