package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

func countTickets(t *testing.T, f *fixture) int {
	t.Helper()
	var n int
	rawDB(t, f).QueryRow(`SELECT COUNT(*) FROM tickets`).Scan(&n)
	return n
}

// TestPortal_Appeal: a citizen's code (not twice within a minute), a
// wrong code refused and counted, a bad field refused without spending
// the code, the appeal filed in 待提交 on the web channel by the portal's
// account, the code spent; the citizen finds it by number and phone with
// a query code (another phone does not), sees the public steps, rates it
// once concluded (a callback result), not twice; the daily limits.
func TestPortal_Appeal(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, p := f.Context, f.DB.Portal()
		const phone = "13907990001"
		if _, err := p.IssueCode(ctx, "12345", sqldb.CodeSubmit); hotline.ErrorField(err) != "phone" {
			t.Errorf("a short phone: %v", err)
		}
		code, err := p.IssueCode(ctx, phone, sqldb.CodeSubmit)
		if err != nil || len(code) != 6 {
			t.Fatalf("code %q, %v", code, err)
		}
		if _, err := p.IssueCode(ctx, phone, sqldb.CodeSubmit); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Errorf("a second code within the minute: %v", err)
		}
		appeal := sqldb.PortalAppeal{Kind: hotline.Complaint, CategoryID: f.Cat.ID, Title: "小区路灯不亮", Content: "金典城小区东门路灯坏了一个月，晚上出行不便。",
			Place: "安源区金典城小区东门", Name: "李四", Phone: phone, Code: "000000"}
		if code == "000000" {
			appeal.Code = "111111"
		}
		before := countTickets(t, f)
		if _, err := p.SubmitAppeal(ctx, appeal); hotline.ErrorField(err) != "code" {
			t.Fatalf("a wrong code: %v", err)
		}
		empty := appeal
		empty.Code, empty.Content = code, " "
		if _, err := p.SubmitAppeal(ctx, empty); hotline.ErrorField(err) != "content" {
			t.Fatalf("no content: %v", err)
		}
		if n := countTickets(t, f); n != before {
			t.Fatalf("refused appeals stored %d tickets", n-before)
		}
		appeal.Code = code
		tk, err := p.SubmitAppeal(ctx, appeal)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Status != hotline.StatusAccepted || tk.Channel != hotline.ChannelWeb || tk.Number == "" {
			t.Fatalf("filed %+v", tk)
		}
		var owner string
		rawDB(t, f).QueryRow(`SELECT u.username FROM tickets t JOIN users u ON u.id = t.owner_id WHERE t.id = $1`, tk.ID).Scan(&owner)
		if owner != sqldb.PortalUser {
			t.Errorf("owner %q", owner)
		}
		if _, err := p.SubmitAppeal(ctx, appeal); hotline.ErrorField(err) != "code" {
			t.Errorf("the code used twice: %v", err)
		}

		// The citizen's view.
		f.Clock.Advance(2 * time.Minute)
		q, err := p.IssueCode(ctx, phone, sqldb.CodeQuery)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.FindPublicTicket(ctx, tk.Number, "13907990002", q); hotline.ErrorField(err) != "code" {
			t.Errorf("another phone's code: %v", err)
		}
		v, err := p.FindPublicTicket(ctx, tk.Number, phone, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Steps) != 1 || v.Steps[0].What != "诉求已受理" || v.CanRate {
			t.Fatalf("public view %+v", v)
		}
		f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionSubmit})
		f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionAcknowledge})
		f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionReply, Content: "已更换路灯灯泡，经办人王工"})
		yes := true
		f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionReview, Approve: &yes})
		v, err = p.ViewPublicTicket(ctx, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, s := range v.Steps {
			steps = append(steps, s.What)
		}
		if !v.CanRate || v.Reply == "" || !strings.Contains(strings.Join(steps, ","), "已派发承办单位") {
			t.Fatalf("concluded view %+v", v)
		}
		for _, s := range steps {
			if strings.Contains(s, f.Actors["water"].Name) || strings.Contains(s, f.Actors["dispatcher"].Name) {
				t.Errorf("a staff name in the public step %q", s)
			}
		}
		rated, err := p.RateAsCitizen(ctx, v.ID, hotline.BasicallySatisfied, "网上")
		if err != nil || !rated.CallbackDone || rated.Rating != hotline.BasicallySatisfied {
			t.Fatalf("rated %+v, %v", rated, err)
		}
		if _, err := p.RateAsCitizen(ctx, v.ID, hotline.Satisfied, "网上"); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("rated twice: %v", err)
		}
		tok := p.ViewToken(tk.Number, f.Clock.Now().Add(time.Hour))
		if !p.CheckViewToken(tok, tk.Number) || p.CheckViewToken(tok, tk.Number+"1") || p.CheckViewToken(tok+"0", tk.Number) {
			t.Error("view token")
		}
		f.Clock.Advance(2 * time.Hour)
		if p.CheckViewToken(tok, tk.Number) {
			t.Error("an expired view token")
		}

		// Limits: appeals per phone per day, messages per phone per day,
		// and wrong codes spend a code.
		p.Limits.AppealsPerDay = 1
		c2, err := p.IssueCode(ctx, phone, sqldb.CodeSubmit)
		if err != nil {
			t.Fatal(err)
		}
		appeal.Code = c2
		if _, err := p.SubmitAppeal(ctx, appeal); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Errorf("a second appeal the same day: %v", err)
		}
		other := "13907990003"
		for i := 0; i < p.Limits.SMSPerDay; i++ {
			if err := p.RecordSMS(ctx, other, "receipt", "r", 0, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := p.IssueCode(ctx, other, sqldb.CodeQuery); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Errorf("a message beyond the day's limit: %v", err)
		}
		third := "13907990004"
		c3, _ := p.IssueCode(ctx, third, sqldb.CodeQuery)
		for i := 0; i < p.Limits.CodeAttempts; i++ {
			p.FindPublicTicket(ctx, tk.Number, third, "999999x")
		}
		if _, err := p.FindPublicTicket(ctx, tk.Number, third, c3); hotline.ErrorField(err) != "code" || !strings.Contains(err.Error(), "失效") {
			t.Errorf("a code after %d wrong tries: %v", p.Limits.CodeAttempts, err)
		}
		var logged int
		rawDB(t, f).QueryRow(`SELECT COUNT(*) FROM sms_messages WHERE phone_masked LIKE '139****%'`).Scan(&logged)
		var plain int
		rawDB(t, f).QueryRow(`SELECT COUNT(*) FROM sms_messages WHERE phone_masked LIKE '%7990003%' OR phone_index LIKE '%7990003%'`).Scan(&plain)
		if logged != p.Limits.SMSPerDay || plain != 0 {
			t.Errorf("sms log: %d masked, %d with the number", logged, plain)
		}
	})
}
