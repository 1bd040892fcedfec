package hotline_test

import (
	"testing"
	"time"

	"hotline"
)

func TestCall_Rebuild(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, "2026-11-30T"+s+"+08:00")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		name   string
		events []hotline.CallEvent
		want   hotline.CallOutcome
		wait   int
		talk   int
	}{
		{"in order", []hotline.CallEvent{{Event: hotline.CallOffered, At: at("09:00:00")}, {Event: hotline.CallAnswered, At: at("09:00:12"), Agent: "a"},
			{Event: hotline.CallEnded, At: at("09:06:12")}}, hotline.CallAnsweredOK, 12, 360},
		{"ended first", []hotline.CallEvent{{Event: hotline.CallEnded, At: at("09:06:12")}, {Event: hotline.CallAnswered, At: at("09:00:12"), Agent: "a"},
			{Event: hotline.CallOffered, At: at("09:00:00")}}, hotline.CallAnsweredOK, 12, 360},
		{"abandoned", []hotline.CallEvent{{Event: hotline.CallOffered, At: at("09:00:00")}, {Event: hotline.CallEnded, At: at("09:00:30")}}, hotline.CallAbandoned, 30, 0},
		{"short abandon", []hotline.CallEvent{{Event: hotline.CallOffered, At: at("09:00:00")}, {Event: hotline.CallEnded, At: at("09:00:04")}}, hotline.CallShortAbandon, 4, 0},
		{"at five seconds", []hotline.CallEvent{{Event: hotline.CallOffered, At: at("09:00:00")}, {Event: hotline.CallEnded, At: at("09:00:05")}}, hotline.CallAbandoned, 5, 0},
		{"ringing", []hotline.CallEvent{{Event: hotline.CallOffered, At: at("09:00:00")}}, hotline.CallRinging, 0, 0},
		{"talking", []hotline.CallEvent{{Event: hotline.CallOffered, At: at("09:00:00")}, {Event: hotline.CallAnswered, At: at("09:00:03"), Agent: "a"}}, hotline.CallTalking, 3, 0},
		{"no offer", []hotline.CallEvent{{Event: hotline.CallAnswered, At: at("09:00:03"), Agent: "a"}, {Event: hotline.CallEnded, At: at("09:01:03")}}, hotline.CallAnsweredOK, 0, 60},
	} {
		var call hotline.Call
		call.Rebuild(c.events)
		if call.Outcome != c.want || call.Wait != c.wait || call.Talk != c.talk {
			t.Errorf("%s: %s, wait %d, talk %d; want %s, %d, %d", c.name, call.Outcome, call.Wait, call.Talk, c.want, c.wait, c.talk)
		}
	}
}

func TestCallEvent_Validate(t *testing.T) {
	ok := hotline.CallEvent{CallID: "c1", Event: hotline.CallOffered, At: time.Now(), Caller: "+86 139-0799-0001"}
	if err := ok.Validate(); err != nil || ok.Caller != "13907990001" {
		t.Fatalf("valid event: %v, caller %q", err, ok.Caller)
	}
	for field, e := range map[string]hotline.CallEvent{
		"call_id": {Event: hotline.CallOffered, At: time.Now()},
		"event":   {CallID: "c", Event: "hangup", At: time.Now()},
		"at":      {CallID: "c", Event: hotline.CallOffered},
		"agent":   {CallID: "c", Event: hotline.CallAnswered, At: time.Now()},
		"queue":   {CallID: "c", Event: hotline.CallOffered, At: time.Now(), Queue: "a\x00b"},
	} {
		if err := e.Validate(); hotline.ErrorField(err) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
