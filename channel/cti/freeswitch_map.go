package cti

import (
	"strconv"
	"strings"
	"time"

	"hotline"
)

// The events the FreeSWITCH adapter subscribes to: mod_callcenter's
// queue events, the agent leg's answer and the caller's hangup, and the
// heartbeat that tells a quiet socket from a dead one.
const eslSubscription = "event plain CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE HEARTBEAT CUSTOM callcenter::info"

// MapFreeSWITCH turns one FreeSWITCH event into the call events it means
// (none for the events that do not concern a queue call). The call id is
// the caller's channel (CC-Member-Session-UUID, the member leg's
// Unique-ID); mod_callcenter's agent name is the user name (an @domain
// part is dropped).
//
//   - callcenter::info member-queue-start → offered (caller
//     CC-Member-CID-Number, queue CC-Queue).
//   - callcenter::info bridge-agent-start, or CHANNEL_ANSWER of an agent leg
//     (cc_side=agent) → answered by CC-Agent / cc_agent.
//   - callcenter::info member-queue-end → ended at CC-Member-Leaving-Time;
//     with CC-Cause Terminated also answered at CC-Agent-Answered-Time, and
//     offered at CC-Member-Joined-Time, so that a call whose earlier events
//     were missed is still whole (repeats are idempotent: the first wins).
//     CC-Cause Cancel (the caller left or timed out) is an abandon.
//   - CHANNEL_HANGUP_COMPLETE of a member leg (cc_side=member) → ended,
//     with the recording cc_record_filename when the queue records.
func MapFreeSWITCH(e Event) []hotline.CallEvent {
	at := eventTime(e)
	switch e.Get("Event-Name") {
	case "CUSTOM":
		if e.Get("Event-Subclass") != "callcenter::info" {
			return nil
		}
		id := e.Get("CC-Member-Session-UUID")
		if id == "" {
			id = e.Get("CC-Member-UUID")
		}
		if id == "" {
			return nil
		}
		base := hotline.CallEvent{CallID: id, Caller: e.Get("CC-Member-CID-Number"), Queue: queueName(e.Get("CC-Queue")),
			Callee: e.Get("Caller-Destination-Number"), Recording: e.Get("variable_cc_record_filename")}
		switch e.Get("CC-Action") {
		case "member-queue-start":
			base.Event, base.At, base.Recording = hotline.CallOffered, at, ""
			return []hotline.CallEvent{base}
		case "bridge-agent-start":
			base.Event, base.Agent, base.Recording = hotline.CallAnswered, agentName(e.Get("CC-Agent")), ""
			base.At = epoch(e.Get("CC-Agent-Answered-Time"), at)
			return []hotline.CallEvent{base}
		case "member-queue-end":
			var out []hotline.CallEvent
			if j := epoch(e.Get("CC-Member-Joined-Time"), time.Time{}); !j.IsZero() {
				o := base
				o.Event, o.At, o.Recording = hotline.CallOffered, j, ""
				out = append(out, o)
			}
			if e.Get("CC-Cause") == "Terminated" && e.Get("CC-Agent") != "" {
				if a := epoch(e.Get("CC-Agent-Answered-Time"), time.Time{}); !a.IsZero() {
					o := base
					o.Event, o.At, o.Agent, o.Recording = hotline.CallAnswered, a, agentName(e.Get("CC-Agent")), ""
					out = append(out, o)
				}
			}
			end := base
			end.Event, end.At = hotline.CallEnded, epoch(e.Get("CC-Member-Leaving-Time"), at)
			return append(out, end)
		}
	case "CHANNEL_ANSWER":
		if e.Get("variable_cc_side") != "agent" || e.Get("variable_cc_member_session_uuid") == "" || e.Get("variable_cc_agent") == "" {
			return nil
		}
		return []hotline.CallEvent{{CallID: e.Get("variable_cc_member_session_uuid"), Event: hotline.CallAnswered, At: at,
			Agent: agentName(e.Get("variable_cc_agent")), Queue: queueName(e.Get("variable_cc_queue"))}}
	case "CHANNEL_HANGUP_COMPLETE":
		if e.Get("variable_cc_side") != "member" || e.Get("Unique-ID") == "" {
			return nil
		}
		return []hotline.CallEvent{{CallID: e.Get("Unique-ID"), Event: hotline.CallEnded, At: at,
			Caller: e.Get("Caller-Caller-ID-Number"), Callee: e.Get("Caller-Destination-Number"),
			Queue: queueName(e.Get("variable_cc_queue")), Recording: e.Get("variable_cc_record_filename")}}
	}
	return nil
}

// eventTime is the event's own time (Event-Date-Timestamp, microseconds
// since the epoch).
func eventTime(e Event) time.Time {
	if us, err := strconv.ParseInt(e.Get("Event-Date-Timestamp"), 10, 64); err == nil && us > 0 {
		return time.UnixMicro(us).UTC()
	}
	return time.Time{}
}

// epoch reads mod_callcenter's times (seconds since the epoch); zero or
// missing gives def.
func epoch(v string, def time.Time) time.Time {
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s > 0 {
		return time.Unix(s, 0).UTC()
	}
	return def
}

// queueName drops the domain of a mod_callcenter queue ("12345@default").
func queueName(q string) string {
	name, _, _ := strings.Cut(q, "@")
	return name
}

// agentName is the user name of a mod_callcenter agent ("agent@default").
func agentName(a string) string {
	name, _, _ := strings.Cut(a, "@")
	return name
}
