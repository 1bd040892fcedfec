package sqldb_test

import (
	"encoding/json"
	"strings"
	"testing"

	"hotline"
	"hotline/sqldb"
)

// concludeTicket takes a ticket from intake to concluded with the reply.
func concludeTicket(t *testing.T, f *fixture, tk *hotline.Ticket, reply string) {
	t.Helper()
	yes := true
	f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
	f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionAcknowledge})
	f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionReply, Content: reply})
	f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionReview, Approve: &yes})
}

// TestDisclosure: a concluded ticket whose texts repeat its requester's
// name, phone and address is proposed, redacted; an edit that brings
// them back is redacted again; published by the centre with the approver
// recorded; the portal's list and page contain none of the requester's
// protected fields nor the ticket's number. A confidential ticket, an
// open one and a role without the right are refused.
func TestDisclosure(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, db := f.Context, f.DB
		lead := f.Actors["lead"]
		tk := &hotline.Ticket{Channel: hotline.ChannelWeb, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
			Title: "王建国反映凤凰街8号楼2单元301室停水", Content: "王建国（电话13907998888）反映家住凤凰街8号楼2单元301室，停水三天。王先生要求尽快恢复。",
			Requester: hotline.Requester{Name: "王建国", Phone: "13907998888", Address: "凤凰街8号楼2单元301室"}, Location: hotline.Location{Address: "安源区凤凰街"}}
		if err := db.CreateTicket(ctx, f.Actors["agent"], tk, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ProposeDisclosure(ctx, lead, tk.ID); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("an open ticket: %v", err)
		}
		concludeTicket(t, f, tk, "经核查为管道破裂，已于次日修复，已电话告知王建国（13907998888）。")
		if _, err := db.ProposeDisclosure(ctx, f.Actors["agent"], tk.ID); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("an agent proposed: %v", err)
		}
		d, err := db.ProposeDisclosure(ctx, lead, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != "draft" || d.Findings < 6 || !strings.Contains(d.Content, "停水三天") {
			t.Fatalf("draft %+v", d)
		}
		d, err = db.EditDisclosure(ctx, lead, d.ID, d.Title, d.Content+" 联系王建国 13907998888。", d.Reply)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.DecideDisclosure(ctx, lead, d.ID, true); err != nil {
			t.Fatal(err)
		}
		list, err := db.PublicDisclosures(ctx, "停水", 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("public list %d, %v", len(list), err)
		}
		one, err := db.PublicDisclosure(ctx, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal([]any{list, one})
		for _, secret := range []string{"王建国", "13907998888", "凤凰街8号楼2单元301室", "8号楼", "301室", "王先生", tk.Number} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("the published ticket holds %q: %s", secret, raw)
			}
		}
		if one.ApprovedName == "" || one.PublishedAt == nil || !strings.Contains(one.Reply, "管道破裂") {
			t.Errorf("published %+v", one)
		}
		secret := f.NewTicket(t, "13907997777", true)
		rawDB(t, f).Exec(`UPDATE tickets SET confidential = TRUE WHERE id = $1`, secret.ID)
		concludeTicket(t, f, secret, "已处理")
		if _, err := db.ProposeDisclosure(ctx, lead, secret.ID); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("a confidential ticket: %v", err)
		}
		if n := auditCount(t, f); n == 0 {
			t.Error("nothing audited")
		}
		var published int
		for _, x := range mustDisclosures(t, db, lead) {
			if x.Status == "published" {
				published++
			}
		}
		if published != 1 {
			t.Errorf("%d published", published)
		}
	})
}

func mustDisclosures(t *testing.T, db *sqldb.DB, a hotline.Actor) []*sqldb.Disclosure {
	t.Helper()
	out, err := db.Disclosures(t.Context(), a, "")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
