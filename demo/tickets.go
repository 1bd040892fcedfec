package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
)

// tickets makes o.Tickets tickets accepted over the 90 days before o.Now and
// moves each as far along its lifecycle as its age allows.
func (c *city) tickets(ctx context.Context, o Options) error {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x12345))
	saved := c.db.Now
	defer func() { c.db.Now = saved }()
	// 85% of the tickets over the 90 days, the rest in the last 3 days, so
	// that the live queues (to dispatch, to acknowledge) are not empty.
	start, recent := o.Now.Add(-90*24*time.Hour), o.Now.Add(-72*time.Hour)
	older := o.Tickets * 85 / 100
	for i := 0; i < o.Tickets; i++ {
		at := start.Add(time.Duration(float64(recent.Sub(start)) * float64(i) / float64(max(older, 1))))
		if i >= older {
			at = recent.Add(time.Duration(float64(72*time.Hour) * float64(i-older) / float64(o.Tickets-older)))
		}
		at = at.Add(time.Duration(rng.IntN(1800)) * time.Second)
		s := &story{c: c, rng: rng, now: at, end: o.Now, serial: i + 1}
		if err := s.run(ctx); err != nil {
			return fmt.Errorf("demo ticket %d: %w", i, err)
		}
	}
	return nil
}

// story is one ticket's life in the demo.
type story struct {
	c         *city
	rng       *rand.Rand
	now, end  time.Time
	t         *hotline.Ticket
	done      bool   // ran out of time: the ticket stays where it is
	serial    int    // the story's number, for what must not draw from rng
	catalogue int64  // the lead unit the dispatch catalogue names
	callRef   string // the call the ticket was taken on (phone tickets)
}

// wait moves the clock on by up to max hours, stopping the story when that
// would pass the present.
func (s *story) wait(maxHours int) bool {
	next := s.now.Add(time.Duration(10+s.rng.IntN(maxHours*60)) * time.Minute)
	if next.After(s.end) {
		s.done = true
		return false
	}
	s.now = next
	return true
}

// after moves the story on by d without a random draw (so that a new
// kind of step leaves the other stories as they were); false past the end.
func (s *story) after(d time.Duration) bool {
	if s.now.Add(d).After(s.end) {
		s.done = true
		return false
	}
	s.now = s.now.Add(d)
	return true
}

// do takes an action as who at the story's time.
func (s *story) do(ctx context.Context, who hotline.Actor, cmd hotline.Command) error {
	if s.done {
		return nil
	}
	s.c.db.Now = func() time.Time { return s.now }
	t, err := s.c.db.ApplyAction(ctx, who, s.t.ID, cmd)
	if err != nil {
		return fmt.Errorf("%s: %w", cmd.Action, err)
	}
	s.t = t
	if cmd.Action == hotline.ActionDispatch {
		// As the dispatch page records it (the demo has no model yet), so
		// that the dispatch figures and return rates have their base.
		if err := s.c.db.RecordDispatch(ctx, who, sqldb.DispatchRecord{TicketID: t.ID, CatalogueUnitID: s.catalogue, FinalUnitID: t.LeadUnitID}); err != nil {
			return fmt.Errorf("record dispatch: %w", err)
		}
	}
	return nil
}

func (s *story) pick(xs []string) string { return xs[s.rng.IntN(len(xs))] }

func (s *story) run(ctx context.Context) error {
	c, rng := s.c, s.rng
	leaf := c.leaves[rng.IntN(len(c.leaves))]
	district := c.districts[rng.IntN(len(c.districts))]
	place := district
	if ts := c.towns[district.ID]; len(ts) > 0 && rng.IntN(3) > 0 {
		place = ts[rng.IntN(len(ts))]
	}
	kinds := []hotline.AppealKind{hotline.Consult, hotline.Consult, hotline.Consult, hotline.Help, hotline.Complaint,
		hotline.Complaint, hotline.Report, hotline.Suggest}
	kind := kinds[rng.IntN(len(kinds))]
	if strings.HasPrefix(leaf.Name, "表扬") {
		kind = hotline.Praise
	}
	urgency := hotline.Normal
	if r := rng.IntN(20); r == 0 {
		urgency = hotline.Emergency
	} else if r < 3 {
		urgency = hotline.Urgent
	}
	channels := []hotline.Channel{hotline.ChannelPhone, hotline.ChannelPhone, hotline.ChannelPhone, hotline.ChannelWeb, hotline.ChannelWechat, hotline.ChannelGovPlatform}
	addr := district.Name + place.Name + s.pick(streets) + fmt.Sprintf("%d号", 1+rng.IntN(300))
	if place == district {
		addr = district.Name + s.pick(streets) + s.pick(estates)
	}
	name := string(surnames[rng.IntN(len(surnames))]) + s.pick([]string{"先生", "女士", "某某", "伟", "芳", "军", "丽"})
	phone := fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000))
	s.t = &hotline.Ticket{Channel: channels[rng.IntN(len(channels))], AppealKind: kind, CategoryID: leaf.ID, Urgency: urgency,
		Title:     fmt.Sprintf("%s%s问题", place.Name, leaf.Name),
		Content:   fmt.Sprintf("来电人反映：%s附近存在%s问题，%s。%s", addr, leaf.Name, s.pick(complaints), s.pick(asks)),
		Requester: hotline.Requester{Name: name, Phone: phone, Address: addr, Anonymous: rng.IntN(25) == 0},
		Location:  hotline.Location{Address: addr, UnitID: place.ID}, Confidential: rng.IntN(15) == 0}
	if s.t.Requester.Anonymous {
		s.t.Requester = hotline.Requester{Anonymous: true}
	}
	c.db.Now = func() time.Time { return s.now }
	agent, dispatcher, lead, cb := c.actors["agent"], c.actors["dispatcher"], c.actors["lead"], c.actors["callback"]
	if s.t.Channel == hotline.ChannelPhone {
		if err := s.call(ctx, "agent"); err != nil {
			return err
		}
	}
	if kind == hotline.Consult && rng.IntN(3) > 0 {
		if err := s.create(ctx, agent, false); err != nil {
			return err
		}
		s.wait(1)
		return s.do(ctx, agent, hotline.Command{Action: hotline.ActionResolveOnCall, Content: "已依据知识库答复：" + leaf.Name + "相关政策及办理流程，来电人表示清楚。"})
	}
	recent := s.end.Sub(s.now) < 36*time.Hour
	if recent && rng.IntN(4) == 0 { // a web message the agent has not yet submitted
		return s.create(ctx, agent, false)
	}
	if err := s.create(ctx, agent, true); err != nil {
		return err
	}
	if s.t.Channel != hotline.ChannelPhone && s.t.ID%3 == 0 { // the citizen's own photo with a web message
		if err := s.attachPhoto(ctx, agent, "市民上传照片.png"); err != nil {
			return err
		}
	}
	defer func() { c.prev = s.t }()
	if p := c.prev; p != nil && p.Status.Open() && p.Status != hotline.StatusMerged && rng.IntN(25) == 0 && s.wait(1) {
		return s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionMerge, IntoID: p.ID})
	}
	if recent && rng.IntN(3) == 0 {
		return nil // waiting in the dispatch queue
	}
	if rng.IntN(30) == 0 && s.wait(2) {
		return s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionCancel, Reason: "重复来电，诉求人已撤回"})
	}
	// The dispatcher corrects the kind (更正) of one complaint in ten (by
	// number, keeping the story's random draws as they were).
	if kind == hotline.Complaint && s.t.ID%10 == 3 && s.now.Add(7*time.Minute).Before(s.end) {
		s.now = s.now.Add(7 * time.Minute)
		if err := s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionCorrect, Reason: "来电人表述为投诉，核实后为求助",
			Correction: hotline.Correction{AppealKind: hotline.Help, Title: "求助：" + s.t.Title}}); err != nil {
			return err
		}
	}
	if !s.wait(4) {
		return nil
	}
	region := s.t.Location.UnitID
	e, err := c.db.SuggestDispatch(ctx, leaf.ID, region)
	if err != nil {
		return err
	}
	s.catalogue = e.LeadUnitID
	if rng.IntN(8) == 0 { // a mis-dispatch the unit sends back
		wrong := c.unitByKey["dept-urban"].ID
		if wrong == e.LeadUnitID {
			wrong = c.unitByKey["dept-housing"].ID
		}
		if err := s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: wrong}); err != nil || !s.wait(3) {
			return err
		}
		desk := c.unitActor[wrong][0]
		if rng.IntN(4) == 0 { // asked without a good reason: the centre rejects, the unit asks again
			if err := s.do(ctx, desk, hotline.Command{Action: hotline.ActionReturn, Reason: "人手不足，请改派其他单位"}); err != nil || !s.wait(1) {
				return err
			}
			if err := s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionReviewReturn, Approve: new(false),
				Reason: "退单理由不充分：请说明该事项不属于本单位职责的依据，并建议承办单位"}); err != nil || !s.wait(1) {
				return err
			}
		}
		if err := s.do(ctx, desk, hotline.Command{Action: hotline.ActionReturn, SuggestedUnitID: e.LeadUnitID,
			Reason: "该事项不属于本单位职责，建议派" + leaf.Name + "主管部门"}); err != nil || !s.wait(2) {
			return err // a recent one waits in the 退单待审核 queue
		}
		if err := s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionReviewReturn, Approve: new(true)}); err != nil || !s.wait(1) {
			return err
		}
	}
	staff := c.unitActor[e.LeadUnitID]
	unit := staff[rng.IntN(len(staff))]
	steps := []struct {
		who   hotline.Actor
		cmd   hotline.Command
		hours int
	}{
		{dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: e.LeadUnitID, CoUnitIDs: e.CoUnitIDs}, 20},
		{unit, hotline.Command{Action: hotline.ActionAcknowledge}, 60},
	}
	if unit.UserID != staff[0].UserID { // a named handler: the unit's desk assigns it to them first (经办人)
		steps = append(steps[:1], append([]struct {
			who   hotline.Actor
			cmd   hotline.Command
			hours int
		}{{staff[0], hotline.Command{Action: hotline.ActionAssign, UserID: unit.UserID}, 5}}, steps[1:]...)...)
	}
	if rng.IntN(10) == 0 {
		steps = append(steps, struct {
			who   hotline.Actor
			cmd   hotline.Command
			hours int
		}{unit, hotline.Command{Action: hotline.ActionRequestExtension, Reason: "需协调多部门现场核查", WorkingDays: 5}, 10},
			struct {
				who   hotline.Actor
				cmd   hotline.Command
				hours int
			}{dispatcher, hotline.Command{Action: hotline.ActionApproveExtension, Comment: "同意延期"}, 20})
	}
	for _, st := range steps {
		if err := s.do(ctx, st.who, st.cmd); err != nil || !s.wait(st.hours) {
			return err
		}
	}
	// A district forwards two tickets in three to the township of the
	// place (二级派单), which replies to the district for its review.
	if towns := c.towns[e.LeadUnitID]; len(towns) > 0 && s.t.ID%3 != 0 {
		town := towns[int(s.t.ID)%len(towns)]
		for _, t := range towns {
			if t.ID == s.t.Location.UnitID {
				town = t
			}
		}
		desk := c.unitActor[town.ID][0]
		for _, st := range []struct {
			who   hotline.Actor
			cmd   hotline.Command
			after time.Duration
		}{
			{unit, hotline.Command{Action: hotline.ActionForward, UnitID: town.ID, Note: "请" + town.Name + "现场核查处理，按时报送结果"}, 3 * time.Hour},
			{desk, hotline.Command{Action: hotline.ActionAcknowledge}, 20 * time.Hour},
			{desk, hotline.Command{Action: hotline.ActionReply, Content: town.Name + "已安排工作人员现场核查并处理，" + replies[int(s.t.ID)%len(replies)]}, 4 * time.Hour},
			{unit, hotline.Command{Action: hotline.ActionReviewSub, Approve: ptr(true), Reason: "同意"}, time.Hour},
		} {
			if !s.after(st.after) {
				return nil
			}
			if err := s.do(ctx, st.who, st.cmd); err != nil {
				return err
			}
		}
	}
	// One ticket in seven: the citizen calls again while it is handled (重复来电), to
	// urge or to add something; by number, keeping the random draws.
	if s.t.ID%7 == 2 && s.now.Add(3*time.Hour).Before(s.end) {
		s.now = s.now.Add(3 * time.Hour)
		cmd := hotline.Command{Action: hotline.ActionSupplement, Kind: hotline.SupplementUrge, Content: "来电人催问办理进度，希望尽快处理"}
		if s.t.ID%14 == 9 {
			cmd.Kind, cmd.Content = hotline.SupplementInfo, "来电人补充：问题在晚上更严重，周边住户也有同样情况"
		}
		if err := s.do(ctx, agent, cmd); err != nil {
			return err
		}
	}
	if rng.IntN(12) == 0 {
		return s.do(ctx, lead, hotline.Command{Action: hotline.ActionSupervise, Note: "请加快办理进度并及时答复诉求人"})
	}
	if rng.IntN(12) == 0 {
		if err := s.do(ctx, unit, hotline.Command{Action: hotline.ActionRequestSuspend, Reason: "等待诉求人补充材料"}); err != nil || !s.wait(8) {
			return err
		}
		if err := s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionApproveSuspend, Comment: "同意挂起"}); err != nil || !s.wait(60) || rng.IntN(3) == 0 {
			return err
		}
		if err := s.do(ctx, unit, hotline.Command{Action: hotline.ActionResume}); err != nil || !s.wait(20) {
			return err
		}
	}
	if s.t.ID%4 == 1 { // the reply comes with a photo from the site (附件)
		if err := s.attachPhoto(ctx, unit, "现场处理照片.png"); err != nil {
			return err
		}
	}
	if err := s.do(ctx, unit, hotline.Command{Action: hotline.ActionReply, Content: "经核查，" + s.pick(replies)}); err != nil || !s.wait(8) {
		return err
	}
	if err := s.do(ctx, dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: ptr(true), Comment: "答复规范，同意办结"}); err != nil || !s.wait(40) {
		return err
	}
	if s.t.CallbackDone {
		return s.do(ctx, cb, hotline.Command{Action: hotline.ActionArchive})
	}
	ratings := []hotline.Rating{hotline.Satisfied, hotline.Satisfied, hotline.Satisfied, hotline.BasicallySatisfied, hotline.Unsatisfied}
	rating := ratings[rng.IntN(len(ratings))]
	if err := s.do(ctx, cb, hotline.Command{Action: hotline.ActionCallback, Reached: ptr(true), Rating: rating, Resolved: ptr(rating != hotline.Unsatisfied), Note: "电话回访"}); err != nil || !s.wait(20) {
		return err
	}
	if rating == hotline.Unsatisfied {
		return s.do(ctx, cb, hotline.Command{Action: hotline.ActionReopen, Reason: "回访不满意：问题仍未解决"})
	}
	return s.do(ctx, cb, hotline.Command{Action: hotline.ActionArchive})
}

func ptr[T any](v T) *T { return &v }

var complaints = []string{"已持续一周多", "多次反映未得到解决", "严重影响周边居民生活", "给老人小孩出行带来不便", "希望尽快了解相关政策"}

var asks = []string{"请相关部门尽快处理。", "希望有关部门给予答复。", "请求协调解决。", "请告知办理流程和所需材料。"}

var replies = []string{"该问题已安排工作人员现场处理完毕，已电话告知诉求人。", "已责令相关责任方限期整改，我单位将持续跟踪。",
	"已向诉求人解释相关政策规定及办理流程，诉求人表示理解。", "已协调相关部门联合处置，问题已解决。"}
