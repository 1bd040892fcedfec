package sqldb_test

import (
	"testing"

	"hotline"
)

func TestSimilarTickets(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		mk := func(title, content string, unit int64) *hotline.Ticket {
			tk := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
				Title: title, Content: content, Requester: hotline.Requester{Anonymous: true},
				Location: hotline.Location{Address: "安源区", UnitID: unit}}
			if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], tk, true); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		anyuan := f.Units["px-anyuan"].ID
		first := mk("凤凰街小区停水三天", "安源区凤凰街小区停水三天了，一直没人处理", anyuan)
		mk("八一路路灯不亮", "八一路路灯坏了一个星期", anyuan)
		other := mk("凤凰街小区停水", "凤凰街小区从周一开始停水", anyuan)
		got, err := f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], "凤凰街停水", "凤凰街小区又停水三天了，没人管", anyuan, 0, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Similarity < got[1].Similarity || (got[0].ID != first.ID && got[0].ID != other.ID) {
			t.Fatalf("similar: %d %+v", len(got), got)
		}
		// Not itself, not closed ones, not for units.
		got, _ = f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], first.Title, first.Content, anyuan, first.ID, 5)
		for _, s := range got {
			if s.ID == first.ID {
				t.Error("a ticket is similar to itself")
			}
		}
		f.Do(t, "dispatcher", other.ID, hotline.Command{Action: hotline.ActionMerge, IntoID: first.ID})
		got, _ = f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], "凤凰街停水", "凤凰街小区又停水三天了", anyuan, 0, 5)
		if len(got) != 1 || got[0].ID != first.ID {
			t.Errorf("after the merge: %+v", got)
		}
		if _, err := f.DB.FindSimilarTickets(f.Context, f.Actors["water"], "停水", "停水", 0, 0, 5); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("unit: %v", err)
		}
	})
}
