package demo

import (
	"context"
	"fmt"
	"time"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
)

// inspections works through the full inspections the stories opened (the
// complaints, the unsatisfied callbacks, the reopenings) as the centre
// does: the inspector scores each within a day or two — most pass, some
// lose points on the appeal's elements or the answer, a rare one has a
// fatal item —, the agent acknowledges, or objects to a failed one and
// the analyst decides; those of the last day still wait. Decisions follow
// the task's id, not the stories' random draws.
func (c *city) inspections(ctx context.Context, now time.Time) error {
	q := c.db.Quality()
	lead, inspector, agent, analyst := c.actors["lead"], c.actors["inspector"], c.actors["agent"], c.actors["analyst"]
	var todo []*quality.Inspection
	for page := 1; ; page++ {
		items, total, err := q.FindInspections(ctx, lead, sqldb.InspectionFilter{Status: quality.StatusPending, Page: page, Size: 200})
		if err != nil {
			return err
		}
		todo = append(todo, items...)
		if page*200 >= total {
			break
		}
	}
	act := func(who hotline.Actor, at time.Time, id int64, cmd sqldb.InspectionCommand) error {
		c.db.Now = func() time.Time { return at }
		if _, err := q.ActOnInspection(ctx, who, id, cmd); err != nil {
			return fmt.Errorf("demo inspection %d %s: %w", id, cmd.Action, err)
		}
		return nil
	}
	for _, in := range todo {
		scored := in.CreatedAt.Add(time.Duration(2+in.ID*7%30) * time.Hour)
		if scored.After(now.Add(-24 * time.Hour)) {
			continue // still waiting
		}
		cmd := sqldb.InspectionCommand{Action: quality.ActScore}
		switch {
		case in.ID%17 == 5:
			cmd.Marks = []quality.Mark{{Key: "privacy", Failed: true, Comment: "工单内容写入了来电人手机号"}}
			cmd.TypicalCase = quality.TypicalBad
		case in.ID%4 == 1:
			cmd.Marks = []quality.Mark{{Key: "content", Points: 10, Comment: "未记录问题发生的时间和具体位置"}, {Key: "location", Points: 8, Comment: "地点只写到街道"}}
		case in.ID%3 == 0:
			cmd.Marks = []quality.Mark{{Key: "kb", Points: 5, Comment: "知识库有现成答复口径，未直接答复"}}
		case in.ID%13 == 2:
			cmd.TypicalCase, cmd.Comment = quality.TypicalGood, "要素完整、表述清楚，可作为培训范例"
		}
		if err := act(inspector, scored, in.ID, cmd); err != nil {
			return err
		}
		failed := in.ID%17 == 5 || in.ID%4 == 1
		answered := scored.Add(time.Duration(1+in.ID%5) * time.Hour)
		if answered.After(now) {
			continue
		}
		if failed && in.ID%2 == 1 {
			if err := act(agent, answered, in.ID, sqldb.InspectionCommand{Action: quality.ActObject, Text: "来电人未能说清具体位置，已按其描述记录"}); err != nil {
				return err
			}
			decided := answered.Add(20 * time.Hour)
			if decided.After(now) {
				continue
			}
			uphold := in.ID%3 == 0
			cmd := sqldb.InspectionCommand{Action: quality.ActDecide, Uphold: &uphold, Text: "经复听录音，维持原评分"}
			if uphold {
				cmd.Text, cmd.Marks = "复听录音属实，来电人无法提供更多信息，撤销地点扣分", []quality.Mark{{Key: "content", Points: 10}}
			}
			if err := act(analyst, decided, in.ID, cmd); err != nil {
				return err
			}
			continue
		}
		if err := act(agent, answered, in.ID, sqldb.InspectionCommand{Action: quality.ActAcknowledge}); err != nil {
			return err
		}
	}
	return nil
}

// liveMonitoring has the inspector listen in on seats every day of the
// last two months (实时监控), usually five or six, some days fewer, with
// what was found; today so far two.
func (c *city) liveMonitoring(ctx context.Context, now time.Time) error {
	q := c.db.Quality()
	inspector := c.actors["inspector"]
	findings := []string{"开头语、结束语规范，要素记录完整", "语速偏快，提醒放慢并复述诉求", "政策答复与知识库一致",
		"来电人情绪激动，坐席安抚得当", "未主动告知办理时限，已当场提醒"}
	local := now.In(hotline.ChinaZone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	for back := 60; back >= 0; back-- {
		day := today.AddDate(0, 0, -back)
		n := 5 + back%3/2 - map[bool]int{true: 2, false: 0}[back%11 == 4]
		if back == 0 {
			n = 2
		}
		for k := 0; k < n; k++ {
			start := day.Add(9*time.Hour + time.Duration(k)*47*time.Minute)
			end := start.Add(time.Duration(10+(back+k)%9) * time.Minute)
			if end.After(now) {
				break
			}
			agent := c.actors[callAgents[(back+k*3)%len(callAgents)][0]]
			c.db.Now = func() time.Time { return start }
			m, err := q.StartMonitoring(ctx, inspector, agent.UserID)
			if err != nil {
				return fmt.Errorf("demo monitoring: %w", err)
			}
			c.db.Now = func() time.Time { return end }
			if _, err := q.EndMonitoring(ctx, inspector, m.ID, findings[(back+k)%len(findings)]); err != nil {
				return fmt.Errorf("demo monitoring: %w", err)
			}
		}
	}
	return nil
}
