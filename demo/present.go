package demo

import (
	"context"
	"fmt"
	"time"

	"hotline"
	"hotline/sqldb"
)

// present leaves the new workflow's queues with work in them at the end
// of the demo's history, as a centre finds them on any morning: return
// requests waiting for the dispatcher's review (退单待审核), tickets a
// district has forwarded to a township (上级转办), and a township's reply
// waiting for its district (待审核下级答复). The times are of the last
// hours, after every story's own.
func (c *city) present(ctx context.Context, now time.Time) error {
	saved := c.db.Now
	defer func() { c.db.Now = saved }()
	// at sets the clock to ago before now, but never before the ticket's
	// last change (a story may end minutes ago): then halfway from it.
	at := func(t *hotline.Ticket, ago time.Duration) {
		when := now.Add(-ago)
		if !when.After(t.UpdatedAt) {
			when = t.UpdatedAt.Add(now.Sub(t.UpdatedAt) / 2)
		}
		t.UpdatedAt = when
		c.db.Now = func() time.Time { return when }
	}
	lead := c.actors["lead"]
	waiting, _, err := c.db.FindTickets(ctx, lead, sqldb.TicketFilter{Status: []hotline.Status{hotline.StatusDispatched}, Sort: "oldest", PageSize: 200})
	if err != nil {
		return err
	}
	asked := 0
	for _, t := range waiting {
		staff := c.unitActor[t.LeadUnitID]
		if asked == 2 || t.Designated || t.PendingRequest != "" || len(staff) == 0 || t.ReturnDueAt == nil || !t.ReturnDueAt.After(now) {
			continue
		}
		cmd := hotline.Command{Action: hotline.ActionReturn, Reason: "该事项不在本单位职责范围内，请中心核实后改派"}
		if asked == 0 {
			if other := c.unitByKey["dept-urban"].ID; other != t.LeadUnitID {
				cmd.SuggestedUnitID, cmd.Reason = other, "占道、市容类事项属城市管理职责，不属于本单位"
			}
		}
		at(t, time.Duration(40-asked*25)*time.Minute)
		if _, err := c.db.ApplyAction(ctx, staff[0], t.ID, cmd); err != nil {
			return fmt.Errorf("demo return request: %w", err)
		}
		asked++
	}
	// Appeals about a place wait for dispatch: the dispatcher sends three
	// to the place's district (属地), which forwards them to the township.
	pending, _, err := c.db.FindTickets(ctx, lead, sqldb.TicketFilter{Status: []hotline.Status{hotline.StatusPendingDispatch}, Sort: "oldest", PageSize: 200})
	if err != nil {
		return err
	}
	districtOf := map[int64]int64{}
	for d, towns := range c.towns {
		districtOf[d] = d
		for _, t := range towns {
			districtOf[t.ID] = d
		}
	}
	type step struct {
		who hotline.Actor
		cmd hotline.Command
		ago time.Duration
	}
	forwarded := 0
	for _, t := range pending {
		d := districtOf[t.Location.UnitID]
		towns := c.towns[d]
		if forwarded == 3 || len(towns) == 0 || t.ReturnCount >= 3 || len(c.unitActor[d]) == 0 {
			continue
		}
		town := towns[int(t.ID)%len(towns)]
		for _, tw := range towns {
			if tw.ID == t.Location.UnitID {
				town = tw
			}
		}
		district, desk := c.unitActor[d][0], c.unitActor[town.ID][0]
		steps := []step{
			{c.actors["dispatcher"], hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: d, Note: "属地事项，请区县办理"}, 8 * time.Hour},
			{district, hotline.Command{Action: hotline.ActionAcknowledge}, 6 * time.Hour},
			{district, hotline.Command{Action: hotline.ActionForward, UnitID: town.ID, Note: "请" + town.Name + "现场核查处理"}, 5 * time.Hour},
		}
		if forwarded > 0 {
			steps = append(steps, step{desk, hotline.Command{Action: hotline.ActionAcknowledge}, 4 * time.Hour})
		}
		if forwarded == 2 {
			steps = append(steps, step{desk, hotline.Command{Action: hotline.ActionReply, Content: town.Name + "已组织人员到现场核查，问题已处理，已电话告知诉求人。"}, time.Hour})
		}
		for _, st := range steps {
			at(t, st.ago)
			if _, err := c.db.ApplyAction(ctx, st.who, t.ID, st.cmd); err != nil {
				return fmt.Errorf("demo sub-dispatch: %w", err)
			}
		}
		forwarded++
	}
	if err := c.callBack(ctx, now); err != nil {
		return err
	}
	if err := c.recordings(ctx, now); err != nil {
		return err
	}
	if err := c.inspections(ctx, now); err != nil {
		return err
	}
	if err := c.liveMonitoring(ctx, now); err != nil {
		return err
	}
	if err := c.rectifications(ctx, now); err != nil {
		return err
	}
	if err := c.reports(ctx, now); err != nil {
		return err
	}
	if err := c.warnings(ctx, now); err != nil {
		return err
	}
	// The agent on duty is ready for the next call (坐席状态), the others
	// as their calls leave them — set before the staff records, so the
	// attendance ledger is the roster's replay alone (the generated call
	// history does not follow the roster).
	c.db.Now = func() time.Time { return now.Add(-20 * time.Minute) }
	if err := c.db.SetSeat(ctx, c.actors["agent"], hotline.SeatReady); err != nil {
		return err
	}
	if err := c.seatsNow(ctx, now); err != nil {
		return err
	}
	c.db.Now = func() time.Time { return now }
	if err := c.portal(ctx, now); err != nil {
		return err
	}
	if err := c.account(ctx, now); err != nil {
		return err
	}
	return c.workforce(ctx, now)
}

// callBack has the agent call back the demo's missed calls as a centre
// does, most within the rule's 30 minutes, some later; those of the last
// two hours still wait.
func (c *city) callBack(ctx context.Context, now time.Time) error {
	agent := c.actors["agent"]
	for {
		missed, _, err := c.db.FindMissedCalls(ctx, agent, 1, 200)
		if err != nil {
			return err
		}
		done := 0
		for _, m := range missed {
			if m.EndedAt == nil || m.EndedAt.After(now.Add(-2*time.Hour)) {
				continue
			}
			when := m.EndedAt.Add(time.Duration(4+m.ID*7%34) * time.Minute)
			c.db.Now = func() time.Time { return when }
			if err := c.db.RecordCallback(ctx, agent, m.ID, hotline.CallbackReached, "已回拨，来电人表示稍后再打或问题已解决"); err != nil {
				return fmt.Errorf("demo callback: %w", err)
			}
			done++
		}
		if done == 0 {
			return nil
		}
	}
}
