package sqldb_test

import (
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

func TestTicketSearch(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		water := f.NewTicket(t, "13800000001", true) // 小区停水三天 / 安源区凤凰街小区停水三天无人处理
		noise := &hotline.Ticket{Channel: hotline.ChannelWeb, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
			Title: "工地夜间施工噪音扰民", Content: "楼下工地每晚十一点后还在打桩，噪声很大", Requester: hotline.Requester{Anonymous: true},
			Location: hotline.Location{Address: "湘东区"}}
		if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], noise, true); err != nil {
			t.Fatal(err)
		}
		find := func(who, q string, extra ...func(*sqldb.TicketFilter)) []int64 {
			t.Helper()
			fl := sqldb.TicketFilter{Q: q}
			for _, e := range extra {
				e(&fl)
			}
			items, total, err := f.DB.FindTickets(f.Context, f.Actors[who], fl)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			if total != len(ids) {
				t.Errorf("%q: total %d, %d items", q, total, len(ids))
			}
			return ids
		}
		// Acceptance does not index: the indexer job's pass does, a
		// moment later.
		if got := find("lead", "停水"); len(got) != 0 {
			t.Errorf("indexed at acceptance: %v", got)
		}
		if err := f.DB.IndexTickets(f.Context, nil); err != nil {
			t.Fatal(err)
		}
		// The index is written without waiting for the disk; the
		// tickets' own commits still wait (FULL).
		if n := f.DB.WriterSynchronous(); n != 2 && n != -1 {
			t.Errorf("after indexing the writer syncs at %d, not FULL", n)
		}
		same := func(got []int64, want ...int64) bool {
			if len(got) != len(want) {
				return false
			}
			for i := range got {
				if got[i] != want[i] {
					return false
				}
			}
			return true
		}
		for q, want := range map[string][]int64{
			"停水": {water.ID}, "噪声": {noise.ID}, "噪音": {noise.ID}, "断水": {water.ID}, // synonyms both ways
			"凤凰街 停水": {water.ID}, "凤凰街 噪音": nil, // every word must be there
			"怎么办": nil,
		} {
			if got := find("lead", q); !same(got, want...) {
				t.Errorf("%q: got %v, want %v", q, got, want)
			}
		}
		if got := find("lead", "停水", func(fl *sqldb.TicketFilter) { fl.Channel = hotline.ChannelWeb }); len(got) != 0 {
			t.Errorf("search with a channel filter: %v", got)
		}
		// A unit finds only its own tickets; the reply is searchable.
		f.Do(t, "dispatcher", water.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		if got := find("power", "停水"); len(got) != 0 {
			t.Errorf("power found water's ticket: %v", got)
		}
		f.Do(t, "water", water.ID, hotline.Command{Action: hotline.ActionAcknowledge})
		f.Do(t, "water", water.ID, hotline.Command{Action: hotline.ActionReply, Content: "已更换爆裂的主管道，恢复供水"})
		if got := find("water", "主管道"); !same(got, water.ID) {
			t.Errorf("reply not searchable: %v", got)
		}
		// Tickets written around the index (an old database) are found
		// after the indexing pass.
		sqldbtest.CopyTickets(t, f.DSN, noise.ID, 30, f.Clock.Now().Add(time.Hour))
		if got := find("lead", "打桩"); len(got) != 1 {
			t.Fatalf("before indexing: %v", got)
		}
		var last int
		if err := f.DB.IndexTickets(f.Context, func(done, total int) { last = done }); err != nil {
			t.Fatal(err)
		}
		if got := find("lead", "打桩", func(fl *sqldb.TicketFilter) { fl.PageSize = 100 }); len(got) != 31 || last == 0 {
			t.Errorf("after indexing: %d found, progress %d", len(got), last)
		}
		if err := f.DB.IndexTickets(f.Context, func(done, total int) { t.Errorf("a second pass indexed again: %d", done) }); err != nil {
			t.Fatal(err)
		}
		// A reply that lands between the pass reading a ticket and writing
		// the index is not overwritten by the text read before it.
		late := f.NewTicket(t, "13800000002", true)
		f.Do(t, "dispatcher", late.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		f.Do(t, "water", late.ID, hotline.Command{Action: hotline.ActionAcknowledge})
		f.DB.SetBeforeIndexWrite(func() {
			f.Do(t, "water", late.ID, hotline.Command{Action: hotline.ActionReply, Content: "已疏通阀门井，恢复正常"})
		})
		if err := f.DB.IndexTickets(f.Context, nil); err != nil {
			t.Fatal(err)
		}
		f.DB.SetBeforeIndexWrite(nil)
		if got := find("water", "阀门井"); !same(got, late.ID) {
			t.Errorf("a reply during the pass was lost from the index: %v", got)
		}
	})
}

// Searches listed newest first over more matches than the total counts:
// on PostgreSQL the search widens an id range from the newest tickets
// (started small here so that it widens several times); the pages must
// be exactly those of a plain sort.
func TestTicketSearchPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		defer f.DB.SetTicketWindow(16)()
		noise := &hotline.Ticket{Channel: hotline.ChannelWeb, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
			Title: "工地夜间施工噪音扰民", Content: "楼下工地每晚十一点后还在打桩", Requester: hotline.Requester{Anonymous: true},
			Location: hotline.Location{Address: "湘东区"}}
		if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], noise, true); err != nil {
			t.Fatal(err)
		}
		sqldbtest.CopyTickets(t, f.DSN, noise.ID, 1100, f.Clock.Now().Add(time.Hour))
		other := f.NewTicket(t, "13800000003", true) // newer, another subject
		if err := f.DB.IndexTickets(f.Context, nil); err != nil {
			t.Fatal(err)
		}
		// Every match, newest first.
		var want []int64
		for id := other.ID - 1; id >= noise.ID; id-- {
			want = append(want, id)
		}
		for _, page := range []int{1, 2, 50, 56} {
			items, total, err := f.DB.FindTickets(f.Context, f.Actors["lead"], sqldb.TicketFilter{Q: "打桩", Page: page, PageSize: 20})
			if err != nil {
				t.Fatal(err)
			}
			if total != sqldb.MaxTicketHits+1 {
				t.Errorf("page %d: total %d", page, total)
			}
			from := (page - 1) * 20
			exp := want[from:min(from+20, len(want))]
			if len(items) != len(exp) {
				t.Fatalf("page %d: %d items, want %d", page, len(items), len(exp))
			}
			for i, it := range items {
				if it.ID != exp[i] {
					t.Fatalf("page %d item %d: ticket %d, want %d", page, i, it.ID, exp[i])
				}
			}
		}
		if items, total, err := f.DB.FindTickets(f.Context, f.Actors["lead"], sqldb.TicketFilter{Q: "停水"}); err != nil || total != 1 || items[0].ID != other.ID {
			t.Errorf("a rare word: %d found, %v", total, err)
		}
	})
}
