package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"hotline"
	"hotline/jobs"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// Tickets are not indexed in the acceptance transaction: the indexer job
// picks up each acceptance and makes the ticket searchable a moment
// later, through the API's q= search.
func TestAPI_TicketSearchFollowsAcceptance(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) {
			e := MustServerOn(t, d)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// A long interval: only the announcement of the acceptance can
			// trigger the pass that the test waits for.
			passes := make(chan struct{}, 100)
			ix := &jobs.TicketIndexer{DB: e.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Delay: 50 * time.Millisecond, Interval: time.Hour,
				AfterPass: func() { passes <- struct{}{} }}
			go ix.Run(ctx)
			search := func(q string) []int64 {
				var list struct{ Items []hotline.Ticket }
				e.call("lead", "GET", "/api/v1/tickets?q="+url.QueryEscape(q), nil, 200, &list)
				var ids []int64
				for _, it := range list.Items {
					ids = append(ids, it.ID)
				}
				return ids
			}
			<-passes // the first pass (nothing to do) is over: only the acceptance's announcement can index the ticket
			tk := e.newTicket(map[string]any{"title": "工地夜间施工噪音扰民", "content": "楼下工地每晚十一点后还在打桩"})
			var got []int64
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if got = search("噪声 打桩"); len(got) > 0 {
					break
				}
			}
			if len(got) != 1 || got[0] != tk.ID {
				t.Fatalf("the new ticket is not found by search within 10 s: %v", got)
			}
			if got := search("停水"); len(got) != 0 {
				t.Errorf("unrelated search: %v", got)
			}
			// Once the calls pause, the job proposes the merge of a
			// second appeal about the same thing.
			dup := e.newTicket(map[string]any{"title": "工地夜间施工噪音扰民", "content": "楼下工地每晚十一点以后还在打桩，太吵了", "submit": true})
			ids := []int64{dup.ID}
			var props map[int64]*sqldb.MergeProposal
			for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				var err error
				if props, err = e.db.FindMergeProposals(ctx, hotline.Actor{Role: hotline.RoleDispatcher}, ids); err != nil {
					t.Fatal(err)
				}
				if props[dup.ID] != nil {
					break
				}
			}
			if p := props[dup.ID]; p == nil || p.SimilarID != tk.ID {
				t.Fatalf("no merge proposal from the indexer job within 15 s: %+v", p)
			}
		})
	}
}
