package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// Corrections by the centre: the original words kept, the timeline with
// before and after, deadlines recomputed for a new kind, the model's
// training data on the corrected category; a bad value is a 400 naming the
// field and changes nothing.
func TestAPI_Corrections(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testCorrections(t, MustServerOn(t, d)) })
	}
}

func testCorrections(t *testing.T, e *env) {
	ctx := context.Background()
	if _, err := e.db.ImportCategories(ctx, sqldb.SystemActor, [][]string{{"公共事业", "供电", "停电"}}); err != nil {
		t.Fatal(err)
	}
	cats, _ := e.db.FindCategories(ctx)
	power := cats[len(cats)-1].ID
	tk := e.newTicket(map[string]any{"submit": true, "title": "家里没水", "content": "凤凰街停电两天，冰箱都坏了"})
	p := fmt.Sprintf("/api/v1/tickets/%d/", tk.ID)
	e.call("dispatcher", "POST", p+"dispatch", map[string]any{"lead_unit_id": e.units["util-power"]}, 200, nil)
	e.call("util-power", "POST", p+"acknowledge", nil, 200, nil)
	var before hotline.Ticket
	e.call("lead", "GET", p[:len(p)-1], nil, 200, &before)

	e.call("util-power", "POST", p+"correct", map[string]any{"title": "停电"}, 403, nil)
	var bad apiError
	e.call("dispatcher", "POST", p+"correct", map[string]any{"category_id": 999999}, 400, &bad)
	if bad.Error.Field != "category_id" {
		t.Errorf("bad category: %+v", bad)
	}
	e.call("dispatcher", "POST", p+"correct", map[string]any{"urgency": "soon", "title": "停电"}, 400, &bad)
	if bad.Error.Field != "urgency" {
		t.Errorf("bad urgency: %+v", bad)
	}
	e.call("dispatcher", "POST", p+"correct", map[string]any{}, 400, nil)
	var same hotline.Ticket
	e.call("lead", "GET", p[:len(p)-1], nil, 200, &same)
	if same.Title != "家里没水" || same.UpdatedAt != before.UpdatedAt || len(same.Events) != len(before.Events) {
		t.Fatalf("a refused correction changed the ticket: %q, %d events", same.Title, len(same.Events))
	}

	// A help request (10 working days), not a complaint (15), about power.
	var got hotline.Ticket
	e.call("dispatcher", "POST", p+"correct", map[string]any{"appeal_kind": "help", "category_id": power, "title": "家里停电",
		"content": "凤凰街停电两天，冰箱里的食物坏了", "location": map[string]any{"address": "安源区凤凰街8号"}, "reason": "来电人口误"}, 200, &got)
	if got.Title != "家里停电" || got.OriginalTitle != "家里没水" || got.OriginalContent != "凤凰街停电两天，冰箱都坏了" ||
		got.AppealKind != hotline.Help || got.CategoryID != power || got.Location.Address != "安源区凤凰街8号" {
		t.Fatalf("corrected ticket: %+v", got)
	}
	cal := hotline.NewCalendar(hotline.OfficialDays())
	if want := cal.AddWorkingDays(*before.ReplyStartAt, 10); !got.ReplyDueAt.Equal(want) || !got.NextDueAt.Equal(want) {
		t.Errorf("reply due %v (next %v), want 10 working days from %v = %v", got.ReplyDueAt, got.NextDueAt, before.ReplyStartAt, want)
	}
	last := got.Events[len(got.Events)-1]
	changes, _ := last.Payload["changes"].([]any)
	if last.Action != hotline.ActionCorrect || last.ActorName == "" || last.Reason != "来电人口误" || len(changes) != 5 || last.Payload["deadlines"] == nil {
		t.Fatalf("correction event %+v", last)
	}
	if c := changes[0].(map[string]any); c["field"] != "appeal_kind" || c["from"] != "complaint" || c["to"] != "help" {
		t.Errorf("first change %v", c)
	}
	// The ticket page shows before and after and the recomputed deadline.
	code, page := e.get("lead", fmt.Sprintf("/tickets/%d", tk.ID))
	for _, want := range []string{"诉求类型：投诉 → 求助", "标题：家里没水 → 家里停电", "诉求分类：公共事业/供水/停水 → 公共事业/供电/停电",
		"时限已按新的类型和紧急程度重新计算：答复", "诉求人原始表述（中心已更正）"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("ticket page (%d) lacks %q", code, want)
		}
	}
	// Search finds it by the corrected words.
	var found struct{ Total int }
	e.call("lead", "GET", "/api/v1/tickets?q="+"食物", nil, 200, &found)
	if found.Total != 1 {
		t.Errorf("search for a corrected word: %d", found.Total)
	}
	e.call("util-power", "POST", p+"reply", map[string]any{"content": "已抢修"}, 200, nil)
	e.call("dispatcher", "POST", p+"review", map[string]any{"approve": true}, 200, nil)
	e.call("dispatcher", "POST", p+"correct", map[string]any{"title": "晚了"}, 409, nil)
	_, labels, err := e.db.DispatchTrainingSet(ctx, sqldb.TargetCategory, 10)
	if err != nil || len(labels) != 1 || labels[0] != strconv.FormatInt(power, 10) {
		t.Errorf("training labels %v (%v), want the corrected category %d", labels, err, power)
	}
}

// Repeat calls: any agent attaches a call to an open ticket as an urge
// (counted on the handling unit) or as information (the unit reads it);
// the ticket counts them; a closed ticket refuses.
func TestAPI_RepeatCalls(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testRepeatCalls(t, MustServerOn(t, d)) })
	}
}

func testRepeatCalls(t *testing.T, e *env) {
	e.addUser("agent2", hotline.RoleCallAgent, 0)
	tk := e.newTicket(map[string]any{"submit": true})
	p := fmt.Sprintf("/api/v1/tickets/%d/", tk.ID)
	water := e.units["util-water"]
	e.call("dispatcher", "POST", p+"dispatch", map[string]any{"lead_unit_id": water}, 200, nil)

	var bad apiError
	e.call("agent2", "POST", p+"supplement", map[string]any{"kind": "complain", "content": "还没来水"}, 400, &bad)
	if bad.Error.Field != "kind" {
		t.Errorf("bad kind: %+v", bad)
	}
	e.call("agent2", "POST", p+"supplement", map[string]any{"kind": "urge", "content": "  "}, 400, &bad)
	if bad.Error.Field != "content" {
		t.Errorf("empty content: %+v", bad)
	}
	e.call("util-water", "POST", p+"supplement", map[string]any{"kind": "urge", "content": "x"}, 403, nil)
	var got hotline.Ticket
	e.call("agent2", "POST", p+"supplement", map[string]any{"kind": "urge", "content": "第三天了还没来水，请尽快"}, 200, &got) // not the owner: any agent
	e.call("agent", "POST", p+"supplement", map[string]any{"kind": "info", "content": "补充：2号楼和3号楼都停水"}, 200, &got)
	e.call("dispatcher", "POST", p+"supplement", map[string]any{"kind": "urge", "content": "再次催促"}, 200, &got)
	if got.RepeatCalls != 3 || got.UrgeCount != 2 {
		t.Fatalf("repeat calls %d, urges %d; want 3 and 2", got.RepeatCalls, got.UrgeCount)
	}
	// The unit reads the information and sees the urges in its inbox.
	var seen hotline.Ticket
	e.call("util-water", "GET", p[:len(p)-1], nil, 200, &seen)
	var info bool
	for _, ev := range seen.Events {
		info = info || (ev.Action == hotline.ActionSupplement && ev.Payload["content"] == "补充：2号楼和3号楼都停水")
	}
	if !info || seen.UrgeCount != 2 {
		t.Errorf("the unit sees info %v, urge count %d", info, seen.UrgeCount)
	}
	if code, page := e.get("util-water", "/queue/urged"); code != 200 || !strings.Contains(page, tk.Number) || !strings.Contains(page, "催2") {
		t.Errorf("the unit's 市民催办 queue (%d) lacks the ticket or its urge count", code)
	}
	// A supervision figure: the unit's citizen urges on the board.
	var board struct {
		Items []struct {
			UnitID       int64 `json:"unit_id"`
			CitizenUrges int   `json:"citizen_urges"`
		}
	}
	e.call("util-water", "GET", "/api/v1/supervision/board", nil, 403, nil)
	e.call("lead", "GET", "/api/v1/supervision/board", nil, 200, &board)
	var urges int
	for _, l := range board.Items {
		if l.UnitID == water {
			urges = l.CitizenUrges
		}
	}
	if urges != 2 {
		t.Errorf("board: water's citizen urges %d, want 2 (%+v)", urges, board.Items)
	}
	// Closed: the call becomes a new ticket or a reopening, not a supplement.
	other := e.newTicket(nil)
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/cancel", other.ID), map[string]any{"reason": "误录"}, 200, nil)
	e.call("agent", "POST", fmt.Sprintf("/api/v1/tickets/%d/supplement", other.ID), map[string]any{"kind": "info", "content": "x"}, 409, nil)
}

// Sub-dispatch over the API: a district forwards to one of its townships
// (never elsewhere); the township sees it and its sibling does not; the
// township replies to the district, which reviews and replies; the
// centre's review closes it.
func TestAPI_SubDispatch(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testSubDispatch(t, MustServerOn(t, d)) })
	}
}

// addTownships adds townships under the district anyuan, each with a
// login named by its key, and a login for the district itself.
func (e *env) addTownships(towns map[string]string) {
	e.tb.Helper()
	var rows [][4]string
	for key, name := range towns {
		rows = append(rows, [4]string{"anyuan-" + key, name, "township", "anyuan"})
	}
	if _, err := e.db.ImportUnits(context.Background(), sqldb.SystemActor, rows); err != nil {
		e.tb.Fatal(err)
	}
	us, _ := e.db.FindUnits(context.Background())
	for _, u := range us {
		e.units[u.Code] = u.ID
	}
	e.addUser("anyuan", hotline.RoleUnit, e.units["anyuan"])
	for key := range towns {
		e.addUser(key, hotline.RoleUnit, e.units["anyuan-"+key])
	}
}

func testSubDispatch(t *testing.T, e *env) {
	e.addTownships(map[string]string{"fh": "凤凰街道", "by": "八一街道"})
	tk := e.newTicket(map[string]any{"submit": true})
	p := fmt.Sprintf("/api/v1/tickets/%d/", tk.ID)
	e.call("dispatcher", "POST", p+"dispatch", map[string]any{"lead_unit_id": e.units["anyuan"]}, 200, nil)
	var before hotline.Ticket
	e.call("anyuan", "POST", p+"acknowledge", nil, 200, &before)
	var bad apiError
	e.call("anyuan", "POST", p+"forward", map[string]any{"unit_id": e.units["util-water"], "note": "x"}, 400, &bad)
	if bad.Error.Field != "unit_id" {
		t.Errorf("forward sideways: %+v", bad)
	}
	e.call("fh", "GET", p[:len(p)-1], nil, 404, nil)
	e.call("anyuan", "POST", p+"forward", map[string]any{"unit_id": e.units["anyuan-fh"], "note": "请现场核查"}, 200, nil)
	var list struct {
		Items []hotline.Ticket
		Total int
	}
	e.call("fh", "GET", "/api/v1/tickets", nil, 200, &list)
	if list.Total != 1 || list.Items[0].ID != tk.ID {
		t.Errorf("the township's list: %d tickets", list.Total)
	}
	e.call("by", "GET", "/api/v1/tickets", nil, 200, &list)
	e.call("by", "GET", p[:len(p)-1], nil, 404, nil)
	if list.Total != 0 {
		t.Errorf("the sibling sees %d tickets", list.Total)
	}
	e.call("by", "POST", p+"reply", map[string]any{"content": "x"}, 404, nil)
	e.call("fh", "POST", p+"forward", map[string]any{"unit_id": e.units["anyuan-by"]}, 403, nil)
	e.call("fh", "POST", p+"acknowledge", nil, 200, nil)
	e.call("fh", "POST", p+"reply", map[string]any{"content": "凤凰街道已现场处理"}, 200, nil)
	e.call("anyuan", "POST", p+"reply", map[string]any{"content": "已处理"}, 409, nil)
	if code, page := e.get("anyuan", "/queue/sub-review"); code != 200 || !strings.Contains(page, tk.Number) {
		t.Errorf("the district's 待审核下级答复 queue (%d) lacks the ticket", code)
	}
	e.call("anyuan", "POST", p+"review_sub", map[string]any{"approve": true}, 200, nil)
	var replied hotline.Ticket
	e.call("anyuan", "POST", p+"reply", map[string]any{"content": "经凤凰街道现场处理，已解决"}, 200, &replied)
	if replied.Status != hotline.StatusReplied || !replied.ReplyDueAt.Equal(*before.ReplyDueAt) || replied.LeadUnitID != e.units["anyuan"] {
		t.Errorf("after the district's reply: %s, due %v (was %v), lead %d", replied.Status, replied.ReplyDueAt, before.ReplyDueAt, replied.LeadUnitID)
	}
	var done hotline.Ticket
	e.call("dispatcher", "POST", p+"review", map[string]any{"approve": true}, 200, &done)
	var levels []string
	for _, ev := range done.Events {
		if ev.ActorName == "" || ev.CreatedAt.IsZero() {
			t.Errorf("event without actor or time: %+v", ev)
		}
		levels = append(levels, string(ev.Action)+"/"+ev.ActorName)
	}
	want := "accept/agent submit/agent dispatch/dispatcher acknowledge/anyuan forward/anyuan acknowledge/fh reply/fh review_sub/anyuan reply/anyuan review/dispatcher"
	if strings.Join(levels, " ") != want {
		t.Errorf("timeline %v\nwant %s", levels, want)
	}
}

// Named handlers: the lead unit assigns a ticket to one of its own staff,
// who finds it under 我经办的; nobody outside the unit can be named, and
// another unit cannot assign at all.
func TestAPI_NamedHandlers(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testNamedHandlers(t, MustServerOn(t, d)) })
	}
}

func testNamedHandlers(t *testing.T, e *env) {
	e.addUser("water.li", hotline.RoleUnit, e.units["util-water"])
	tk := e.newTicket(map[string]any{"submit": true})
	p := fmt.Sprintf("/api/v1/tickets/%d/", tk.ID)
	e.call("dispatcher", "POST", p+"dispatch", map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)
	if code, page := e.get("util-water", "/queue/unassigned"); code != 200 || !strings.Contains(page, tk.Number) {
		t.Errorf("未分配经办人 (%d) lacks the new ticket", code)
	}
	var bad apiError
	e.call("util-water", "POST", p+"assign", map[string]any{"user_id": e.userID("util-power")}, 400, &bad)
	if bad.Error.Field != "user_id" {
		t.Errorf("a handler from another unit: %+v", bad)
	}
	e.call("util-power", "POST", p+"assign", map[string]any{"user_id": e.userID("util-power")}, 404, nil)
	e.call("dispatcher", "POST", p+"assign", map[string]any{"user_id": e.userID("water.li")}, 403, nil)
	var got hotline.Ticket
	e.call("util-water", "POST", p+"assign", map[string]any{"user_id": e.userID("water.li")}, 200, &got)
	if got.HandlerID != e.userID("water.li") {
		t.Fatalf("handler %d", got.HandlerID)
	}
	if code, page := e.get("water.li", "/queue/mine"); code != 200 || !strings.Contains(page, tk.Number) {
		t.Errorf("我经办的 (%d) lacks the assigned ticket", code)
	}
	if code, page := e.get("util-water", "/queue/unassigned"); code != 200 || strings.Contains(page, tk.Number) {
		t.Errorf("未分配经办人 (%d) still lists the assigned ticket", code)
	}
	last := got.Events[len(got.Events)-1]
	if last.Action != hotline.ActionAssign || last.ActorName == "" {
		t.Errorf("assign event %+v", last)
	}
}
