package hotline_test

import (
	"strings"
	"testing"
	"time"

	"hotline"
)

var (
	agent      = hotline.Actor{UserID: 1, Name: "话务员", Role: hotline.RoleCallAgent}
	dispatcher = hotline.Actor{UserID: 2, Name: "工单员", Role: hotline.RoleDispatcher}
	unitA      = hotline.Actor{UserID: 3, Name: "水务", Role: hotline.RoleUnit, UnitID: 100}
	unitB      = hotline.Actor{UserID: 4, Name: "电力", Role: hotline.RoleUnit, UnitID: 200}
	lead       = hotline.Actor{UserID: 5, Name: "班长", Role: hotline.RoleTeamLead}
	callback   = hotline.Actor{UserID: 6, Name: "回访员", Role: hotline.RoleCallbackAgent}
)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

type world struct {
	tb  testing.TB
	env hotline.Env
}

func newWorld(tb testing.TB, start string) *world {
	pol := hotline.DefaultSLAPolicies()[0]
	for _, p := range hotline.DefaultSLAPolicies() {
		if p.AppealKind == hotline.Complaint && p.Urgency == hotline.Normal {
			pol = p
		}
	}
	return &world{tb: tb, env: hotline.Env{Now: at(tb, start).UTC(), Calendar: hotline.NewCalendar(hotline.OfficialDays()),
		Policy: pol, Rules: hotline.DefaultRules()}}
}

func (w *world) advance(d time.Duration) { w.env.Now = w.env.Now.Add(d) }

func (w *world) newTicket() *hotline.Ticket {
	w.tb.Helper()
	tk := &hotline.Ticket{ID: 1, Channel: hotline.ChannelPhone, AppealKind: hotline.Complaint, CategoryID: 1,
		Urgency: hotline.Normal, Title: "小区噪音", Content: "夜间施工噪音扰民",
		Requester: hotline.Requester{Name: "张三", Phone: "138 0000 5678"}, Location: hotline.Location{Address: "安源区凤凰街"}}
	if _, err := hotline.NewTicket(tk, agent, w.env); err != nil {
		w.tb.Fatal(err)
	}
	return tk
}

// must applies an action that has to succeed.
func (w *world) must(tk *hotline.Ticket, a hotline.Actor, cmd hotline.Command, want hotline.Status) *hotline.Event {
	w.tb.Helper()
	ev, err := tk.Apply(a, cmd, w.env)
	if err != nil {
		w.tb.Fatalf("%s by %s: %v", cmd.Action, a.Role, err)
	}
	if tk.Status != want || ev.ToStatus != want {
		w.tb.Fatalf("%s: status %s, want %s", cmd.Action, tk.Status, want)
	}
	return ev
}

// refuse applies an action that has to fail with code, leaving tk unchanged.
func (w *world) refuse(tk *hotline.Ticket, a hotline.Actor, cmd hotline.Command, code string) error {
	w.tb.Helper()
	before := *tk
	_, err := tk.Apply(a, cmd, w.env)
	if got := hotline.ErrorCode(err); got != code {
		w.tb.Fatalf("%s by %s: error %v (code %q), want code %q", cmd.Action, a.Role, err, got, code)
	}
	if tk.Status != before.Status || tk.UpdatedAt != before.UpdatedAt || tk.ReturnCount != before.ReturnCount {
		w.tb.Fatalf("%s refused but ticket changed", cmd.Action)
	}
	return err
}

func TestLifecycle_HappyPath(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00") // Monday
	tk := w.newTicket()
	if tk.Requester.Phone != "13800005678" {
		t.Errorf("phone not normalised: %q", tk.Requester.Phone)
	}
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100, CoUnitIDs: []int64{200}}, hotline.StatusDispatched)
	if tk.NextDueKind != "acknowledge" || !tk.NextDueAt.Equal(at(t, "2026-11-24 17:30")) {
		t.Errorf("next due %s %v, want acknowledge Tue 17:30", tk.NextDueKind, tk.NextDueAt)
	}
	if want := at(t, "2026-12-14 17:30"); !tk.ReplyDueAt.Equal(want) { // 15 working days
		t.Errorf("reply due %v, want %v", tk.ReplyDueAt.In(hotline.ChinaZone), want)
	}
	w.refuse(tk, unitB, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.EForbidden) // co-unit
	w.advance(time.Hour)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling)
	if tk.NextDueKind != "reply" {
		t.Errorf("next due kind %q after acknowledge", tk.NextDueKind)
	}
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReply, Content: "已责令停工"}, hotline.StatusReplied)
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionReview}, hotline.EInvalid)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: no(), Comment: "答复不完整"}, hotline.StatusHandling)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReply, Content: "已责令停工并罚款"}, hotline.StatusReplied)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: yes()}, hotline.StatusConcluded)
	if tk.NextDueKind != "callback" || tk.CallbackDueAt == nil {
		t.Errorf("no callback deadline after conclusion")
	}
	w.refuse(tk, callback, hotline.Command{Action: hotline.ActionArchive}, hotline.EConflict)
	w.must(tk, callback, hotline.Command{Action: hotline.ActionCallback, Reached: no()}, hotline.StatusConcluded)
	w.must(tk, callback, hotline.Command{Action: hotline.ActionCallback, Reached: yes(), Rating: hotline.Satisfied, Resolved: yes()}, hotline.StatusConcluded)
	w.refuse(tk, callback, hotline.Command{Action: hotline.ActionReopen, Reason: "x"}, hotline.EConflict)
	w.must(tk, callback, hotline.Command{Action: hotline.ActionArchive}, hotline.StatusArchived)
	if tk.CallbackAttempts != 2 || tk.NextDueAt != nil {
		t.Errorf("attempts %d, next due %v", tk.CallbackAttempts, tk.NextDueAt)
	}
	err := w.refuse(tk, lead, hotline.Command{Action: hotline.ActionSupervise, Note: "x"}, hotline.EConflict)
	if msg := hotline.ErrorMessage(err); msg != "工单当前状态为“已归档”，不能督办" {
		t.Errorf("message %q does not name the state", msg)
	}
}

func TestLifecycle_ResolveOnCall(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.refuse(tk, agent, hotline.Command{Action: hotline.ActionResolveOnCall, Content: "答"}, hotline.EInvalid) // a complaint
	tk.AppealKind = hotline.Consult
	w.refuse(tk, agent, hotline.Command{Action: hotline.ActionResolveOnCall}, hotline.EInvalid)
	other := hotline.Actor{UserID: 99, Role: hotline.RoleCallAgent}
	w.refuse(tk, other, hotline.Command{Action: hotline.ActionResolveOnCall, Content: "答"}, hotline.EForbidden) // not the owner
	w.must(tk, agent, hotline.Command{Action: hotline.ActionResolveOnCall, Content: "社保卡补办请带身份证到市民中心"}, hotline.StatusConcluded)
	w.must(tk, callback, hotline.Command{Action: hotline.ActionArchive}, hotline.StatusArchived)
}

func TestLifecycle_ReturnsAndDesignation(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	for i := 0; i < 3; i++ {
		w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
		w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReturn}, hotline.EInvalid) // no reason
		w.must(tk, unitA, hotline.Command{Action: hotline.ActionReturn, Reason: "不属于本单位职责"}, hotline.StatusDispatched)
		ev := w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionReviewReturn, Approve: yes()}, hotline.StatusPendingDispatch)
		if ev.Payload["unit_id"] != int64(100) || tk.LeadUnitID != 0 || tk.ReturnReason != "不属于本单位职责" || tk.ReturnCount != i+1 {
			t.Fatalf("review event %+v, lead %d, reason on ticket %q, count %d", ev, tk.LeadUnitID, tk.ReturnReason, tk.ReturnCount)
		}
	}
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.EConflict)
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionDesignate, LeadUnitID: 100}, hotline.EForbidden)
	w.must(tk, lead, hotline.Command{Action: hotline.ActionDesignate, LeadUnitID: 100}, hotline.StatusDispatched)
	if tk.ReturnReason != "" {
		t.Errorf("return reason kept after re-dispatch: %q", tk.ReturnReason)
	}
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReturn, Reason: "还是不归我们"}, hotline.EConflict)
}

// A return is a request: rejected, the ticket stays with the unit with its
// deadlines; approved, it goes back with the unit's suggestion and the
// returning unit remembered.
func TestLifecycle_ReturnReview(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling)
	ack, reply := *tk.AckDueAt, *tk.ReplyDueAt
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReturn, Reason: "x", SuggestedUnitID: 100}, hotline.EInvalid) // itself
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionReviewReturn, Approve: yes()}, hotline.EConflict)        // nothing asked
	w.advance(time.Hour)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReturn, Reason: "人手不足"}, hotline.StatusHandling)
	rq := tk.ReturnRequest
	if !rq.Waiting() || rq.UnitID != 100 || rq.Reason != "人手不足" || !rq.DueAt.Equal(at(t, "2026-11-23 16:00")) {
		t.Fatalf("request %+v: want waiting, from unit 100, due 4 working hours later (16:00, past the lunch break)", rq)
	}
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReturn, Reason: "再申请"}, hotline.EConflict)
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReply, Content: "已处理"}, hotline.EConflict)
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReviewReturn, Approve: no(), Reason: "x"}, hotline.EForbidden)
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionReviewReturn, Approve: no()}, hotline.EInvalid) // no reason
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionReviewReturn, Approve: no(), Reason: "属本单位职责，请继续办理"}, hotline.StatusHandling)
	if tk.LeadUnitID != 100 || !tk.AckDueAt.Equal(ack) || !tk.ReplyDueAt.Equal(reply) || tk.ReturnCount != 0 || tk.PendingRequest != "" ||
		tk.ReturnRequest.Decision != hotline.ReturnRejected || tk.ReturnRequest.DecisionReason != "属本单位职责，请继续办理" {
		t.Fatalf("after rejection: lead %d, due %v/%v, count %d, request %+v", tk.LeadUnitID, tk.AckDueAt, tk.ReplyDueAt, tk.ReturnCount, tk.ReturnRequest)
	}
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReturn, Reason: "属供电公司职责", SuggestedUnitID: 200}, hotline.StatusHandling)
	w.must(tk, lead, hotline.Command{Action: hotline.ActionReviewReturn, Approve: yes()}, hotline.StatusPendingDispatch)
	if tk.SuggestedUnitID != 200 || !tk.ReturnedBy(100) || tk.ReturnedBy(200) || tk.ReturnCount != 1 || tk.AckDueAt != nil || tk.NextDueAt != nil {
		t.Fatalf("after approval: suggested %d, returned %v, count %d, due %v", tk.SuggestedUnitID, tk.ReturnedUnitIDs, tk.ReturnCount, tk.NextDueAt)
	}
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 200}, hotline.StatusDispatched)
	if tk.SuggestedUnitID != 0 {
		t.Errorf("suggestion kept after dispatch: %d", tk.SuggestedUnitID)
	}
}

func TestLifecycle_ReturnWindow(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
	w.advance(33 * time.Hour) // Tuesday 18:00: past the 1-working-day window
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReturn, Reason: "不归我们"}, hotline.EConflict)
}

func TestLifecycle_ExtensionAndSuspension(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling)
	due := *tk.ReplyDueAt
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionApproveExtension}, hotline.EConflict)
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionRequestExtension, Reason: "需现场勘查"}, hotline.EInvalid)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionRequestExtension, Reason: "需现场勘查", WorkingDays: 5}, hotline.StatusHandling)
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionRequestSuspend, Reason: "x"}, hotline.EConflict)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionApproveExtension}, hotline.StatusHandling)
	if want := w.env.Calendar.AddWorkingDays(due, 5); !tk.ReplyDueAt.Equal(want) || !tk.NextDueAt.Equal(want) {
		t.Fatalf("extension: reply due %v next %v, want %v", tk.ReplyDueAt, tk.NextDueAt, want)
	}
	due = *tk.ReplyDueAt
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionRequestSuspend, Reason: "等待诉求人提供材料"}, hotline.StatusHandling)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionApproveSuspend}, hotline.StatusSuspended)
	if tk.NextDueAt != nil {
		t.Errorf("suspended ticket still has a deadline")
	}
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReply, Content: "x"}, hotline.EConflict)
	w.advance(48 * time.Hour) // Mon 09:00 → Wed 09:00: 14 office hours
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionResume}, hotline.StatusHandling)
	if want := w.env.Calendar.AddWorkingTime(due, 14*time.Hour); !tk.ReplyDueAt.Equal(want) {
		t.Errorf("resume: reply due %v, want %v", tk.ReplyDueAt.In(hotline.ChinaZone), want.In(hotline.ChinaZone))
	}
}

func TestLifecycle_Reopen(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	for _, s := range []struct {
		a   hotline.Actor
		cmd hotline.Command
		st  hotline.Status
	}{
		{agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch},
		{dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched},
		{unitA, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling},
		{unitA, hotline.Command{Action: hotline.ActionReply, Content: "已处理"}, hotline.StatusReplied},
		{dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: yes()}, hotline.StatusConcluded},
		{callback, hotline.Command{Action: hotline.ActionCallback, Reached: yes(), Rating: hotline.Unsatisfied, Resolved: no()}, hotline.StatusConcluded},
	} {
		w.must(tk, s.a, s.cmd, s.st)
	}
	w.refuse(tk, callback, hotline.Command{Action: hotline.ActionArchive}, hotline.EConflict)
	w.must(tk, callback, hotline.Command{Action: hotline.ActionReopen, Reason: "噪音仍在"}, hotline.StatusHandling)
	if tk.ReopenCount != 1 || tk.LeadUnitID != 100 || !tk.ReplyDueAt.Equal(w.env.Calendar.AddWorkingDays(w.env.Now, 5)) {
		t.Errorf("reopen: count %d lead %d due %v", tk.ReopenCount, tk.LeadUnitID, tk.ReplyDueAt)
	}
}

func TestLifecycle_IllegalActionsNameTheState(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	for _, cmd := range []hotline.Command{
		{Action: hotline.ActionAcknowledge}, {Action: hotline.ActionReply, Content: "x"},
		{Action: hotline.ActionArchive}, {Action: hotline.ActionResume},
	} {
		a := map[hotline.Action]hotline.Actor{hotline.ActionArchive: callback, hotline.ActionResume: dispatcher}[cmd.Action]
		if a.Role == "" {
			a = unitA
			tk.LeadUnitID = 100
		}
		err := w.refuse(tk, a, cmd, hotline.EConflict)
		if msg := hotline.ErrorMessage(err); msg[:len("工单当前状态为“已受理”")] != "工单当前状态为“已受理”" {
			t.Errorf("%s: message %q", cmd.Action, msg)
		}
		tk.LeadUnitID = 0
	}
}

func TestTicket_Validate(t *testing.T) {
	for _, tt := range []struct {
		field string
		mod   func(*hotline.Ticket)
	}{
		{"channel", func(t *hotline.Ticket) { t.Channel = "fax" }},
		{"appeal_kind", func(t *hotline.Ticket) { t.AppealKind = "" }},
		{"category_id", func(t *hotline.Ticket) { t.CategoryID = 0 }},
		{"urgency", func(t *hotline.Ticket) { t.Urgency = "x" }},
		{"title", func(t *hotline.Ticket) { t.Title = "  " }},
		{"content", func(t *hotline.Ticket) { t.Content = "" }},
		{"requester.name", func(t *hotline.Ticket) { t.Requester.Name = "" }},
		{"requester.phone", func(t *hotline.Ticket) { t.Requester.Phone = "abc" }},
		{"location.address", func(t *hotline.Ticket) { t.Location.Address = "" }},
	} {
		tk := &hotline.Ticket{Channel: "phone", AppealKind: "consult", CategoryID: 1, Urgency: "normal", Title: "t", Content: "c",
			Requester: hotline.Requester{Name: "n", Phone: "13800000000"}, Location: hotline.Location{Address: "a"}}
		tt.mod(tk)
		if err := tk.Validate(); hotline.ErrorField(err) != tt.field {
			t.Errorf("%s: got %v", tt.field, err)
		}
	}
	anon := &hotline.Ticket{Channel: "web", AppealKind: "consult", CategoryID: 1, Urgency: "normal", Title: "t", Content: "c",
		Requester: hotline.Requester{Anonymous: true}, Location: hotline.Location{Address: "a"}}
	if err := anon.Validate(); err != nil {
		t.Errorf("anonymous ticket refused: %v", err)
	}
}

func TestTicket_Available(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
	got := func(a hotline.Actor) string {
		var s []string
		for _, x := range tk.Available(a, w.env) {
			s = append(s, string(x))
		}
		return strings.Join(s, " ")
	}
	if g := got(unitA); g != "acknowledge return assign" {
		t.Errorf("lead unit on a dispatched ticket: %q", g)
	}
	if g := got(unitB); g != "" {
		t.Errorf("co-unit: %q", g)
	}
	if g := got(lead); g != "supervise urge transfer correct supplement" {
		t.Errorf("team lead: %q", g)
	}
	if tk.Status != hotline.StatusDispatched {
		t.Errorf("Available changed the ticket to %s", tk.Status)
	}
}

func TestTicket_CoUnitBounds(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	co := make([]int64, hotline.MaxCoUnits+1)
	for i := range co {
		co[i] = int64(200 + i)
	}
	for _, tt := range []struct {
		co   []int64
		want string // error message fragment, "" for success
	}{
		{co, "最多"}, {[]int64{100}, "不能与主办单位相同"}, {[]int64{200, 200}, "不能重复"}, {co[:hotline.MaxCoUnits], ""},
	} {
		c := *tk
		_, err := c.Apply(dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100, CoUnitIDs: tt.co}, w.env)
		if tt.want == "" && err != nil || tt.want != "" && (hotline.ErrorField(err) != "co_unit_ids" || !strings.Contains(hotline.ErrorMessage(err), tt.want)) {
			t.Errorf("%d co-units %v: %v", len(tt.co), tt.co[:min(3, len(tt.co))], err)
		}
	}
}

func TestAutoDispatchCommand(t *testing.T) {
	pending := &hotline.Ticket{Status: hotline.StatusPendingDispatch}
	sure := &hotline.UnitGuess{ModelID: 1, UnitID: 7, Prob: 0.97}
	for _, tt := range []struct {
		name      string
		t         *hotline.Ticket
		threshold float64
		g         *hotline.UnitGuess
		cat       *hotline.CatalogueEntry
		want      int64 // lead unit, 0: a person decides
		co        int
	}{
		{"off", pending, 0, sure, nil, 0, 0},
		{"no model", pending, 0.9, nil, nil, 0, 0},
		{"unsure", pending, 0.98, sure, nil, 0, 0},
		{"sure, no catalogue entry", pending, 0.9, sure, nil, 7, 0},
		{"catalogue agrees", pending, 0.9, sure, &hotline.CatalogueEntry{LeadUnitID: 7, CoUnitIDs: []int64{8, 9}}, 7, 2},
		{"catalogue differs", pending, 0.9, sure, &hotline.CatalogueEntry{LeadUnitID: 5}, 0, 0},
		{"not waiting for dispatch", &hotline.Ticket{Status: hotline.StatusAccepted}, 0.9, sure, nil, 0, 0},
	} {
		cmd, ok := hotline.AutoDispatchCommand(tt.t, tt.threshold, tt.g, tt.cat)
		if ok != (tt.want != 0) || cmd.LeadUnitID != tt.want || len(cmd.CoUnitIDs) != tt.co || (ok && cmd.Action != hotline.ActionDispatch) {
			t.Errorf("%s: %+v %v", tt.name, cmd, ok)
		}
	}
}

// A correction keeps the citizen's words, and a new kind or urgency moves
// the running deadlines to the new policy, keeping an approved extension.
func TestLifecycle_Correction(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionRequestExtension, Reason: "需现场勘查", WorkingDays: 2}, hotline.StatusHandling)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionApproveExtension}, hotline.StatusHandling)
	start := *tk.ReplyStartAt // 15 working days + 2 extended
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionCorrect, Correction: hotline.Correction{Title: "x"}}, hotline.EForbidden)
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionCorrect}, hotline.EInvalid)
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionCorrect, Correction: hotline.Correction{Title: tk.Title}}, hotline.EInvalid) // no change
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionCorrect, Correction: hotline.Correction{Urgency: "soon"}}, hotline.EInvalid)
	var help hotline.SLAPolicy
	for _, p := range hotline.DefaultSLAPolicies() {
		if p.AppealKind == hotline.Help && p.Urgency == hotline.Normal {
			help = p
		}
	}
	w.env.Corrected = &help
	ev := w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionCorrect, Content: "夜间施工噪音扰民，请求协调",
		Correction: hotline.Correction{AppealKind: hotline.Help, Title: "夜间施工噪音"}}, hotline.StatusHandling)
	w.env.Corrected = nil
	if tk.OriginalTitle != "小区噪音" || tk.OriginalContent != "夜间施工噪音扰民" || tk.Title != "夜间施工噪音" || tk.AppealKind != hotline.Help {
		t.Fatalf("after correction: %q/%q, original %q/%q, kind %s", tk.Title, tk.Content, tk.OriginalTitle, tk.OriginalContent, tk.AppealKind)
	}
	if want := w.env.Calendar.AddWorkingDays(start, 12); !tk.ReplyDueAt.Equal(want) || !tk.NextDueAt.Equal(want) {
		t.Errorf("reply due %v (next %v), want 10 working days + the 2 extended = %v", tk.ReplyDueAt, tk.NextDueAt, want)
	}
	if changes, _ := ev.Payload["changes"].([]hotline.FieldChange); len(changes) != 3 || ev.Payload["deadlines"] == nil {
		t.Errorf("event payload %+v", ev.Payload)
	}
	// A second correction of the title keeps the first original.
	w.must(tk, lead, hotline.Command{Action: hotline.ActionCorrect, Correction: hotline.Correction{Title: "施工噪音"}}, hotline.StatusHandling)
	if tk.OriginalTitle != "小区噪音" {
		t.Errorf("original title %q", tk.OriginalTitle)
	}
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReply, Content: "已协调"}, hotline.StatusReplied)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionReview, Approve: yes()}, hotline.StatusConcluded)
	w.refuse(tk, dispatcher, hotline.Command{Action: hotline.ActionCorrect, Correction: hotline.Correction{Title: "晚了"}}, hotline.EConflict)
}

// Sub-dispatch: the lead forwards to a child, which acknowledges and
// replies to the lead; the lead reviews and replies to the centre; the
// deadlines stay the lead's; a sibling sees nothing.
func TestLifecycle_SubDispatch(t *testing.T) {
	w := newWorld(t, "2026-11-23 09:00")
	town := hotline.Actor{UserID: 30, Name: "镇", Role: hotline.RoleUnit, UnitID: 300}
	sibling := hotline.Actor{UserID: 31, Name: "邻镇", Role: hotline.RoleUnit, UnitID: 301}
	tk := w.newTicket()
	w.must(tk, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionForward, UnitID: 300}, hotline.EConflict) // acknowledge first
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling)
	due := *tk.ReplyDueAt
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionForward, UnitID: 100}, hotline.EInvalid)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionForward, UnitID: 300, Note: "请镇里现场核查"}, hotline.StatusHandling)
	if !town.CanSeeTicket(tk) || sibling.CanSeeTicket(tk) || tk.SubStatus != hotline.SubForwarded {
		t.Fatalf("after forward: town sees %v, sibling sees %v, sub %q", town.CanSeeTicket(tk), sibling.CanSeeTicket(tk), tk.SubStatus)
	}
	w.refuse(tk, town, hotline.Command{Action: hotline.ActionForward, UnitID: 400}, hotline.EForbidden)
	w.refuse(tk, town, hotline.Command{Action: hotline.ActionAssign, UserID: 30}, hotline.EForbidden)
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReply, Content: "已处理"}, hotline.EConflict) // the child has it
	w.must(tk, town, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling)
	ev := w.must(tk, town, hotline.Command{Action: hotline.ActionReply, Content: "已现场核查并处理"}, hotline.StatusHandling)
	if tk.SubStatus != hotline.SubReplied || tk.Reply != "" || ev.Payload["sub_unit_id"] != int64(300) {
		t.Fatalf("child reply: sub %q, reply %q, payload %v", tk.SubStatus, tk.Reply, ev.Payload)
	}
	w.refuse(tk, unitA, hotline.Command{Action: hotline.ActionReviewSub, Approve: no()}, hotline.EInvalid) // why
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReviewSub, Approve: no(), Reason: "请附处理照片"}, hotline.StatusHandling)
	w.must(tk, town, hotline.Command{Action: hotline.ActionReply, Content: "已处理，照片见附件"}, hotline.StatusHandling)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReviewSub, Approve: yes()}, hotline.StatusHandling)
	w.refuse(tk, town, hotline.Command{Action: hotline.ActionReply, Content: "再答"}, hotline.EConflict)
	w.must(tk, unitA, hotline.Command{Action: hotline.ActionReply, Content: "经镇政府核查处理，已解决"}, hotline.StatusReplied)
	if !tk.ReplyDueAt.Equal(due) || tk.LeadUnitID != 100 {
		t.Errorf("the lead's deadline moved (%v → %v) or the lead changed (%d)", due, tk.ReplyDueAt, tk.LeadUnitID)
	}
	// Sent back by a child: the lead handles it or forwards elsewhere.
	tk2 := w.newTicket()
	w.must(tk2, agent, hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch)
	w.must(tk2, dispatcher, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 100}, hotline.StatusDispatched)
	w.must(tk2, unitA, hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling)
	w.must(tk2, unitA, hotline.Command{Action: hotline.ActionForward, UnitID: 300}, hotline.StatusHandling)
	w.must(tk2, town, hotline.Command{Action: hotline.ActionReturn, Reason: "不在本镇辖区"}, hotline.StatusHandling)
	if tk2.SubStatus != hotline.SubSentBack || tk2.LeadUnitID != 100 || tk2.PendingRequest != "" {
		t.Fatalf("sent back: sub %q, lead %d, pending %q", tk2.SubStatus, tk2.LeadUnitID, tk2.PendingRequest)
	}
	w.must(tk2, unitA, hotline.Command{Action: hotline.ActionForward, UnitID: 301}, hotline.StatusHandling)
	if town.CanSeeTicket(tk2) || !sibling.CanSeeTicket(tk2) {
		t.Errorf("re-forwarded: the first child still sees it, or the second does not")
	}
}
