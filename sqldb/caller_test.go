package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
)

func TestCaller_LookupLimitsAndAlert(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		f.DB.LookupLimits = hotline.LookupLimits{PerMinute: 3, PerDay: 5, BurstDistinct: 4, BurstWindow: 10 * time.Minute}
		tk := f.NewTicket(t, "13912345678", true)
		agent := f.Actors["agent"]
		h, err := f.DB.LookUpCaller(f.Context, agent, "+86 139-1234-5678")
		if err != nil || h.Total != 1 || h.Tickets[0].ID != tk.ID {
			t.Fatalf("lookup: %+v, %v", h, err)
		}
		if p := h.Tickets[0].Requester.Phone; p != "139****5678" || h.Phone != "139****5678" {
			t.Errorf("history shows the phone as %q / %q, want it masked", p, h.Phone)
		}
		if _, err := f.DB.LookUpCaller(f.Context, agent, "12"); hotline.ErrorField(err) != "phone" {
			t.Errorf("a two-digit number: %v", err)
		}
		for _, who := range []string{"water", "admin"} {
			if _, err := f.DB.LookUpCaller(f.Context, f.Actors[who], "13912345678"); hotline.ErrorCode(err) != hotline.EForbidden {
				t.Errorf("%s looked a caller up: %v", who, err)
			}
		}
		f.DB.LookUpCaller(f.Context, agent, "13900000001")
		f.DB.LookUpCaller(f.Context, agent, "13900000002")
		if _, err := f.DB.LookUpCaller(f.Context, agent, "13900000003"); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Fatalf("fourth lookup in a minute: %v", err)
		}
		f.Clock.Advance(61 * time.Second)
		if _, err := f.DB.LookUpCaller(f.Context, agent, "13900000003"); err != nil {
			t.Errorf("a minute later: %v", err)
		}
		// Four distinct numbers in ten minutes: the alert is raised once.
		alerts, _ := f.DB.FindAlerts(f.Context, f.Actors["admin"])
		if len(alerts) != 1 || alerts[0].UserID != agent.UserID || alerts[0].Kind != sqldb.AlertLookupBurst {
			t.Fatalf("alerts %+v", alerts)
		}
		f.DB.LookUpCaller(f.Context, agent, "13900000004")
		if _, err := f.DB.LookUpCaller(f.Context, agent, "13900000005"); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Errorf("sixth lookup in a day: %v", err)
		}
		f.Clock.Advance(2 * time.Minute)
		if _, err := f.DB.LookUpCaller(f.Context, agent, "13900000005"); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Errorf("the daily limit lasts 24 hours: %v", err)
		}
		if _, err := f.DB.FindAlerts(f.Context, f.Actors["agent"]); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("an agent read the alerts: %v", err)
		}
		if err := f.DB.ResolveAlert(f.Context, f.Actors["admin"], alerts[0].ID); err != nil {
			t.Fatal(err)
		}
		if alerts, _ = f.DB.FindAlerts(f.Context, f.Actors["admin"]); len(alerts) != 0 {
			t.Errorf("resolved alert still open: %+v", alerts)
		}
		entries, _, _ := f.DB.FindAudit(f.Context, f.Actors["admin"], sqldb.AuditFilter{Action: "caller.lookup"})
		for _, e := range entries {
			for i := 0; i <= 5; i++ {
				if n := fmt.Sprintf("1390000000%d", i); strings.Contains(e.Target+e.Detail, n) {
					t.Errorf("audit entry names the number: %+v", e)
				}
			}
		}
		if len(entries) < 6 {
			t.Errorf("%d lookup entries in the audit log", len(entries))
		}
	})
}

// TestTicket_TransferOnlyToCentreStaff: a ticket's owner is transferred
// only to active centre staff who accept tickets.
func TestTicket_TransferOnlyToCentreStaff(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		tk := f.NewTicket(t, "13912345678", true)
		for _, who := range []string{"water", "callback"} {
			_, err := f.DB.ApplyAction(f.Context, f.Actors["lead"], tk.ID, hotline.Command{Action: hotline.ActionTransfer, OwnerID: f.Actors[who].UserID, Reason: "换班"})
			if hotline.ErrorField(err) != "owner_id" {
				t.Errorf("transfer to %s: %v", who, err)
			}
		}
		got := f.Do(t, "lead", tk.ID, hotline.Command{Action: hotline.ActionTransfer, OwnerID: f.Actors["dispatcher"].UserID, Reason: "换班"})
		if got.OwnerID != f.Actors["dispatcher"].UserID {
			t.Errorf("owner %d after a transfer to the dispatcher", got.OwnerID)
		}
	})
}
