package demo

import (
	"context"
	"fmt"
	"time"

	"hotline"
)

// call makes the phone call a story's ticket was accepted on (话务记录):
// queued a few seconds, answered by the agent a few minutes before the
// ticket is saved, ended a little after; one story in ten also has an
// abandoned call about then, one in twenty-five a short abandon. Waits
// and talk times follow from the ticket's id, not the story's random
// draws, so the stories stay as they were.
func (s *story) call(ctx context.Context, agent string) error {
	id := int64(s.serial)
	wait := time.Duration(3+id*7%25) * time.Second
	talk := time.Duration(200+id*37%320) * time.Second
	answered := s.now.Add(-talk * 3 / 4)
	offered := answered.Add(-wait)
	ended := answered.Add(talk)
	ref := fmt.Sprintf("demo-%06d", id)
	events := []hotline.CallEvent{
		{CallID: ref, Event: hotline.CallOffered, At: offered, Caller: s.t.Requester.Phone, Callee: "12345", Queue: "12345"},
		{CallID: ref, Event: hotline.CallAnswered, At: answered, Agent: agent},
	}
	if ended.Before(s.end) {
		events = append(events, hotline.CallEvent{CallID: ref, Event: hotline.CallEnded, At: ended, Recording: "/recordings/" + ref + ".wav"})
	}
	if id%10 == 3 { // somebody gave up waiting
		other := fmt.Sprintf("1%010d", 3_800_000_000+id*7919%100_000_000)
		at := offered.Add(-time.Duration(40+id%90) * time.Second)
		events = append(events,
			hotline.CallEvent{CallID: ref + "-a", Event: hotline.CallOffered, At: at, Caller: other, Callee: "12345", Queue: "12345"},
			hotline.CallEvent{CallID: ref + "-a", Event: hotline.CallEnded, At: at.Add(time.Duration(20+id%60) * time.Second)})
	}
	if id%25 == 7 { // hung up at the greeting
		at := offered.Add(-5 * time.Minute)
		events = append(events,
			hotline.CallEvent{CallID: ref + "-s", Event: hotline.CallOffered, At: at, Caller: fmt.Sprintf("1%010d", 3_900_000_000+id), Callee: "12345", Queue: "12345"},
			hotline.CallEvent{CallID: ref + "-s", Event: hotline.CallEnded, At: at.Add(2 * time.Second)})
	}
	// Received as they happened: the platform pushes each event at once.
	last := events[0].At
	for _, e := range events {
		if e.At.After(last) {
			last = e.At
		}
	}
	saved := s.c.db.Now
	s.c.db.Now = func() time.Time { return last }
	_, err := s.c.db.IngestCallEvents(ctx, "demo", events)
	s.c.db.Now = saved
	s.callRef = ref
	return err
}

// create saves the story's ticket as the agent, linked to the call it
// was taken on (as intake does after a screen pop).
func (s *story) create(ctx context.Context, agent hotline.Actor, submit bool) error {
	if err := s.c.db.CreateTicket(ctx, agent, s.t, submit); err != nil {
		return err
	}
	if s.callRef == "" {
		return nil
	}
	return s.c.db.LinkCall(ctx, agent, s.t.ID, s.callRef)
}
