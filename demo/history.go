package demo

import (
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// callAgents are the centre's call agents besides "agent", who takes the
// stories' calls: together the 话务 post of the operator's team.
var callAgents = [][2]string{
	{"agent02", "话务员周婷"}, {"agent03", "话务员吴昊"}, {"agent04", "话务员郑佳"}, {"agent05", "话务员黄敏"},
	{"agent06", "话务员钟磊"}, {"agent07", "话务员彭雪"}, {"agent08", "话务员邓慧"}, {"agent09", "话务员袁芳"},
	{"agent10", "话务员文杰"}, {"agent11", "话务员易琳"}, {"agent12", "话务员肖宇"}, {"agent13", "话务员谭静"},
	{"agent14", "话务员龙飞"},
}

// weekdayLoad is a day's calls against a working day's (weekends are
// quieter).
var weekdayLoad = map[time.Weekday]float64{time.Saturday: 0.72, time.Sunday: 0.66, time.Monday: 1.08}

func (c *city) callAgentUsers(ctx context.Context, password string) error {
	for _, a := range callAgents {
		u := &hotline.User{Username: a[0], Role: hotline.RoleCallAgent, DisplayName: a[1]}
		if err := c.db.CreateUser(ctx, sqldb.SystemActor, u, password); err != nil {
			return fmt.Errorf("demo user %s: %w", a[0], err)
		}
		c.actors[a[0]] = hotline.ActorOf(u)
	}
	return nil
}

// callHistory loads the centre's call traffic of the 90 days before now
// and of today until now (话务历史): about perDay calls a working day,
// fewer at weekends, simulated against the call agents on duty
// (wfm.SimulateDay, a queue with patience-driven abandons). These are the
// calls that ended in a direct answer, a consultation or a hang-up; the
// stories' tickets have their own calls. A call not over by now is left
// out, so that nothing rings for ever. Its randomness is its own: the
// stories stay as they were.
func (c *city) callHistory(ctx context.Context, now time.Time, perDay int, seed uint64) error {
	if perDay <= 0 {
		return nil
	}
	var names []string
	for _, a := range callAgents {
		names = append(names, a[0])
	}
	local := now.In(hotline.ChinaZone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	for back := 90; back >= 0; back-- {
		day := today.AddDate(0, 0, -back)
		rng := rand.New(rand.NewPCG(seed, 9000+uint64(back)))
		load, ok := weekdayLoad[day.Weekday()]
		if !ok {
			load = 1
		}
		n := int(float64(perDay) * load * (0.9 + 0.2*rng.Float64()))
		evs := wfm.SimulateDay(wfm.Day{Start: day, Calls: n, Agents: names, Rotate: back, Prefix: "px"}, rng)
		if back == 0 {
			evs = completeBy(evs, now)
		}
		for len(evs) > 0 {
			k := min(len(evs), 999)
			if _, err := c.db.IngestCallEvents(ctx, "demo", evs[:k]); err != nil {
				return fmt.Errorf("demo call history: %w", err)
			}
			evs = evs[k:]
		}
	}
	return nil
}

// completeBy keeps the calls whose every event happened by now.
func completeBy(evs []hotline.CallEvent, now time.Time) []hotline.CallEvent {
	late := map[string]bool{}
	for _, e := range evs {
		if e.At.After(now) {
			late[e.CallID] = true
		}
	}
	var out []hotline.CallEvent
	for _, e := range evs {
		if !late[e.CallID] {
			out = append(out, e)
		}
	}
	return out
}

// seatsNow sets the seats as the calls of the last hour leave them: an
// agent whose last call ended within the hour is ready since its
// after-call work ended (or still in it), one in four of them on a
// break; the others are off duty.
func (c *city) seatsNow(ctx context.Context, now time.Time) error {
	lead := c.actors["lead"]
	for i, a := range callAgents {
		agent := c.actors[a[0]]
		calls, _, err := c.db.FindCalls(ctx, lead, sqldb.CallFilter{From: now.Add(-time.Hour), To: now, AgentID: agent.UserID}, "", 1, 1)
		if err != nil {
			return err
		}
		if len(calls) == 0 || calls[0].EndedAt == nil {
			continue
		}
		free := calls[0].EndedAt.Add(wfm.WrapUp)
		status, since := hotline.SeatReady, free
		switch {
		case free.After(now):
			status, since = hotline.SeatAfterCall, *calls[0].EndedAt
		case i%4 == 3 && now.Sub(free) > 5*time.Minute:
			status, since = hotline.SeatBreak, free.Add(2*time.Minute)
		}
		c.db.Now = func() time.Time { return since }
		if err := c.db.SetSeat(ctx, agent, status); err != nil {
			return fmt.Errorf("demo seat %s: %w", a[0], err)
		}
	}
	return nil
}

// recordingWAV is the demo's recording: three seconds of a soft two-tone
// signal (8 kHz, 16-bit mono WAV); the demo has no voices.
//
//go:embed recording.wav
var recordingWAV []byte

// recordings uploads a recording for the stories' answered calls of the
// last week, so that an inspector can play one.
func (c *city) recordings(ctx context.Context, now time.Time) error {
	lead := c.actors["lead"]
	audio := recordingWAV
	for page := 1; ; page++ {
		calls, total, err := c.db.FindCalls(ctx, lead, sqldb.CallFilter{From: now.AddDate(0, 0, -7), To: now}, string(hotline.CallAnsweredOK), page, 200)
		if err != nil {
			return err
		}
		for _, call := range calls {
			if strings.HasPrefix(call.CallID, "demo-") {
				if err := c.db.StoreRecording(ctx, call.CallID, audio); err != nil {
					return fmt.Errorf("demo recording: %w", err)
				}
			}
		}
		if page*200 >= total {
			return nil
		}
	}
}
