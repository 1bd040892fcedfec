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
	// The weekly sampled inspection of calls (抽样质检), the last eight
	// weeks, 1% of each agent's answered calls (the demo's inspector is one
	// person; the rule's default is 5%), drawn as the schedule draws them.
	weekly := hotline.Actor{Name: "每周抽样", Role: hotline.RoleInspector}
	local := now.In(hotline.ChinaZone)
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	monday = monday.AddDate(0, 0, -(int(monday.Weekday())+6)%7)
	for w := 8; w >= 1; w-- {
		from := monday.AddDate(0, 0, -7*w)
		c.db.Now = func() time.Time { return from.AddDate(0, 0, 7).Add(9 * time.Hour) }
		if _, err := q.DrawSample(ctx, weekly, sqldb.SampleRequest{Target: quality.TargetCall, From: from, To: from.AddDate(0, 0, 7), Share: 0.01}); err != nil {
			return fmt.Errorf("demo sample: %w", err)
		}
	}
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
		if in.TicketID == 0 { // a sampled call, on the call card
			switch {
			case in.ID%6 == 1:
				cmd.Marks = []quality.Mark{{Key: "efficiency", Points: 5, Comment: "通话偏长，与诉求无关的交谈较多"}, {Key: "elements", Points: 8, Comment: "未复述诉求地点"}}
			case in.ID%5 == 2:
				cmd.Marks = []quality.Mark{{Key: "greeting", Points: 6, Comment: "结束语不规范"}}
			}
			if err := act(inspector, scored, in.ID, cmd); err != nil {
				return err
			}
			if at := scored.Add(3 * time.Hour); !at.After(now) {
				if err := act(c.actors[in.Agent], at, in.ID, sqldb.InspectionCommand{Action: quality.ActAcknowledge}); err != nil {
					return err
				}
			}
			continue
		}
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
		owner := agent // the ticket's accepting agent answers for it
		if a, ok := c.actors[in.Agent]; ok {
			owner = a
		}
		answered := scored.Add(time.Duration(1+in.ID%5) * time.Hour)
		if answered.After(now) {
			continue
		}
		if failed && in.ID%2 == 1 {
			if err := act(owner, answered, in.ID, sqldb.InspectionCommand{Action: quality.ActObject, Text: "来电人未能说清具体位置，已按其描述记录"}); err != nil {
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
		if err := act(owner, answered, in.ID, sqldb.InspectionCommand{Action: quality.ActAcknowledge}); err != nil {
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

// rectStep is one step of a demo rectification: who, which, how long
// after the finding, what was written.
type rectStep struct {
	who   hotline.Actor
	step  string
	after time.Duration
	text  string
	ok    *bool
	link  string
}

// rectifications works the loops the failed inspections opened, and two
// the centre raised: most answered and planned in time and closed within
// a week, one answered late, the newest still open.
func (c *city) rectifications(ctx context.Context, now time.Time) error {
	q := c.db.Quality()
	lead, inspector := c.actors["lead"], c.actors["inspector"]
	c.db.Now = func() time.Time { return now.Add(-50 * time.Hour) }
	if _, err := q.RaiseRectification(ctx, lead, quality.SourceCentre, "agent05", "夜间时段 15 秒接通率连续三天低于 80%"); err != nil {
		return err
	}
	c.db.Now = func() time.Time { return now.Add(-5 * time.Hour) }
	if _, err := q.RaiseRectification(ctx, lead, quality.SourceComplaint, "agent03", "市民投诉坐席答复时语气生硬（经复听录音核实）"); err != nil {
		return err
	}
	items, _, err := q.FindRectifications(ctx, lead, "", 1, 200)
	if err != nil {
		return err
	}
	yes, no := true, false
	for _, r := range items {
		late := r.ID%7 == 3
		steps := []rectStep{
			{lead, quality.StepCause, map[bool]time.Duration{true: 30 * time.Hour, false: time.Duration(3+r.ID%15) * time.Hour}[late], "对诉求要素和答复口径掌握不牢，受理时未逐项复述", nil, ""},
			{lead, quality.StepPlan, 40 * time.Hour, "班前会专题讲解；本人一周内受理的工单由班长逐单复核", nil, ""},
			{lead, quality.StepCarry, 72 * time.Hour, "已于班前会讲解，并完成一周逐单复核", nil, ""},
			{inspector, quality.StepVerify, 120 * time.Hour, "复查其后 10 张工单，要素齐全", &yes, ""},
			{lead, quality.StepImprove, 144 * time.Hour, "在知识库补充“投诉类诉求要素清单”，并纳入新员工培训", nil, "/kb"},
		}
		if r.ID%9 == 4 { // the first fix did not hold
			steps = append(steps[:3:3], append([]rectStep{{inspector, quality.StepVerify, 100 * time.Hour, "复查仍有 3 张缺少发生时间", &no, ""},
				{lead, quality.StepCarry, 110 * time.Hour, "一对一辅导，复述要素后再提交", nil, ""}}, steps[3:]...)...)
		}
		for _, st := range steps {
			at := r.CreatedAt.Add(st.after)
			if at.After(now) {
				break
			}
			c.db.Now = func() time.Time { return at }
			if _, err := q.TakeRectStep(ctx, st.who, r.ID, st.step, st.text, st.ok, st.link); err != nil {
				return fmt.Errorf("demo rectification %d %s: %w", r.ID, st.step, err)
			}
		}
	}
	return nil
}
