package demo

import (
	"context"
	"fmt"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// workforce has the team lead mark a known event in the forecast: a
// policy announcement ten days ahead, expected to bring 30% more calls.
func (c *city) workforce(ctx context.Context, now time.Time) error {
	if err := c.staff(ctx, now); err != nil {
		return err
	}
	day := now.In(hotline.ChinaZone).AddDate(0, 0, 10).Format("2006-01-02")
	_, err := c.db.Workforce().AddAdjustment(ctx, c.actors["lead"], sqldb.ForecastAdjustment{From: day, To: day, Factor: 1.3,
		Note: "社保缴费基数调整政策发布，预计咨询增加三成"})
	return err
}

// staff records the operator's team (人员档案): the 14 call agents, the
// dispatcher, team lead, inspector and callback agent with their
// accounts, a specialist and a new hire still in onboarding training
// (not certified: the gate keeps her off intake), one agent leaving; the
// project manager, the analyst and the operations supervisor as the
// three managers.
func (c *city) staff(ctx context.Context, now time.Time) error {
	pm := c.actors["manager"]
	type rec struct {
		user, name string
		posts      []string
		hired      int // days before now
		manager    bool
	}
	recs := []rec{
		{"agent", "王晓雯", []string{wfm.PostCall}, 700, false}, {"dispatcher", "李明", []string{wfm.PostDispatcher, wfm.PostCall}, 900, false},
		{"lead", "陈刚", []string{wfm.PostTeamLead, wfm.PostCall}, 1200, false}, {"inspector", "张丽", []string{wfm.PostInspector}, 800, false},
		{"callback", "刘洋", []string{wfm.PostCallback}, 500, false}, {"manager", "赵敏", []string{wfm.PostTeamLead}, 1500, true},
		{"analyst", "孙磊", []string{wfm.PostInspector}, 1000, true}, {"", "周建华", []string{wfm.PostTeamLead}, 1400, true},
		{"", "何静", []string{wfm.PostSpecialist, wfm.PostCall}, 600, false},
	}
	for i, a := range callAgents {
		posts := []string{wfm.PostCall}
		switch i {
		case 0:
			posts = append(posts, wfm.PostDispatcher)
		case 1:
			posts = append(posts, wfm.PostTeamLead)
		}
		recs = append(recs, rec{a[0], a[1][len("话务员"):], posts, 90 + 37*i, false})
	}
	day := func(back int) string { return now.In(hotline.ChinaZone).AddDate(0, 0, -back).Format("2006-01-02") }
	for i, r := range recs {
		m := wfm.Member{Name: r.name, Phone: fmt.Sprintf("139%08d", 7910000+i), IDNumber: fmt.Sprintf("3603021990%02d%02d%04d", 1+i%12, 1+i%28, 1000+i),
			Posts: r.posts, Manager: r.manager, Status: wfm.MemberActive, HireDate: day(r.hired), CertifiedDate: day(r.hired - 14),
			ConfidentialityDate: day(r.hired), BackgroundCheckDate: day(r.hired + 7), Education: []string{"大专", "本科"}[i%2]}
		if r.user != "" {
			m.UserID = c.actors[r.user].UserID
		}
		if r.user == "agent14" {
			m.Status, m.NoticeDate, m.LeaveDate = wfm.MemberLeaving, day(5), day(-25)
		}
		if r.name == "何静" {
			m.Skills = "社保医保政策、不动产登记"
		}
		if _, err := c.db.Workforce().SaveMember(ctx, pm, m); err != nil {
			return fmt.Errorf("demo staff %s: %w", r.name, err)
		}
	}
	_, err := c.db.Workforce().SaveMember(ctx, pm, wfm.Member{Name: "林小雨", Phone: "13979100099", Posts: []string{wfm.PostCall}, Status: wfm.MemberActive,
		HireDate: day(10), ConfidentialityDate: day(10), BackgroundCheckDate: day(14), Education: "本科"})
	return err
}
