package sqldb_test

import (
	"testing"

	"hotline"
	"hotline/dedup"
	"hotline/sqldb"
)

func TestSimilarTickets(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		mk := func(title, content string, unit int64) *hotline.Ticket { return f.appeal(t, title, content, unit) }
		anyuan := f.Units["px-anyuan"].ID
		first := mk("凤凰街小区停水三天", "安源区凤凰街小区停水三天了，一直没人处理", anyuan)
		mk("八一路路灯不亮", "八一路路灯坏了一个星期", anyuan)
		other := mk("凤凰街小区停水", "凤凰街小区从周一开始停水", anyuan)
		if err := f.DB.IndexTickets(f.Context, nil); err != nil {
			t.Fatal(err)
		}
		got, err := f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], sqldb.SimilarQuery{Title: "凤凰街停水", Content: "凤凰街小区又停水三天了，没人管", LocationUnitID: anyuan}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Similarity < got[1].Similarity || (got[0].ID != first.ID && got[0].ID != other.ID) {
			t.Fatalf("similar: %d %+v", len(got), got)
		}
		// Not itself, not closed ones, not for units.
		got, _ = f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], sqldb.SimilarQuery{Title: first.Title, Content: first.Content, LocationUnitID: anyuan, Except: first.ID}, 5)
		for _, s := range got {
			if s.ID == first.ID {
				t.Error("a ticket is similar to itself")
			}
		}
		f.Do(t, "dispatcher", other.ID, hotline.Command{Action: hotline.ActionMerge, IntoID: first.ID})
		got, _ = f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], sqldb.SimilarQuery{Title: "凤凰街停水", Content: "凤凰街小区又停水三天了", LocationUnitID: anyuan}, 5)
		if len(got) != 1 || got[0].ID != first.ID {
			t.Errorf("after the merge: %+v", got)
		}
		if _, err := f.DB.FindSimilarTickets(f.Context, f.Actors["water"], sqldb.SimilarQuery{Title: "停水", Content: "停水"}, 5); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("unit: %v", err)
		}
		// When the main ticket is concluded, the merged one gets its reply
		// and is owed a callback too (its requester is told).
		merged := mk("凤凰街小区停水了", "凤凰街小区停水", anyuan)
		merged.Requester = hotline.Requester{Name: "王五", Phone: "13900001111"}
		f.Do(t, "dispatcher", merged.ID, hotline.Command{Action: hotline.ActionMerge, IntoID: first.ID})
		f.Do(t, "dispatcher", first.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		f.Do(t, "water", first.ID, hotline.Command{Action: hotline.ActionAcknowledge})
		f.Do(t, "water", first.ID, hotline.Command{Action: hotline.ActionReply, Content: "主管道已修复，已恢复供水"})
		f.Do(t, "dispatcher", first.ID, hotline.Command{Action: hotline.ActionReview, Approve: yes()})
		for _, id := range []int64{other.ID, merged.ID} {
			m, err := f.DB.FindTicketByID(f.Context, f.Actors["lead"], id)
			if err != nil {
				t.Fatal(err)
			}
			last := m.Events[len(m.Events)-1]
			if m.Status != hotline.StatusConcluded || m.Reply != "主管道已修复，已恢复供水" || last.Action != hotline.ActionMergedReply {
				t.Errorf("merged ticket %d after the main one concluded: %s %q %s", id, m.Status, m.Reply, last.Action)
			}
		}
		if _, err := f.DB.ApplyAction(f.Context, f.Actors["dispatcher"], merged.ID, hotline.Command{Action: hotline.ActionMergedReply}); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("merged_reply taken by hand: %v", err)
		}
	})
}

// The indexer job's merge proposals for tickets waiting for dispatch, as
// the dispatcher's queue shows them.
func TestMergeProposals(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		anyuan := f.Units["px-anyuan"].ID
		mk := func(title, content string) *hotline.Ticket { return f.appeal(t, title, content, anyuan) }
		a := mk("凤凰街小区停水三天", "安源区凤凰街小区停水三天了，一直没人处理")
		b := mk("凤凰街小区停水", "凤凰街小区从周一开始停水三天了")
		c := mk("八一路路灯不亮", "八一路路灯坏了一个星期")
		if n, more, err := f.DB.ProposeMerges(f.Context, 100); err != nil || n != 0 || more {
			t.Fatalf("before indexing: %d, %v, %v", n, more, err) // only indexed tickets are compared
		}
		if err := f.DB.IndexTickets(f.Context, nil); err != nil {
			t.Fatal(err)
		}
		// One ticket a run (more to come), then the rest, then nothing new.
		for i, want := range []struct {
			limit, found int
			more         bool
		}{{1, 1, true}, {100, 1, false}, {100, 0, false}} {
			if n, more, err := f.DB.ProposeMerges(f.Context, want.limit); err != nil || n != want.found || more != want.more {
				t.Fatalf("run %d: %d proposals, more %v, %v", i, n, more, err)
			}
		}
		got, err := f.DB.FindMergeProposals(f.Context, f.Actors["dispatcher"], []int64{a.ID, b.ID, c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[b.ID] == nil || got[b.ID].SimilarID != a.ID || got[b.ID].Number != a.Number || got[a.ID].SimilarID != b.ID ||
			got[b.ID].Similarity < dedup.Threshold {
			t.Fatalf("proposals: %+v", got)
		}
		// Merged: the proposal pointing at it is no longer shown.
		f.Do(t, "dispatcher", a.ID, hotline.Command{Action: hotline.ActionMerge, IntoID: c.ID})
		if got, _ = f.DB.FindMergeProposals(f.Context, f.Actors["dispatcher"], []int64{b.ID}); len(got) != 0 {
			t.Errorf("a proposal to a merged ticket: %+v", got[b.ID])
		}
		if _, err := f.DB.FindMergeProposals(f.Context, f.Actors["water"], []int64{b.ID}); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("unit: %v", err)
		}
	})
}

// appeal accepts and submits an anonymous phone complaint in the district
// unit.
func (f *fixture) appeal(t *testing.T, title, content string, unit int64) *hotline.Ticket {
	t.Helper()
	tk := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
		Title: title, Content: content, Requester: hotline.Requester{Anonymous: true},
		Location: hotline.Location{Address: "安源区", UnitID: unit}}
	if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], tk, true); err != nil {
		t.Fatal(err)
	}
	return tk
}

// Words in every appeal count less: in a hotline where every ticket is
// about water cuts in some compound, two appeals that share only 小区停水
// are not proposed (plain cosine would make them 0.7 alike), while the
// same place is.
func TestSimilarTicketsWeighCommonWords(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		anyuan := f.Units["px-anyuan"].ID
		var same *hotline.Ticket
		for _, place := range []string{"金鱼巷", "八一路", "建设路", "跃进路", "昭萍路", "滨河路", "公园路", "秋收路", "凤凰街", "武功山"} {
			tk := f.appeal(t, place+"小区停水问题反映", place+"小区停水问题反映", 0)
			if place == "凤凰街" {
				same = tk
			}
		}
		if err := f.DB.IndexTickets(f.Context, nil); err != nil {
			t.Fatal(err)
		}
		got, err := f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], sqldb.SimilarQuery{Title: "凤凰街小区停水问题反映", Content: "凤凰街小区停水问题反映", LocationUnitID: anyuan}, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != same.ID {
			for _, s := range got {
				t.Logf("%s %.3f", s.Title, s.Similarity)
			}
			t.Fatalf("%d similar tickets, want only the one at 凤凰街", len(got))
		}
	})
}

// The same address with a problem of another class (食品安全 beside 供水)
// is not the same appeal: the malus takes it below the threshold, while
// the same text without a category, or with one of the same class, is
// proposed.
func TestSimilarTicketsOtherClass(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		anyuan := f.Units["px-anyuan"].ID
		if _, err := f.DB.ImportCategories(f.Context, sqldb.SystemActor, [][]string{{"市场监管", "食品安全", "餐饮卫生"}}); err != nil {
			t.Fatal(err)
		}
		cats, err := f.DB.FindCategories(f.Context)
		if err != nil {
			t.Fatal(err)
		}
		var food int64
		for _, c := range cats {
			if c.Path == "市场监管/食品安全/餐饮卫生" {
				food = c.ID
			}
		}
		water := f.appeal(t, "凤凰街88号停水", "安源区凤凰街88号附近停水两天，自来水公司没有提前通知，家里老人做饭都成问题，严重影响周边居民生活", anyuan)
		if err := f.DB.IndexTickets(f.Context, nil); err != nil {
			t.Fatal(err)
		}
		q := sqldb.SimilarQuery{Title: "餐馆卫生差", Content: "安源区凤凰街88号附近餐馆后厨脏乱，严重影响周边居民生活", LocationUnitID: anyuan}
		find := func(cat int64) []*sqldb.SimilarTicket {
			q.CategoryID = cat
			got, err := f.DB.FindSimilarTickets(f.Context, f.Actors["dispatcher"], q, 5)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := find(0); len(got) != 1 || got[0].ID != water.ID || got[0].Similarity >= dedup.Threshold+0.1 {
			for _, s := range got {
				t.Logf("%s %.3f", s.Title, s.Similarity)
			}
			t.Fatalf("no category: want the water ticket just above the threshold, got %d", len(got))
		}
		if got := find(f.Cat.ID); len(got) != 1 {
			t.Errorf("a category of the same class: %d proposals", len(got))
		}
		if got := find(food); len(got) != 0 {
			t.Errorf("a category of another class: proposed at %.3f", got[0].Similarity)
		}
	})
}
