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
		// Enough of them can also take the key posts for three shifts a
		// day round the clock (a team lead and a dispatcher on each).
		posts := []string{wfm.PostCall}
		switch {
		case i == 0 || i >= 2 && i <= 5:
			posts = append(posts, wfm.PostDispatcher)
		case i == 1 || i >= 6 && i <= 8:
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
	// The new hire has an account (trainee): intake refuses her until she
	// passes the onboarding exam at /exam/onboarding.
	trainee := &hotline.User{Username: "trainee", Role: hotline.RoleCallAgent, DisplayName: "新员工林小雨"}
	if err := c.db.CreateUser(ctx, sqldb.SystemActor, trainee, c.password); err != nil {
		return fmt.Errorf("demo user trainee: %w", err)
	}
	if _, err := c.db.Workforce().SaveMember(ctx, pm, wfm.Member{UserID: trainee.ID, Name: "林小雨", Phone: "13979100099", Posts: []string{wfm.PostCall},
		Status: wfm.MemberActive, HireDate: day(10), ConfidentialityDate: day(10), BackgroundCheckDate: day(14), Education: "本科"}); err != nil {
		return err
	}
	if _, err := c.db.Workforce().AddQuestions(ctx, pm, onboardingQuestions); err != nil {
		return err
	}
	if err := c.training(ctx, now); err != nil {
		return err
	}
	if err := c.reserve(ctx, now); err != nil {
		return err
	}
	return c.rosters(ctx, now)
}

// rosters generates last month's and this month's rosters as they were
// made on their first days and publishes them, and drafts next month's,
// all from the call forecast and the team; then the attendance against
// them.
func (c *city) rosters(ctx context.Context, now time.Time) error {
	pm, w := c.actors["manager"], c.db.Workforce()
	this := now.In(hotline.ChinaZone)
	defer func() { c.db.Now = func() time.Time { return now } }()
	for i := -1; i <= 1; i++ {
		first := time.Date(this.Year(), this.Month()+time.Month(i), 1, 0, 0, 0, 0, hotline.ChinaZone)
		at, month := first, first.Format("2006-01")
		if i == 1 {
			at = now
		}
		c.db.Now = func() time.Time { return at }
		if _, err := w.GenerateRoster(ctx, pm, month); err != nil {
			return fmt.Errorf("demo roster %s: %w", month, err)
		}
		if i < 1 {
			if _, err := w.PublishRoster(ctx, pm, month); err != nil {
				return err
			}
		}
	}
	c.db.Now = func() time.Time { return now }
	return c.attendance(ctx, now)
}

// reserve keeps a pool of six trained standby staff and replays one
// call-up: the surge of the 阳光花园 complaints, three asked, two at
// their posts within the two hours, one who confirmed but was not needed.
func (c *city) reserve(ctx context.Context, now time.Time) error {
	pm := c.actors["manager"]
	w := c.db.Workforce()
	day := func(back int) string { return now.In(hotline.ChinaZone).AddDate(0, 0, -back).Format("2006-01-02") }
	var pool []int64
	for i, n := range []string{"罗佳", "曾凡", "彭丽娟", "蒋涛", "谢敏", "韩雪"} {
		m, err := w.SaveMember(ctx, pm, wfm.Member{Name: n, Phone: fmt.Sprintf("1397920%04d", i), Posts: []string{wfm.PostCall}, Status: wfm.MemberActive,
			Reserve: true, HireDate: day(300 + 20*i), CertifiedDate: day(286 + 20*i), ConfidentialityDate: day(300 + 20*i), BackgroundCheckDate: day(307 + 20*i)})
		if err != nil {
			return err
		}
		pool = append(pool, m.ID)
	}
	surges, err := c.db.Stats().Warnings(ctx, c.actors["lead"], sqldb.WarningFilter{Kind: "surge"})
	if err != nil || len(surges) == 0 {
		return err
	}
	at := surges[0].CreatedAt.Add(10 * time.Minute)
	defer func() { c.db.Now = func() time.Time { return now } }()
	c.db.Now = func() time.Time { return at }
	cu, err := w.StartCallUp(ctx, pm, wfm.CallUp{Kind: wfm.CallUpSurge, Need: 2, Note: "阳光花园垃圾清运诉求激增，加开坐席", WarningID: surges[0].ID}, pool[:3])
	if err != nil {
		return err
	}
	for _, step := range []struct {
		after   time.Duration
		member  int64
		arrived bool
	}{{15 * time.Minute, pool[0], false}, {20 * time.Minute, pool[1], false}, {25 * time.Minute, pool[2], false},
		{80 * time.Minute, pool[0], true}, {110 * time.Minute, pool[1], true}} {
		t := at.Add(step.after)
		c.db.Now = func() time.Time { return t }
		if _, err := w.RecordCallUp(ctx, pm, cu.ID, step.member, step.arrived); err != nil {
			return err
		}
	}
	return nil
}

// training records three months of business training (the 15th or so
// of each month), a team-building outing, a work competition and the
// 中秋 care, each with the team that took part; the new hire's onboarding
// training this month.
func (c *city) training(ctx context.Context, now time.Time) error {
	pm := c.actors["manager"]
	members, err := c.db.Workforce().Members(ctx, pm)
	if err != nil {
		return err
	}
	var team, trainee []int64
	for _, m := range members {
		if m.Certified() {
			team = append(team, m.ID)
		} else {
			trainee = append(trainee, m.ID)
		}
	}
	this := now.In(hotline.ChinaZone)
	month := func(back, day int) string {
		d := time.Date(this.Year(), this.Month(), 1, 0, 0, 0, 0, hotline.ChinaZone).AddDate(0, -back, day-1)
		if d.After(this) {
			d = this
		}
		return d.Format("2006-01-02")
	}
	recs := []wfm.TrainingRecord{
		{Kind: wfm.TrainingMonthly, Title: "月度业务培训：社保医保政策更新", Date: month(3, 15), Hours: 2, Place: "中心培训室", Trainer: "何静", Participants: team},
		{Kind: wfm.TrainingMonthly, Title: "月度业务培训：国庆假期服务保障与应急流程", Date: month(2, 16), Hours: 2, Place: "中心培训室", Trainer: "陈刚", Participants: team},
		{Kind: wfm.TrainingMonthly, Title: "月度业务培训：冬季供暖、停水停电诉求答复口径", Date: month(1, 14), Hours: 2, Place: "中心培训室", Trainer: "何静", Participants: team},
		{Kind: wfm.TrainingConfidentiality, Title: "保密培训：诉求人信息保护", Date: month(1, 21), Hours: 1.5, Place: "中心培训室", Trainer: "赵敏", Participants: team},
		{Kind: wfm.ActivityCare, Title: "中秋节日关怀：发放月饼", Date: month(2, 24), Hours: 1, Place: "中心", Participants: team},
		{Kind: wfm.ActivityTeamBuilding, Title: "秋季团建：武功山徒步", Date: month(2, 25), Hours: 6, Place: "武功山", Participants: team[:len(team)*3/4]},
		{Kind: wfm.ActivityCompetition, Title: "服务技能劳动竞赛", Date: month(1, 27), Hours: 3, Place: "中心培训室", Participants: team},
	}
	if len(trainee) > 0 {
		recs = append(recs, wfm.TrainingRecord{Kind: wfm.TrainingOnboarding, Title: "上岗培训：热线专业知识、服务礼仪及规范", Date: month(0, 1), Hours: 16,
			Place: "中心培训室", Trainer: "陈刚", Participants: trainee})
	}
	for i, r := range recs {
		saved, err := c.db.Workforce().AddTrainingRecord(ctx, pm, r)
		if err != nil {
			return fmt.Errorf("demo training %s: %w", r.Title, err)
		}
		// The activities' photos, the assessment's evidence.
		photos := map[string]int{wfm.ActivityTeamBuilding: 2, wfm.ActivityCare: 1, wfm.ActivityCompetition: 1, wfm.TrainingMonthly: 1}[r.Kind]
		for p := 0; p < photos; p++ {
			if _, err := c.db.Workforce().AddTrainingPhoto(ctx, pm, saved.ID, fmt.Sprintf("活动照片%d.png", p+1), sitePhoto(int64(10*i+p))); err != nil {
				return fmt.Errorf("demo training photo: %w", err)
			}
		}
	}
	return nil
}

// onboardingQuestions are the demo's onboarding exam (上岗培训考试):
// hotline knowledge, service etiquette and confidentiality.
var onboardingQuestions = []wfm.Question{
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionSingle, Text: "12345政务服务便民热线的服务时间是？", Options: []string{"7×24小时", "工作日8:00-17:30", "每天8:00-22:00"}, Answer: "A"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionSingle, Text: "接听来电的标准开头语是？", Options: []string{"喂，什么事？", "您好，12345热线，工号××为您服务，请问有什么可以帮您？", "请讲。"}, Answer: "B"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionSingle, Text: "首接负责制要求受理话务员？", Options: []string{"只负责登记", "对工单跟踪到办结", "转给班长即可"}, Answer: "B"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionSingle, Text: "特急工单的办理时限通常按什么计算？", Options: []string{"工作日", "自然小时", "自然月"}, Answer: "B"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionSingle, Text: "来电人情绪激动、言语过激时，话务员应？", Options: []string{"挂断电话", "保持冷静，耐心倾听并安抚", "与其争辩"}, Answer: "B"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionMultiple, Text: "以下哪些属于诉求人的个人信息，须加密保存、脱敏显示？", Options: []string{"姓名", "联系电话", "诉求分类", "住址"}, Answer: "ABD"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionMultiple, Text: "受理登记时必须记录的内容有？", Options: []string{"诉求类型", "诉求内容", "诉求分类", "话务员的个人电话"}, Answer: "ABC"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionMultiple, Text: "哪些情况可以当场答复办结（直接答复）？", Options: []string{"政策咨询有知识库答复口径", "需要承办单位现场处置的投诉", "办事流程咨询"}, Answer: "AC"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionMultiple, Text: "服务用语规范要求？", Options: []string{"使用普通话", "不说“不知道”“不归我们管”", "可以随意打断来电人", "结束时礼貌道别"}, Answer: "ABD"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionTrue, Text: "可以把来电人的电话号码告诉被投诉的单位以外的人。", Answer: "错"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionTrue, Text: "诉求人要求保密时，承办单位看不到诉求人的信息。", Answer: "对"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionTrue, Text: "未通过上岗培训考试的话务员可以先受理工单，考试以后再补。", Answer: "错"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionTrue, Text: "回访不满意的工单可以重办。", Answer: "对"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionTrue, Text: "工作中接触到的工单内容可以截图发到个人朋友圈。", Answer: "错"},
	{Bank: wfm.BankOnboarding, Kind: wfm.QuestionSingle, Text: "发现火灾、重大灾害等紧急事项，话务员应？", Options: []string{"按一般工单处理", "立即报告班长并按紧急事项报告流程上报", "等下班后报告"}, Answer: "B"},
}
