package sqldb_test

import (
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

// historyTicket is a water complaint accepted at at, with a whole life:
// dispatch, acknowledgement, reply, review and callback.
func historyTicket(f *fixture, at time.Time, replyAfter time.Duration) sqldb.HistoryTicket {
	t := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID,
		Urgency: hotline.Normal, Title: "小区停水三天", Content: "安源区凤凰街小区停水三天无人处理",
		Requester: hotline.Requester{Name: "李四", Phone: "13800005678", Address: "凤凰街1号"},
		Location:  hotline.Location{Address: "安源区凤凰街", UnitID: f.Units["px-anyuan"].ID}}
	h := sqldb.HistoryTicket{Ticket: t, Actor: f.Actors["agent"], At: at, Submit: true}
	clock := at
	for _, s := range []struct {
		after time.Duration
		who   string
		cmd   hotline.Command
	}{
		{30 * time.Minute, "dispatcher", hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID}},
		{time.Hour, "water", hotline.Command{Action: hotline.ActionAcknowledge}},
		{replyAfter, "water", hotline.Command{Action: hotline.ActionReply, Content: "已恢复供水"}},
		{time.Hour, "dispatcher", hotline.Command{Action: hotline.ActionReview, Approve: yes(), Comment: "同意办结"}},
		{5 * time.Hour, "callback", hotline.Command{Action: hotline.ActionCallback, Reached: yes(), Rating: hotline.Satisfied, Resolved: yes()}},
	} {
		clock = clock.Add(s.after)
		h.Steps = append(h.Steps, sqldb.HistoryStep{At: clock, Actor: f.Actors[s.who], Command: s.cmd})
	}
	return h
}

func BenchmarkReplayHistory(b *testing.B) {
	f := MustFixture(b, "sqlite")
	at := f.Clock.Now().AddDate(0, 0, -60)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		batch := make([]sqldb.HistoryTicket, 100)
		for j := range batch {
			batch[j] = historyTicket(f, at.Add(time.Duration(j)*time.Minute), 20*time.Hour)
		}
		if refused, err := f.DB.ReplayHistory(f.Context, batch); err != nil || len(refused) > 0 {
			b.Fatal(err, refused)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*100), "µs/ticket")
}
