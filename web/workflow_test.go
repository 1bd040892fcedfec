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
