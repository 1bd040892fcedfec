package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

// counts is what an intake writes: tickets, their events, audit entries,
// article links and dispatch records.
func counts(t *testing.T, f *fixture) string {
	t.Helper()
	raw := rawDB(t, f)
	var out string
	for _, table := range []string{"tickets", "events", "audit_log", "kb_ticket_links", "dispatch_suggestions"} {
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%s=%d ", table, n)
	}
	return out
}

// TestIntake_AllOrNothing: an intake whose last step fails (concluding a
// complaint on the call, which only a consultation may be) leaves no
// ticket, event, audit entry or article link behind; the same intake of a
// consultation is accepted, linked and concluded in one go.
func TestIntake_AllOrNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		art := f.publishArticle(t, &hotline.Article{Title: "停水怎么办", Body: "拨打水务热线。", Answer: "请拨打水务热线。"})
		newTicket := func(kind hotline.AppealKind) *hotline.Ticket {
			return &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: kind, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
				Title: "停水", Content: "凤凰街停水", Requester: hotline.Requester{Name: "王五", Phone: "13912345678"}, Location: hotline.Location{Address: "安源区"}}
		}
		before := counts(t, f)
		err := f.DB.Intake(f.Context, f.Actors["agent"], sqldb.IntakeRequest{Ticket: newTicket(hotline.Complaint), Mode: sqldb.IntakeResolve,
			Answer: "请拨打水务热线。", ArticleID: art.ID})
		if hotline.ErrorField(err) != "appeal_kind" {
			t.Fatalf("resolving a complaint on the call: %v", err)
		}
		if after := counts(t, f); after != before {
			t.Errorf("a failed intake left rows behind:\nbefore %s\nafter  %s", before, after)
		}
		if err := f.DB.Intake(f.Context, f.Actors["agent"], sqldb.IntakeRequest{Ticket: newTicket(hotline.Consult), Mode: sqldb.IntakeSubmit,
			ArticleID: 99999}); hotline.ErrorField(err) != "kb_article_id" {
			t.Errorf("a missing article: %v", err)
		}
		if after := counts(t, f); after != before {
			t.Errorf("an intake with a missing article left rows behind:\n%s\n%s", before, after)
		}
		tk := newTicket(hotline.Consult)
		if err := f.DB.Intake(f.Context, f.Actors["agent"], sqldb.IntakeRequest{Ticket: tk, Mode: sqldb.IntakeResolve,
			Answer: "请拨打水务热线。", ArticleID: art.ID}); err != nil {
			t.Fatal(err)
		}
		if tk.Status != hotline.StatusConcluded || !tk.ResolvedOnCall || tk.Requester.Phone != "139****5678" {
			t.Errorf("resolved on the call: %s, resolved %v, phone %q", tk.Status, tk.ResolvedOnCall, tk.Requester.Phone)
		}
		if links, _ := f.DB.TicketArticles(f.Context, tk.ID); len(links) != 1 || links[0] != art.ID {
			t.Errorf("article links %v", links)
		}
		// Taken on a call: linked in the same transaction; an unknown call
		// stores nothing.
		at := f.Clock.Now().Add(-5 * time.Minute)
		if _, err := f.DB.IngestCallEvents(f.Context, "test", []hotline.CallEvent{{CallID: "k1", Event: hotline.CallOffered, At: at, Caller: "13912345678"},
			{CallID: "k1", Event: hotline.CallAnswered, At: at.Add(9 * time.Second), Agent: "agent"}}); err != nil {
			t.Fatal(err)
		}
		before = counts(t, f)
		if err := f.DB.Intake(f.Context, f.Actors["agent"], sqldb.IntakeRequest{Ticket: newTicket(hotline.Help), Mode: sqldb.IntakeSubmit,
			CallID: "k2"}); hotline.ErrorField(err) != "call_id" {
			t.Errorf("an unknown call: %v", err)
		}
		if after := counts(t, f); after != before {
			t.Errorf("an intake on an unknown call left rows behind:\n%s\n%s", before, after)
		}
		onCall := newTicket(hotline.Help)
		if err := f.DB.Intake(f.Context, f.Actors["agent"], sqldb.IntakeRequest{Ticket: onCall, Mode: sqldb.IntakeSubmit, CallID: "k1"}); err != nil {
			t.Fatal(err)
		}
		got, err := f.DB.FindTicketByID(f.Context, f.Actors["lead"], onCall.ID)
		if err != nil || len(got.Calls) != 1 || got.Calls[0].CallID != "k1" || got.Calls[0].Outcome != hotline.CallTalking {
			t.Errorf("the ticket taken on call k1: %+v (%v)", got.Calls, err)
		}
	})
}

// TestIntake_AutoDispatch: with automatic dispatch on, a sure guess that
// the catalogue does not contradict dispatches the submitted ticket in the
// intake's transaction, recorded beside the suggestion; an unsure one
// leaves it for a dispatcher.
func TestIntake_AutoDispatch(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		water := f.Units["px-water"].ID
		if err := f.DB.SetAutoDispatchThreshold(f.Context, f.Actors["admin"], 0.9); err != nil {
			t.Fatal(err)
		}
		submit := func(prob float64) *hotline.Ticket {
			tk := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
				Title: "停水", Content: "凤凰街停水", Requester: hotline.Requester{Name: "王五", Phone: "13912345678"}, Location: hotline.Location{Address: "安源区"}}
			if err := f.DB.Intake(f.Context, f.Actors["agent"], sqldb.IntakeRequest{Ticket: tk, Mode: sqldb.IntakeSubmit,
				Guess: &hotline.UnitGuess{UnitID: water, Prob: prob}}); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		if tk := submit(0.95); tk.Status != hotline.StatusDispatched || tk.LeadUnitID != water {
			t.Errorf("sure guess: %s to %d", tk.Status, tk.LeadUnitID)
		}
		if tk := submit(0.5); tk.Status != hotline.StatusPendingDispatch {
			t.Errorf("unsure guess: %s", tk.Status)
		}
		var n int
		rawDB(t, f).QueryRow(`SELECT COUNT(*) FROM dispatch_suggestions WHERE final_unit_id = $1`, water).Scan(&n)
		if n != 1 {
			t.Errorf("%d dispatch records", n)
		}
	})
}

// TestTicket_ArchiveQueue: after the callback a ticket waits in 待归档,
// unless the caller was unsatisfied (it waits for a reopening or a team
// lead's decision instead); archived, it leaves the queue.
func TestTicket_ArchiveQueue(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		yes := true
		conclude := func(rating hotline.Rating) *hotline.Ticket {
			tk := f.NewTicket(t, "13912345678", true)
			f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
			f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionAcknowledge})
			f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionReply, Content: "已修复"})
			f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionReview, Approve: &yes})
			return f.Do(t, "callback", tk.ID, hotline.Command{Action: hotline.ActionCallback, Reached: &yes, Rating: rating, Resolved: &yes})
		}
		happy, unhappy := conclude(hotline.Satisfied), conclude(hotline.Unsatisfied)
		queue := func() []int64 {
			items, _, err := f.DB.FindTickets(f.Context, f.Actors["callback"], sqldb.TicketFilter{Archivable: true})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		if got := queue(); len(got) != 1 || got[0] != happy.ID {
			t.Errorf("待归档 holds %v, want only %d (not the unsatisfied %d)", got, happy.ID, unhappy.ID)
		}
		f.Do(t, "callback", happy.ID, hotline.Command{Action: hotline.ActionArchive})
		if got := queue(); len(got) != 0 {
			t.Errorf("after archiving, 待归档 holds %v", got)
		}
	})
}

// TestTicket_MergeByNumber: a dispatcher merges a duplicate into the main
// ticket named by its number (as on the ticket page), and an unknown
// number is a 400 naming into_number.
func TestTicket_MergeByNumber(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		main := f.NewTicket(t, "13912345678", true)
		dup := f.NewTicket(t, "13912345678", true)
		if _, err := f.DB.ApplyAction(f.Context, f.Actors["dispatcher"], dup.ID, hotline.Command{Action: hotline.ActionMerge, IntoNumber: "PX00000000000000"}); hotline.ErrorField(err) != "into_number" {
			t.Errorf("unknown number: %v", err)
		}
		got := f.Do(t, "dispatcher", dup.ID, hotline.Command{Action: hotline.ActionMerge, IntoNumber: " " + strings.ToLower(main.Number) + " "})
		if got.Status != hotline.StatusMerged || got.MergedInto != main.ID {
			t.Errorf("merged by number: %s into %d", got.Status, got.MergedInto)
		}
	})
}

// TestTicket_AssignHandler: the lead unit names one of its own staff as
// the ticket's handler (经办人); another unit's user, or a unit user on
// someone else's ticket, is refused; the unit's lists filter mine and
// unassigned.
func TestTicket_AssignHandler(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		li := &hotline.User{Username: "water-li", DisplayName: "李娜", Role: hotline.RoleUnit, UnitID: f.Units["px-water"].ID}
		if err := f.DB.CreateUser(f.Context, sqldb.SystemActor, li, "hotline12345"); err != nil {
			t.Fatal(err)
		}
		tk := f.NewTicket(t, "13912345678", true)
		other := f.NewTicket(t, "13912345679", true)
		for _, x := range []*hotline.Ticket{tk, other} {
			f.Do(t, "dispatcher", x.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		}
		if _, err := f.DB.ApplyAction(f.Context, f.Actors["water"], tk.ID, hotline.Command{Action: hotline.ActionAssign, UserID: f.Actors["power"].UserID}); hotline.ErrorField(err) != "user_id" {
			t.Errorf("another unit's user as handler: %v", err)
		}
		if _, err := f.DB.ApplyAction(f.Context, f.Actors["power"], tk.ID, hotline.Command{Action: hotline.ActionAssign, UserID: li.ID}); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("another unit assigns: %v", err)
		}
		got := f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionAssign, UserID: li.ID})
		if got.HandlerID != li.ID || got.Events[len(got.Events)-1].Action != hotline.ActionAssign {
			t.Errorf("assigned: handler %d, last event %s", got.HandlerID, got.Events[len(got.Events)-1].Action)
		}
		liActor := hotline.ActorOf(li)
		mine, _, _ := f.DB.FindTickets(f.Context, liActor, sqldb.TicketFilter{HandlerID: li.ID})
		free, _, _ := f.DB.FindTickets(f.Context, liActor, sqldb.TicketFilter{Unassigned: true})
		if len(mine) != 1 || mine[0].ID != tk.ID || len(free) != 1 || free[0].ID != other.ID {
			t.Errorf("mine %d, unassigned %d", len(mine), len(free))
		}
		// She acts in her own name on it.
		ack := f.DB
		if done, err := ack.ApplyAction(f.Context, liActor, tk.ID, hotline.Command{Action: hotline.ActionAcknowledge}); err != nil || done.Events[len(done.Events)-1].ActorName != "李娜" {
			t.Errorf("the handler acknowledges: %v", err)
		}
	})
}
