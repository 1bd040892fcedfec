package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hotline"
	"hotline/channel/sms"
	"hotline/sqldb"
)

// portal files three appeals through the citizen portal as citizens
// would (a code for each phone, the receipt texted and logged): one
// three days ago, checked, dispatched, answered and rated by its citizen
// online, then published as a typical appeal (信息公开); two this
// morning, waiting in 待提交 for the centre to check.
func (c *city) portal(ctx context.Context, now time.Time) error {
	if ps, err := c.db.FindSLAPolicies(ctx); err != nil || len(ps) == 0 {
		return err // a city without time limits (the knowledge-base tests' demo) takes no appeals
	}
	p := c.db.Portal()
	leaf := c.leaves[0]
	for _, l := range c.leaves {
		if strings.Contains(l.Path, "路灯") || strings.Contains(l.Path, "照明") {
			leaf = l
			break
		}
	}
	urban := c.unitByKey["dept-urban"]
	appeals := []struct {
		back  time.Duration
		a     sqldb.PortalAppeal
		close bool
	}{
		{72 * time.Hour, sqldb.PortalAppeal{Kind: hotline.Complaint, Title: "金典城小区东门路灯不亮", Content: "金典城小区东门外两盏路灯坏了一个多月，晚上老人小孩出行不安全，请尽快修复。",
			Place: "安源区金典城小区东门", Name: "李女士", Phone: "13907991001"}, true},
		{3 * time.Hour, sqldb.PortalAppeal{Kind: hotline.Report, Title: "公园路人行道井盖缺失", Content: "公园路与建设路交叉口往北约50米人行道上井盖缺失，已有行人绊倒，存在安全隐患。",
			Place: "安源区公园路", Name: "张先生", Phone: "13907991002"}, false},
		{time.Hour, sqldb.PortalAppeal{Kind: hotline.Suggest, Title: "建议在萍乡北站增设出租车候车标识", Content: "萍乡北站出站口出租车候车点没有明显标识，旅客找不到，建议增设指示牌。",
			Place: "萍乡北站", Phone: "13907991003", Anonymous: true}, false},
	}
	defer func() { c.db.Now = func() time.Time { return now } }()
	for _, ap := range appeals {
		at := now.Add(-ap.back)
		c.db.Now = func() time.Time { return at }
		code, err := p.IssueCode(ctx, ap.a.Phone, sqldb.CodeSubmit)
		if err != nil {
			return fmt.Errorf("demo portal code: %w", err)
		}
		if err := p.RecordSMS(ctx, ap.a.Phone, sms.KindCode, "demo", 0, nil); err != nil {
			return err
		}
		ap.a.Code, ap.a.CategoryID = code, leaf.ID
		t, err := p.SubmitAppeal(ctx, ap.a)
		if err != nil {
			return fmt.Errorf("demo portal appeal: %w", err)
		}
		if err := p.RecordSMS(ctx, ap.a.Phone, sms.KindReceipt, "demo", t.ID, nil); err != nil {
			return err
		}
		if !ap.close || urban == nil || len(c.unitActor[urban.ID]) == 0 {
			continue
		}
		unit, yes := c.unitActor[urban.ID][0], true
		for i, step := range []struct {
			who hotline.Actor
			cmd hotline.Command
		}{
			{c.actors["dispatcher"], hotline.Command{Action: hotline.ActionSubmit}},
			{c.actors["dispatcher"], hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: urban.ID}},
			{unit, hotline.Command{Action: hotline.ActionAcknowledge}},
			{unit, hotline.Command{Action: hotline.ActionReply, Content: "经现场核查，金典城小区东门外两盏路灯灯具老化损坏，已于当日更换新灯具，恢复照明。"}},
			{c.actors["dispatcher"], hotline.Command{Action: hotline.ActionReview, Approve: &yes, Comment: "答复属实，同意办结"}},
		} {
			step := step
			when := at.Add(time.Duration(i+1) * 3 * time.Hour)
			c.db.Now = func() time.Time { return when }
			if _, err := c.db.ApplyAction(ctx, step.who, t.ID, step.cmd); err != nil {
				return fmt.Errorf("demo portal %s: %w", step.cmd.Action, err)
			}
		}
		rated := at.Add(20 * time.Hour)
		c.db.Now = func() time.Time { return rated }
		if _, err := p.RateAsCitizen(ctx, t.ID, hotline.Satisfied, "网上"); err != nil {
			return err
		}
		// A typical appeal: the team lead publishes it (信息公开), redacted.
		d, err := c.db.ProposeDisclosure(ctx, c.actors["lead"], t.ID)
		if err != nil {
			return fmt.Errorf("demo disclosure: %w", err)
		}
		if _, err := c.db.DecideDisclosure(ctx, c.actors["lead"], d.ID, true); err != nil {
			return err
		}
	}
	return nil
}

// account keeps the official account up to date as the operator does:
// the menu, a policy explainer from the knowledge base and last month's
// bulletin published (registered) over the last weeks; this month's
// bulletin is a draft.
func (c *city) account(ctx context.Context, now time.Time) error {
	pm := c.actors["manager"]
	this := now.In(hotline.ChinaZone)
	last := time.Date(this.Year(), this.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone).AddDate(0, -1, 0)
	items := []struct {
		back    time.Duration
		content sqldb.AccountContent
		publish bool
	}{
		{40 * 24 * time.Hour, sqldb.AccountContent{Kind: sqldb.ContentMenu, Title: "公众号菜单",
			Body: `[{"type":"click","name":"我要反映","key":"appeal"},{"type":"click","name":"进度查询","key":"query"},{"type":"click","name":"常见问题","key":"faq"}]`}, true},
		{6 * 24 * time.Hour, sqldb.AccountContent{Kind: sqldb.ContentBulletin, Title: fmt.Sprintf("萍乡12345热线%d年%d月工作简报", last.Year(), last.Month()),
			Body: "上月热线共受理群众诉求，按时办结率、群众满意率保持稳定；供水、物业、噪音类诉求居前。"}, true},
		{2 * 24 * time.Hour, sqldb.AccountContent{Kind: sqldb.ContentBulletin, Title: fmt.Sprintf("萍乡12345热线%d年%d月工作简报", this.Year(), this.Month()),
			Body: "本月简报（草稿）。"}, false},
	}
	if len(c.articles) > 0 {
		items = append(items, struct {
			back    time.Duration
			content sqldb.AccountContent
			publish bool
		}{3 * 24 * time.Hour, sqldb.AccountContent{Kind: sqldb.ContentArticle, ArticleID: c.articles[0]}, true})
	}
	defer func() { c.db.Now = func() time.Time { return now } }()
	for _, it := range items {
		at := now.Add(-it.back)
		c.db.Now = func() time.Time { return at }
		saved, err := c.db.SaveAccountContent(ctx, pm, it.content)
		if err != nil {
			return fmt.Errorf("demo account content: %w", err)
		}
		if it.publish {
			if _, err := c.db.PublishAccountContent(ctx, pm, saved.ID, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
