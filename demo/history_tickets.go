package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"hotline"
	"hotline/sqldb"
)

// hourWeight is the share of a day's appeals in each hour (China time),
// the shape of the call profile: quiet at night, peaks at 10 and 15.
var hourWeight = []float64{0.4, 0.2, 0.1, 0.1, 0.1, 0.3, 0.8, 2.5, 5.5, 8.5, 9.5, 8.5, 6, 6.5, 8, 8.5, 7.5, 6, 4.5, 4, 3.5, 2.5, 1.5, 0.8}

// hotspotPlan is a run of appeals about one problem in one place — what
// the hotspot clustering and the early warnings must find in the demo.
type hotspotPlan struct {
	daysAgo, days, count int
	leaf, estate, title  string
	town                 string // unit code of the place
}

var hotspotPlans = []hotspotPlan{
	{daysAgo: 40, days: 6, count: 36, leaf: "停水", estate: "金典城", title: "金典城小区停水", town: "anyuan-fenghuang"},
	{daysAgo: 20, days: 9, count: 28, leaf: "施工噪音", estate: "滨河小区", title: "滨河小区夜间施工噪音扰民", town: "xiangdong-xiashan"},
	{daysAgo: 5, days: 5, count: 30, leaf: "垃圾清运", estate: "阳光花园", title: "阳光花园垃圾长期未清运", town: "anyuan-dongda"},
}

// ticketHistory writes perDay appeals a working day (fewer at weekends)
// over the 90 days before the stories' last three, each with a whole
// life through the lifecycle (sqldb.ReplayHistory): dispatch by the
// catalogue, acknowledgement, now and then a return, an extension or a
// supervision, the reply, the review, the callback and its rating, a
// reopening after 不满意 — and the hotspots of hotspotPlans. Its
// randomness is its own: the stories stay as they were.
func (c *city) ticketHistory(ctx context.Context, now time.Time, perDay int, seed uint64) error {
	if perDay <= 0 {
		return nil
	}
	h := &historyMaker{c: c, now: now, suggest: map[[2]int64]*hotline.CatalogueEntry{}}
	for _, a := range callAgents {
		h.agents = append(h.agents, c.actors[a[0]])
	}
	h.agents = append(h.agents, c.actors["agent"])
	local := now.In(hotline.ChinaZone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	// The leaves' popularity: a few categories carry most appeals.
	weights := make([]float64, len(c.leaves))
	perm := rand.New(rand.NewPCG(seed, 77)).Perm(len(c.leaves))
	for i, p := range perm {
		weights[p] = 1 / math.Pow(float64(i+1), 0.8)
	}
	for back := 90; back >= 1; back-- {
		day := today.AddDate(0, 0, -back)
		h.rng = rand.New(rand.NewPCG(seed, 5000+uint64(back)))
		load, ok := weekdayLoad[day.Weekday()]
		if !ok {
			load = 1
		}
		n := int(float64(perDay) * load * (0.9 + 0.2*h.rng.Float64()))
		var batch []sqldb.HistoryTicket
		for i := 0; i < n; i++ {
			at := day.Add(h.hourOfDay())
			leaf := c.leaves[pickWeighted(h.rng, weights)]
			batch = append(batch, h.ticket(ctx, at, leaf, nil))
		}
		for _, p := range hotspotPlans {
			if back <= p.daysAgo && back > p.daysAgo-p.days {
				for i := 0; i < p.count/p.days; i++ {
					batch = append(batch, h.ticket(ctx, day.Add(h.hourOfDay()), h.leafNamed(p.leaf), &p))
				}
			}
		}
		if h.err != nil {
			return h.err
		}
		refused, err := c.db.ReplayHistory(ctx, batch)
		if err != nil {
			return fmt.Errorf("demo ticket history %s: %w", day.Format("2006-01-02"), err)
		}
		if len(refused) > 0 {
			return fmt.Errorf("demo ticket history %s: %d steps refused, the first: %w", day.Format("2006-01-02"), len(refused), refused[0])
		}
	}
	return nil
}

type historyMaker struct {
	c       *city
	rng     *rand.Rand
	now     time.Time
	agents  []hotline.Actor
	suggest map[[2]int64]*hotline.CatalogueEntry
	err     error
	made    int // appeals made so far, for choices without a random draw
}

func (h *historyMaker) hourOfDay() time.Duration {
	return time.Duration(pickWeighted(h.rng, hourWeight))*time.Hour + time.Duration(h.rng.IntN(3600))*time.Second
}

func (h *historyMaker) leafNamed(name string) *hotline.Category {
	for _, l := range h.c.leaves {
		if l.Name == name {
			return l
		}
	}
	return h.c.leaves[0]
}

func pickWeighted(rng *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	r := rng.Float64() * sum
	for i, x := range w {
		if r -= x; r < 0 {
			return i
		}
	}
	return len(w) - 1
}

// ticket is one appeal accepted at at and the life it had since.
func (h *historyMaker) ticket(ctx context.Context, at time.Time, leaf *hotline.Category, spot *hotspotPlan) sqldb.HistoryTicket {
	c, rng := h.c, h.rng
	district := c.districts[rng.IntN(len(c.districts))]
	place := district
	if ts := c.towns[district.ID]; len(ts) > 0 && rng.IntN(3) > 0 {
		place = ts[rng.IntN(len(ts))]
	}
	kinds := []hotline.AppealKind{hotline.Consult, hotline.Consult, hotline.Consult, hotline.Help, hotline.Complaint,
		hotline.Complaint, hotline.Complaint, hotline.Report, hotline.Suggest}
	kind := kinds[rng.IntN(len(kinds))]
	if leaf.Name == "表扬工作人员" {
		kind = hotline.Praise
	}
	urgency := hotline.Normal
	if r := rng.IntN(40); r == 0 {
		urgency = hotline.Emergency
	} else if r < 4 {
		urgency = hotline.Urgent
	}
	channel := []hotline.Channel{hotline.ChannelPhone, hotline.ChannelPhone, hotline.ChannelPhone, hotline.ChannelPhone, hotline.ChannelPhone,
		hotline.ChannelPhone, hotline.ChannelPhone, hotline.ChannelWeb, hotline.ChannelWechat, hotline.ChannelGovPlatform}[rng.IntN(10)]
	addr := district.Name + place.Name + streets[rng.IntN(len(streets))] + fmt.Sprintf("%d号", 1+rng.IntN(300))
	// Everyday appeals differ in what, where and how they are told: a
	// subject (an estate, a shop, a school …), when it happens, a detail.
	// The subject is named (福临小区, 华联超市 …), as callers name it, and a
	// detail with its own numbers follows: two appeals of one category in
	// one township are about different things, as in a real city.
	subject := names[rng.IntN(len(names))] + subjects[rng.IntN(len(subjects))]
	street := streets[rng.IntN(len(streets))]
	title := []string{street + subject + leaf.Name, street + leaf.Name + "问题", "反映" + street + subject + leaf.Name, "关于" + street + leaf.Name + "的诉求"}[rng.IntN(4)]
	content := fmt.Sprintf("来电人反映：%s%s%s，%s%s。%s%s", addr, []string{"附近", "一带", "旁边", ""}[rng.IntN(4)], subject+leaf.Name,
		whens[rng.IntN(len(whens))], complaints[rng.IntN(len(complaints))],
		fmt.Sprintf(details[rng.IntN(len(details))], 2+rng.IntN(30)), asks[rng.IntN(len(asks))])
	if spot != nil {
		place = c.unitByKey[spot.town]
		district = c.unitByKey[units[unitIndex(spot.town)].parent]
		addr = district.Name + place.Name + spot.estate + fmt.Sprintf("%d栋", 1+rng.IntN(20))
		kind, title = hotline.Complaint, spot.title
		content = fmt.Sprintf("来电人反映：%s%s，%s。%s", addr, spot.title[len(spot.estate):], complaints[rng.IntN(len(complaints))], asks[rng.IntN(len(asks))])
	}
	name := string(surnames[rng.IntN(len(surnames))]) + []string{"先生", "女士", "某某", "伟", "芳", "军", "丽"}[rng.IntN(7)]
	t := &hotline.Ticket{Channel: channel, AppealKind: kind, CategoryID: leaf.ID, Urgency: urgency, Title: title, Content: content,
		Requester: hotline.Requester{Name: name, Phone: fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000)), Address: addr},
		Location:  hotline.Location{Address: addr, UnitID: place.ID}}
	agent := h.agents[rng.IntN(len(h.agents))]
	out := sqldb.HistoryTicket{Ticket: t, Actor: agent, At: at}
	clock := at
	step := func(after time.Duration, who hotline.Actor, cmd hotline.Command) {
		clock = clock.Add(after)
		out.Steps = append(out.Steps, sqldb.HistoryStep{At: clock, Actor: who, Command: cmd})
	}
	var catalogue int64
	dispatch := func(after time.Duration, unit int64, co []int64) {
		step(after, h.c.actors["dispatcher"], hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: unit, CoUnitIDs: co})
		out.Steps[len(out.Steps)-1].Dispatch = &sqldb.DispatchRecord{CatalogueUnitID: catalogue}
	}
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Minute }
	// The agent answers from the knowledge base: every direct answer and
	// one appeal in six otherwise (by number: the draws stay as they were).
	if len(c.articles) > 0 && (kind == hotline.Consult || h.made%6 == 0) {
		out.Articles = []int64{c.articles[(h.made*7+int(leaf.ID))%len(c.articles)]}
	}
	h.made++
	if kind == hotline.Consult && rng.IntN(3) > 0 {
		step(minutes(2, 8), agent, hotline.Command{Action: hotline.ActionResolveOnCall, Content: "已依据知识库答复：" + leaf.Name + "相关政策及办理流程，来电人表示清楚。"})
		return out
	}
	out.Submit = true
	dispatcher, lead, cb := c.actors["dispatcher"], c.actors["lead"], c.actors["callback"]
	key := [2]int64{leaf.ID, place.ID}
	e := h.suggest[key]
	if e == nil {
		var err error
		if e, err = c.db.SuggestDispatch(ctx, leaf.ID, place.ID); err != nil {
			h.err = err
			return out
		}
		h.suggest[key] = e
	}
	desk, catalogue := c.unitActor[e.LeadUnitID][0], e.LeadUnitID
	if rng.IntN(14) == 0 { // a mis-dispatch, returned and approved
		wrong := c.unitByKey["dept-urban"].ID
		if wrong == e.LeadUnitID {
			wrong = c.unitByKey["dept-housing"].ID
		}
		dispatch(minutes(10, 90), wrong, nil)
		step(minutes(60, 600), c.unitActor[wrong][0], hotline.Command{Action: hotline.ActionReturn, SuggestedUnitID: e.LeadUnitID,
			Reason: "该事项不属于本单位职责，建议派" + leaf.Name + "主管部门"})
		step(minutes(20, 180), dispatcher, hotline.Command{Action: hotline.ActionReviewReturn, Approve: ptr(true)})
	}
	dispatch(minutes(10, 120), e.LeadUnitID, e.CoUnitIDs)
	ack := minutes(15, 300)
	if rng.IntN(20) == 0 {
		ack = minutes(1500, 2500) // late: past the working day
	}
	if urgency != hotline.Normal {
		ack = minutes(5, 25)
	}
	step(ack, desk, hotline.Command{Action: hotline.ActionAcknowledge})
	if rng.IntN(15) == 0 {
		step(minutes(600, 3000), desk, hotline.Command{Action: hotline.ActionRequestExtension, Reason: "需协调多部门现场核查", WorkingDays: 5})
		step(minutes(30, 300), dispatcher, hotline.Command{Action: hotline.ActionApproveExtension, Comment: "同意延期"})
	}
	if rng.IntN(10) == 0 {
		step(minutes(600, 2400), lead, hotline.Command{Action: hotline.ActionUrge, Content: "请加快办理进度并及时答复诉求人"})
	}
	reply := minutes(300, 5*1440)
	if rng.IntN(16) == 0 {
		reply = minutes(14*1440, 22*1440) // past the reply limit: overdue
	}
	step(reply, desk, hotline.Command{Action: hotline.ActionReply, Content: "经核查，" + replies[rng.IntN(len(replies))]})
	if rng.IntN(20) == 0 {
		step(minutes(60, 600), dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: ptr(false), Comment: "答复未说明处理结果，请补充"})
		step(minutes(300, 2000), desk, hotline.Command{Action: hotline.ActionReply, Content: "补充答复：" + replies[rng.IntN(len(replies))]})
	}
	step(minutes(30, 480), dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: ptr(true), Comment: "答复规范，同意办结"})
	rating := []hotline.Rating{hotline.Satisfied, hotline.Satisfied, hotline.Satisfied, hotline.Satisfied, hotline.Satisfied,
		hotline.Satisfied, hotline.BasicallySatisfied, hotline.BasicallySatisfied, hotline.Unsatisfied, hotline.Unsatisfied}[rng.IntN(10)]
	if spot != nil && rng.IntN(3) == 0 {
		rating = hotline.Unsatisfied
	}
	solved := rating != hotline.Unsatisfied || rng.IntN(3) == 0
	step(minutes(120, 1800), cb, hotline.Command{Action: hotline.ActionCallback, Reached: ptr(true), Rating: rating, Resolved: ptr(solved), Note: "电话回访"})
	if rating == hotline.Unsatisfied && !solved {
		step(minutes(30, 300), cb, hotline.Command{Action: hotline.ActionReopen, Reason: "回访不满意：问题仍未解决"})
		step(minutes(1440, 5*1440), desk, hotline.Command{Action: hotline.ActionReply, Content: "重办答复：" + replies[rng.IntN(len(replies))]})
		step(minutes(30, 480), dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: ptr(true), Comment: "同意办结"})
		step(minutes(120, 1800), cb, hotline.Command{Action: hotline.ActionCallback, Reached: ptr(true), Rating: hotline.BasicallySatisfied, Resolved: ptr(true), Note: "电话回访"})
	}
	return out
}

// unitIndex is the row of units with the code.
func unitIndex(code string) int {
	for i, u := range units {
		if u.code == code {
			return i
		}
	}
	return 0
}

// subjects and whens vary the history's everyday appeals.
var subjects = []string{"小区", "商铺", "超市", "菜市场", "学校门口", "医院", "工地", "加油站", "公交站", "停车场", "餐馆", "药店",
	"快递网点", "农贸市场", "幼儿园", "银行网点", "物业公司", "健身房", "宾馆", "网吧"}

// names name the subject of an everyday appeal.
var names = []string{"福临", "华联", "新华", "惠民", "康乐", "金鑫", "翠湖", "锦江", "东方", "永安", "幸福", "民生", "平安", "兴旺",
	"和谐", "春晖", "明珠", "阳光", "佳园", "丰收", "百姓", "长青", "红星", "万家", "安居", "绿洲", "君悦", "海棠", "紫荆", "荷塘"}

// details are the particulars an everyday appeal adds, each with a number.
var details = []string{"涉及约%d户居民。", "已打过%d次电话。", "来电人称已等了%d天。", "现场有%d处类似情况。", "附近%d米内都受影响。",
	"前后已有%d人反映过。", "已拖了%d个工作日。", "来电人家住%d楼。", "问题出在%d号门附近。", "每次持续%d分钟左右。"}

var whens = []string{"最近几天", "上周以来", "每天早上", "晚上十点后", "周末", "本月初开始", "连续三天", "昨天下午", "两个多月来", "今天上午"}
