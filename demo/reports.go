package demo

import (
	"context"
	"fmt"
	"time"

	"hotline/report"
)

// reports has the analyst write the monthly reports of the months the
// history covers: each one before last submitted to the centre a few
// working days into the next month (one of them a day late), the last
// one a draft still being written.
func (c *city) reports(ctx context.Context, now time.Time) error {
	analyst := c.actors["analyst"]
	cal, err := c.db.Calendar(ctx)
	if err != nil {
		return err
	}
	last, _ := report.Containing(report.PeriodMonth, now)
	for back := 3; back >= 1; back-- {
		p := last
		for i := 0; i < back; i++ {
			p = p.Previous()
		}
		due := report.DueAt(p, cal, report.DefaultDueWorkdays)
		written := cal.AddWorkingDays(p.To.Add(-time.Hour), 2).Add(-3 * time.Hour)
		submitted := due.Add(-26 * time.Hour)
		if back == 2 { // a day late
			submitted = due.Add(20 * time.Hour)
		}
		text := fmt.Sprintf("一、%s受理量总体平稳，咨询和投诉类诉求占六成以上，电话仍是主要渠道。\n"+
			"二、市场监管、消防通道和疫苗接种类诉求居前，建议相关部门加强政策解读和事前告知。\n"+
			"三、个别单位按期办结率偏低、超期件集中，建议中心加强督办，对连续超期的单位约谈。\n"+
			"四、不满意工单均已全量质检，建议对共性问题开展专题培训。", p.Label())
		if written.After(now) {
			written = now.Add(-time.Hour)
		}
		c.db.Now = func() time.Time { return written }
		if _, err := c.db.Stats().SaveReport(ctx, analyst, p, text); err != nil {
			return fmt.Errorf("demo report %s: %w", p.Key(), err)
		}
		if back == 1 && submitted.After(now) {
			continue // this month's draft: due in a few days
		}
		c.db.Now = func() time.Time { return submitted }
		if _, err := c.db.Stats().SubmitReport(ctx, analyst, p); err != nil {
			return fmt.Errorf("demo report %s: %w", p.Key(), err)
		}
	}
	return nil
}
