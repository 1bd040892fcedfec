package hotline

import (
	"sort"
	"strings"
	"time"
)

// ActionLinkCall records on a ticket the call it was accepted on (关联来电);
// taken by the link, not through the ticket actions.
const ActionLinkCall Action = "link_call"

// CanLinkCall reports whether the actor may link calls to tickets: the
// centre staff who take calls.
func (a Actor) CanLinkCall() bool { return a.Role.Can(ActionAccept) }

// CallEventKind is what happened to a call at the telephony platform.
type CallEventKind string

// Call events (话务事件), as every adapter delivers them.
const (
	CallOffered  CallEventKind = "offered"  // the call joined the queue
	CallAnswered CallEventKind = "answered" // an agent picked up
	CallEnded    CallEventKind = "ended"    // it hung up
)

// CallOutcome is how a call went.
type CallOutcome string

// Call outcomes. A call ended without an answer is abandoned; abandoned
// within ShortAbandon of its offer it is a short abandon (a misdial or a
// caller who hung up at the greeting), still offered and abandoned.
const (
	CallRinging      CallOutcome = "ringing"       // offered, not yet answered or ended
	CallTalking      CallOutcome = "talking"       // answered, not yet ended
	CallAnsweredOK   CallOutcome = "answered"      // answered and ended
	CallAbandoned    CallOutcome = "abandoned"     // ended unanswered
	CallShortAbandon CallOutcome = "short_abandon" // ended unanswered within ShortAbandon
)

// ShortAbandon is the wait under which an unanswered call is a short
// abandon.
const ShortAbandon = 5 * time.Second

// ServiceLevelWait is the answer time of the service level (GB/T 33358:
// answered within 15 s).
const ServiceLevelWait = 15 * time.Second

var callOutcomeNames = map[CallOutcome]string{CallRinging: "排队中", CallTalking: "通话中", CallAnsweredOK: "已接听",
	CallAbandoned: "放弃", CallShortAbandon: "短时放弃"}

// Label is the outcome in Chinese.
func (o CallOutcome) Label() string { return callOutcomeNames[o] }

// CallEvent is one event of a call, as an adapter (webhook, event socket,
// CDR import) hands it over. Caller is personal data.
type CallEvent struct {
	CallID    string        `json:"call_id"`
	Event     CallEventKind `json:"event"`
	At        time.Time     `json:"at"`
	Caller    string        `json:"caller"`
	Callee    string        `json:"callee"`
	Queue     string        `json:"queue"`
	Agent     string        `json:"agent"`     // the agent's username (answered)
	Recording string        `json:"recording"` // path or URL (ended)
}

// MaxCallID bounds a platform's call id.
const MaxCallID = 128

// Validate checks an event, naming the first bad field; the caller's
// number is normalised.
func (e *CallEvent) Validate() error {
	e.CallID = strings.TrimSpace(e.CallID)
	switch {
	case e.CallID == "" || len(e.CallID) > MaxCallID:
		return Invalid("call_id", "请提供话务平台的通话编号（不超过%d个字符）", MaxCallID)
	case e.Event != CallOffered && e.Event != CallAnswered && e.Event != CallEnded:
		return Invalid("event", "事件应为 offered、answered 或 ended")
	case e.At.IsZero():
		return Invalid("at", "请提供事件时间（RFC 3339）")
	}
	for _, f := range []struct{ name, v string }{{"call_id", e.CallID}, {"caller", e.Caller}, {"callee", e.Callee},
		{"queue", e.Queue}, {"agent", e.Agent}, {"recording", e.Recording}} {
		if err := CheckInput(f.name, f.v); err != nil {
			return err
		} else if len(f.v) > 1000 {
			return Invalid(f.name, "过长")
		}
	}
	e.Caller, e.Callee, e.Queue, e.Agent, e.Recording = NormalizePhone(e.Caller), TrimText(e.Callee), TrimText(e.Queue), TrimText(e.Agent), TrimText(e.Recording)
	if e.Event == CallAnswered && e.Agent == "" {
		return Invalid("agent", "接听事件须有坐席的用户名")
	}
	return nil
}

// Call is one call's record (话务记录), rebuilt from its events.
type Call struct {
	ID         int64       `json:"id"`
	CallID     string      `json:"call_id"`
	Caller     string      `json:"caller"` // masked for display, like a requester's phone
	Callee     string      `json:"callee"`
	Queue      string      `json:"queue"`
	Agent      string      `json:"agent,omitempty"` // username
	AgentID    int64       `json:"agent_id,omitempty"`
	OfferedAt  *time.Time  `json:"offered_at,omitempty"`
	AnsweredAt *time.Time  `json:"answered_at,omitempty"`
	EndedAt    *time.Time  `json:"ended_at,omitempty"`
	Outcome    CallOutcome `json:"outcome"`
	Wait       int         `json:"wait_seconds"`        // answered (or ended, unanswered) − offered
	Talk       int         `json:"talk_seconds"`        // ended − answered
	Recording  string      `json:"recording,omitempty"` // the PBX's path or URL
	HasAudio   bool        `json:"has_audio"`           // a recording uploaded to us, to play
	TicketIDs  []int64     `json:"ticket_ids,omitempty"`

	// Log is the call's events as they were received (FindCall only).
	Log []CallLogEntry `json:"events,omitempty"`

	// The callback of a missed call.
	CallbackAt     *time.Time     `json:"callback_at,omitempty"`
	CallbackBy     int64          `json:"callback_by,omitempty"`
	CallbackResult CallbackResult `json:"callback_result,omitempty"`
	CallbackNote   string         `json:"callback_note,omitempty"`
}

// CallLogEntry is one event of a call as it was received: from which
// adapter (webhook, esl, cdr) and when, so that a late or repeated event
// can be told.
type CallLogEntry struct {
	Event      CallEventKind `json:"event"`
	At         time.Time     `json:"at"`
	Agent      string        `json:"agent,omitempty"`
	Recording  string        `json:"recording,omitempty"`
	Source     string        `json:"source"`
	ReceivedAt time.Time     `json:"received_at"`
}

// Rebuild makes a call's record from all its events, in time order
// whatever order they arrived in (an ended before its answered is held
// until then), each kind counted once (the first).
func (c *Call) Rebuild(events []CallEvent) {
	sorted := append([]CallEvent(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	c.OfferedAt, c.AnsweredAt, c.EndedAt, c.Agent, c.Recording = nil, nil, nil, "", ""
	for i := range sorted {
		e := &sorted[i]
		if c.CallID == "" {
			c.CallID = e.CallID
		}
		if e.Caller != "" && c.Caller == "" {
			c.Caller = e.Caller
		}
		if e.Callee != "" {
			c.Callee = e.Callee
		}
		if e.Queue != "" {
			c.Queue = e.Queue
		}
		at := e.At.UTC()
		switch e.Event {
		case CallOffered:
			if c.OfferedAt == nil {
				c.OfferedAt = &at
			}
		case CallAnswered:
			if c.AnsweredAt == nil {
				c.AnsweredAt, c.Agent = &at, e.Agent
			}
		case CallEnded:
			if c.EndedAt == nil {
				c.EndedAt = &at
			}
			if e.Recording != "" {
				c.Recording = e.Recording
			}
		}
	}
	if c.OfferedAt == nil { // answered straight away (an outbound or transferred call)
		c.OfferedAt = c.AnsweredAt
		if c.OfferedAt == nil {
			c.OfferedAt = c.EndedAt
		}
	}
	c.Wait, c.Talk = 0, 0
	switch {
	case c.AnsweredAt != nil && c.EndedAt != nil:
		c.Outcome, c.Wait, c.Talk = CallAnsweredOK, seconds(c.AnsweredAt.Sub(*c.OfferedAt)), seconds(c.EndedAt.Sub(*c.AnsweredAt))
	case c.AnsweredAt != nil:
		c.Outcome, c.Wait = CallTalking, seconds(c.AnsweredAt.Sub(*c.OfferedAt))
	case c.EndedAt != nil:
		c.Outcome, c.Wait = CallAbandoned, seconds(c.EndedAt.Sub(*c.OfferedAt))
		if c.EndedAt.Sub(*c.OfferedAt) < ShortAbandon {
			c.Outcome = CallShortAbandon
		}
	default:
		c.Outcome = CallRinging
	}
}

// seconds rounds a span to whole seconds, never below zero.
func seconds(d time.Duration) int {
	if d < 0 {
		return 0
	}
	return int(d.Round(time.Second) / time.Second)
}

// CallStats are the call figures of a period (话务统计), as
// GET /api/v1/calls/stats returns them: answer rate = answered / offered;
// service level = answered within 15 s / offered; the averages over the
// answered calls (talk over those ended).
type CallStats struct {
	Offered         int     `json:"offered"`
	Answered        int     `json:"answered"`
	Abandoned       int     `json:"abandoned"` // short abandons included
	ShortAbandons   int     `json:"short_abandons"`
	AnswerRate      float64 `json:"answer_rate"`
	ServiceLevel15s float64 `json:"service_level_15s"`
	AvgWaitSeconds  float64 `json:"avg_wait_seconds"`
	AvgTalkSeconds  float64 `json:"avg_talk_seconds"`
	TalkSeconds     int     `json:"talk_seconds"` // total
	// Missed calls (abandoned, not at once, with a number) and how many
	// were called back within MissedCallWithin (未接来电回拨率).
	Missed           int     `json:"missed"`
	CalledBackInTime int     `json:"called_back_in_time"`
	CallbackRate     float64 `json:"callback_rate"`
}

// Finish computes the rates and averages from the counts and sums:
// within15 answered within ServiceLevelWait, waitMS the answered calls'
// waits, talkMS the talk of the talked calls (answered and ended).
func (s *CallStats) Finish(within15 int, waitMS, talkMS int64, talked int) {
	s.TalkSeconds = int(talkMS / 1000)
	if s.Offered > 0 {
		s.AnswerRate = float64(s.Answered) / float64(s.Offered)
		s.ServiceLevel15s = float64(within15) / float64(s.Offered)
	}
	if s.Answered > 0 {
		s.AvgWaitSeconds = float64(waitMS) / 1000 / float64(s.Answered)
	}
	if talked > 0 {
		s.AvgTalkSeconds = float64(talkMS) / 1000 / float64(talked)
	}
	if s.Missed > 0 {
		s.CallbackRate = float64(s.CalledBackInTime) / float64(s.Missed)
	}
}

// CallbackResult is how calling back a missed call went (未接来电回拨).
type CallbackResult string

// Callback results.
const (
	CallbackReached   CallbackResult = "reached"    // 回拨接通
	CallbackNoAnswer  CallbackResult = "no_answer"  // 回拨未接通 (stays in the queue)
	CallbackNotNeeded CallbackResult = "not_needed" // 无需回拨 (the caller called in again, a wrong number)
)

var callbackNames = map[CallbackResult]string{CallbackReached: "回拨接通", CallbackNoAnswer: "回拨未接通", CallbackNotNeeded: "无需回拨"}

// Valid reports whether r is a known result.
func (r CallbackResult) Valid() bool { _, ok := callbackNames[r]; return ok }

// Label is the result in Chinese.
func (r CallbackResult) Label() string { return callbackNames[r] }

// MissedCallWithin is the rule's time to call back a missed call: the
// figure is the share of missed calls called back (reached or not) within
// it of their end.
const MissedCallWithin = 30 * time.Minute

// Missed reports whether a call waits for a callback: abandoned (not at
// once) by a caller whose number came, and not yet reached or settled.
func (c *Call) Missed() bool {
	return c.Outcome == CallAbandoned && c.Caller != "" && c.CallbackResult != CallbackReached && c.CallbackResult != CallbackNotNeeded
}

// CanListen reports whether the actor may play a call's recording: the
// inspectors, team leads and managers, and a call agent its own calls.
func (a Actor) CanListen(c *Call) bool {
	switch a.Role {
	case RoleInspector, RoleTeamLead, RoleProjectManager, RoleOpsSupervisor:
		return true
	case RoleCallAgent:
		return c.AgentID != 0 && c.AgentID == a.UserID
	}
	return false
}
