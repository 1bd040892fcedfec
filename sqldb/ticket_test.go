package sqldb_test

import (
	"regexp"
	"sync"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

func yes() *bool { b := true; return &b }

func TestTicket_WholeLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		tk := f.NewTicket(t, "138-0000-5678", false)
		if !regexp.MustCompile(`^PX20261123\d{6}$`).MatchString(tk.Number) {
			t.Errorf("number %q", tk.Number)
		}
		water := f.Units["px-water"].ID
		steps := []struct {
			who  string
			cmd  hotline.Command
			want hotline.Status
		}{
			{"agent", hotline.Command{Action: hotline.ActionSubmit}, hotline.StatusPendingDispatch},
			{"dispatcher", hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: water, CoUnitIDs: []int64{f.Units["px-anyuan"].ID}}, hotline.StatusDispatched},
			{"water", hotline.Command{Action: hotline.ActionAcknowledge}, hotline.StatusHandling},
			{"water", hotline.Command{Action: hotline.ActionRequestExtension, Reason: "管网抢修", WorkingDays: 3}, hotline.StatusHandling},
			{"dispatcher", hotline.Command{Action: hotline.ActionApproveExtension, Comment: "同意"}, hotline.StatusHandling},
			{"lead", hotline.Command{Action: hotline.ActionSupervise, Note: "请加快处理"}, hotline.StatusHandling},
			{"lead", hotline.Command{Action: hotline.ActionUrge, Content: "今日内回复"}, hotline.StatusHandling},
			{"water", hotline.Command{Action: hotline.ActionReply, Content: "已恢复供水"}, hotline.StatusReplied},
			{"dispatcher", hotline.Command{Action: hotline.ActionReview, Approve: yes(), Comment: "同意办结"}, hotline.StatusConcluded},
			{"callback", hotline.Command{Action: hotline.ActionCallback, Reached: yes(), Rating: hotline.Satisfied, Resolved: yes()}, hotline.StatusConcluded},
			{"callback", hotline.Command{Action: hotline.ActionArchive}, hotline.StatusArchived},
		}
		for _, s := range steps {
			f.Clock.Advance(10 * time.Minute)
			got := f.Do(t, s.who, tk.ID, s.cmd)
			if got.Status != s.want {
				t.Fatalf("%s: status %s, want %s", s.cmd.Action, got.Status, s.want)
			}
		}
		got, err := f.DB.FindTicketByID(f.Context, f.Actors["dispatcher"], tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Events) != len(steps)+1 {
			t.Fatalf("timeline has %d events, want %d", len(got.Events), len(steps)+1)
		}
		for i, ev := range got.Events[1:] {
			s := steps[i]
			if ev.Action != s.cmd.Action || ev.ActorID != f.Actors[s.who].UserID || ev.ToStatus != s.want || ev.CreatedAt.IsZero() {
				t.Errorf("event %d = %+v, want %s by %s", i+1, ev, s.cmd.Action, s.who)
			}
		}
		if got.Rating != hotline.Satisfied || got.Resolved == nil || !*got.Resolved || got.ArchivedAt == nil {
			t.Errorf("archived ticket %+v", got)
		}
		sv, err := f.DB.FindSupervisions(f.Context, f.Actors["lead"], tk.ID)
		if err != nil || len(sv) != 1 || sv[0].Source != "manual" {
			t.Errorf("supervisions %v %v", sv, err)
		}
	})
}

func TestTicket_UnitIsolation(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		tk := f.NewTicket(t, "13800000001", true)
		f.NewTicket(t, "13800000002", true) // never dispatched to anyone
		f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		if _, err := f.DB.FindTicketByID(f.Context, f.Actors["power"], tk.ID); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("power read water's ticket: %v", err)
		}
		if _, err := f.DB.ApplyAction(f.Context, f.Actors["power"], tk.ID, hotline.Command{Action: hotline.ActionAcknowledge}); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("power acknowledged water's ticket: %v", err)
		}
		items, total, err := f.DB.FindTickets(f.Context, f.Actors["power"], sqldb.TicketFilter{})
		if err != nil || total != 0 || len(items) != 0 {
			t.Errorf("power lists %d (%v)", total, err)
		}
		items, total, err = f.DB.FindTickets(f.Context, f.Actors["water"], sqldb.TicketFilter{})
		if err != nil || total != 1 || items[0].ID != tk.ID {
			t.Errorf("water lists %d (%v)", total, err)
		}
		_, total, _ = f.DB.FindTickets(f.Context, f.Actors["dispatcher"], sqldb.TicketFilter{})
		if total != 2 {
			t.Errorf("centre lists %d, want 2", total)
		}
		got, _ := f.DB.FindTicketByID(f.Context, f.Actors["dispatcher"], tk.ID)
		if got.Status != hotline.StatusDispatched || len(got.Events) != 3 {
			t.Errorf("refused actions changed the ticket: %s, %d events", got.Status, len(got.Events))
		}
	})
}

func TestTicket_RefusalsChangeNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		tk := f.NewTicket(t, "13800000001", true)
		for _, tt := range []struct {
			who   string
			cmd   hotline.Command
			code  string
			field string
		}{
			{"water", hotline.Command{Action: hotline.ActionReply, Content: "x"}, hotline.ENotFound, ""},
			{"callback", hotline.Command{Action: hotline.ActionArchive}, hotline.EConflict, ""},
			{"agent", hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 1}, hotline.EForbidden, ""},
			{"dispatcher", hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: 99999}, hotline.EInvalid, "lead_unit_id"},
			{"dispatcher", hotline.Command{Action: hotline.ActionDispatch}, hotline.EInvalid, "lead_unit_id"},
			{"dispatcher", hotline.Command{Action: hotline.ActionMerge, IntoID: 99999}, hotline.EInvalid, "into_id"},
			{"dispatcher", hotline.Command{Action: hotline.ActionCancel}, hotline.EInvalid, "reason"},
		} {
			_, err := f.DB.ApplyAction(f.Context, f.Actors[tt.who], tk.ID, tt.cmd)
			if hotline.ErrorCode(err) != tt.code || hotline.ErrorField(err) != tt.field {
				t.Errorf("%s by %s: %v, want %s %s", tt.cmd.Action, tt.who, err, tt.code, tt.field)
			}
		}
		got, _ := f.DB.FindTicketByID(f.Context, f.Actors["dispatcher"], tk.ID)
		if got.Status != hotline.StatusPendingDispatch || len(got.Events) != 2 || got.LeadUnitID != 0 {
			t.Errorf("refused actions changed the ticket: %s, %d events, lead %d", got.Status, len(got.Events), got.LeadUnitID)
		}
		_, err := f.DB.ApplyAction(f.Context, f.Actors["callback"], tk.ID, hotline.Command{Action: hotline.ActionArchive})
		if msg := hotline.ErrorMessage(err); msg != "工单当前状态为“待派单”，不能归档" {
			t.Errorf("message %q", msg)
		}
	})
}

func TestTicket_MergeAndCallerHistory(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		main := f.NewTicket(t, "13900001111", true)
		dup := f.NewTicket(t, "+86 139 0000 1111", true)
		other := f.NewTicket(t, "13700000000", true)
		got := f.Do(t, "dispatcher", dup.ID, hotline.Command{Action: hotline.ActionMerge, IntoID: main.ID})
		if got.Status != hotline.StatusMerged || got.MergedInto != main.ID {
			t.Errorf("merged ticket %s into %d", got.Status, got.MergedInto)
		}
		m, _ := f.DB.FindTicketByID(f.Context, f.Actors["dispatcher"], main.ID)
		last := m.Events[len(m.Events)-1]
		if last.Action != hotline.ActionMergedFrom || last.Payload["number"] != dup.Number {
			t.Errorf("main ticket's last event %+v", last)
		}
		if _, err := f.DB.ApplyAction(f.Context, f.Actors["dispatcher"], other.ID, hotline.Command{Action: hotline.ActionMerge, IntoID: dup.ID}); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("merge into a merged ticket: %v", err)
		}
		h, err := f.DB.LookUpCaller(f.Context, f.Actors["agent"], "139 0000 1111")
		if err != nil || h.Total != 2 || h.Tickets[0].ID != dup.ID {
			t.Errorf("caller history: %+v (%v)", h, err)
		}
	})
}

func TestTicket_CalendarEditMovesNewDeadlines(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		// Monday 2026-11-23: 1 working day to acknowledge ends Tuesday 17:30.
		// Declaring Tuesday a holiday moves it to Wednesday.
		if err := f.DB.SetCalendarDay(f.Context, f.Actors["admin"], hotline.CalendarDay{Day: "2026-11-24", Kind: hotline.DayHoliday, Name: "测试"}); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.SetCalendarDay(f.Context, f.Actors["agent"], hotline.CalendarDay{Day: "2026-11-25", Kind: hotline.DayHoliday}); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("agent edited the calendar: %v", err)
		}
		tk := f.NewTicket(t, "13800000001", true)
		got := f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		want := time.Date(2026, 11, 25, 17, 30, 0, 0, hotline.ChinaZone)
		if !got.AckDueAt.Equal(want) {
			t.Errorf("acknowledge due %v, want %v", got.AckDueAt.In(hotline.ChinaZone), want)
		}
	})
}

func TestSweep_WarningAndOverdueOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		tk := f.NewTicket(t, "13800000001", true)
		idle := f.NewTicket(t, "13800000002", true) // never dispatched: no deadline
		f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		// Acknowledge due Tue 17:30 after dispatch Mon 09:00: 15.5 office hours;
		// warning with 20% left, i.e. Tue 14:26.
		sweep := func(wantWarned, wantOverdue int) {
			t.Helper()
			res, err := f.DB.Sweep(f.Context)
			if err != nil {
				t.Fatal(err)
			}
			if res.Warned != wantWarned || res.Overdue != wantOverdue {
				t.Fatalf("sweep at %v = %+v, want warned %d overdue %d", f.Clock.Now(), res, wantWarned, wantOverdue)
			}
		}
		sweep(0, 0)
		f.Clock.Advance(29 * time.Hour) // Tue 14:00
		sweep(0, 0)
		f.Clock.Advance(time.Hour) // Tue 15:00
		sweep(1, 0)
		sweep(0, 0)
		f.Clock.Advance(3 * time.Hour) // Tue 18:00
		sweep(0, 1)
		sweep(0, 0)
		got, _ := f.DB.FindTicketByID(f.Context, f.Actors["lead"], tk.ID)
		if got.SLAState != "overdue" {
			t.Errorf("sla state %q", got.SLAState)
		}
		sv, _ := f.DB.FindSupervisions(f.Context, f.Actors["lead"], tk.ID)
		if len(sv) != 2 || sv[0].Source != "warning" || sv[1].Source != "overdue" || sv[1].UnitID != f.Units["px-water"].ID {
			t.Errorf("supervisions %+v", sv)
		}
		_, overdue, _ := f.DB.FindTickets(f.Context, f.Actors["lead"], sqldb.TicketFilter{Overdue: yes()})
		if overdue != 1 {
			t.Errorf("overdue filter finds %d", overdue)
		}
		// Acknowledging sets a new deadline (reply) with a clean state.
		got = f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionAcknowledge})
		if got.SLAState != "ok" || got.NextDueKind != "reply" {
			t.Errorf("after acknowledge: %s %s", got.SLAState, got.NextDueKind)
		}
		if idle, _ := f.DB.FindTicketByID(f.Context, f.Actors["lead"], idle.ID); len(idle.Events) != 2 {
			t.Errorf("undispatched ticket was swept: %d events", len(idle.Events))
		}
	})
}

// TestSweep_Race runs two sweepers, each with its own connection pool as
// two server instances would have, against one database.
func TestSweep_Race(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		const n = 60
		for i := 0; i < n; i++ {
			tk := f.NewTicket(t, "13800000001", true)
			f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		}
		f.Clock.Advance(30 * 24 * time.Hour)
		other := MustOpenDB(t, f.DSN, f.Clock)
		var wg sync.WaitGroup
		results := make([]sqldb.SweepResult, 4)
		for i, db := range []*sqldb.DB{f.DB, other, f.DB, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := db.Sweep(f.Context)
				if err != nil {
					t.Error(err)
				}
				results[i] = r
			}()
		}
		wg.Wait()
		var overdue int
		for _, r := range results {
			overdue += r.Overdue
		}
		if overdue != n {
			t.Errorf("sweepers marked %d overdue in all, want %d: %+v", overdue, n, results)
		}
		items, _, _ := f.DB.FindTickets(f.Context, f.Actors["lead"], sqldb.TicketFilter{PageSize: 200})
		for _, tk := range items {
			sv, _ := f.DB.FindSupervisions(f.Context, f.Actors["lead"], tk.ID)
			if len(sv) != 1 || sv[0].Source != "overdue" {
				t.Fatalf("ticket %d has supervisions %+v, want one overdue", tk.ID, sv)
			}
		}
	})
}
