package sqldb_test

import (
	"strings"
	"testing"

	"hotline"
	"hotline/wfm"
)

// TestStaff_RecordsAndGate: a staff record is refused naming the field
// when it makes no sense, stored with name, phone and ID number sealed
// (not in the database in plaintext), listed with phone and ID masked;
// its call agent cannot accept tickets until the onboarding exam is
// recorded, nor after leaving; an agent with no record can; a unit
// cannot manage records; audited without the personal fields.
func TestStaff_RecordsAndGate(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		pm := hotline.Actor{Role: hotline.RoleProjectManager, Name: "项目经理"}
		agent := f.Actors["agent"]
		m := wfm.Member{UserID: agent.UserID, Name: "李晓红", Phone: "13912345678", IDNumber: "360302199001011234", Posts: []string{wfm.PostCall},
			Status: wfm.MemberActive, HireDate: "2026-11-01", ConfidentialityDate: "2026-11-01"}
		for field, bad := range map[string]func(*wfm.Member){
			"name":      func(x *wfm.Member) { x.Name = "" },
			"posts":     func(x *wfm.Member) { x.Posts = []string{"cook"} },
			"status":    func(x *wfm.Member) { x.Status = "fired" },
			"hire_date": func(x *wfm.Member) { x.HireDate = "2026/11/01" },
			"user_id":   func(x *wfm.Member) { x.UserID = 99999 },
		} {
			x := m
			bad(&x)
			if _, err := w.SaveMember(ctx, pm, x); hotline.ErrorField(err) != field {
				t.Errorf("%s: %v", field, err)
			}
		}
		saved, err := w.SaveMember(ctx, pm, m)
		if err != nil {
			t.Fatal(err)
		}
		var raw string
		if err := rawDB(t, f).QueryRow(`SELECT name || phone || id_number || posts FROM staff_members WHERE id = $1`, saved.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, "李晓红") || strings.Contains(raw, "13912345678") || strings.Contains(raw, "360302") {
			t.Fatalf("personal data in plaintext: %s", raw)
		}
		list, err := w.Members(ctx, pm)
		if err != nil || len(list) != 1 || list[0].Name != "李晓红" || list[0].Phone != "139****5678" || list[0].IDNumber != "360***********1234" || list[0].Certified() {
			t.Fatalf("members %+v %v", list, err)
		}
		// The gate.
		if err := f.DB.CreateTicket(ctx, agent, &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Consult, Title: "咨询", Content: "咨询社保"}, false); hotline.ErrorCode(err) != hotline.EForbidden ||
			!strings.Contains(hotline.ErrorMessage(err), "上岗培训考试") {
			t.Fatalf("uncertified accepted a ticket: %v", err)
		}
		m.ID, m.CertifiedDate = saved.ID, "2026-11-10"
		if _, err := w.SaveMember(ctx, pm, m); err != nil {
			t.Fatal(err)
		}
		f.NewTicket(t, "13800000001", false) // certified now
		m.Status, m.NoticeDate, m.LeaveDate = wfm.MemberLeft, "2026-11-15", "2026-11-20"
		if _, err := w.SaveMember(ctx, pm, m); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.CreateTicket(ctx, agent, &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Consult, Title: "咨询", Content: "咨询社保"}, false); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("a leaver accepted a ticket: %v", err)
		}
		if _, err := w.Members(ctx, f.Actors["water"]); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("a unit listed staff: %v", err)
		}
		var audit string
		if err := rawDB(t, f).QueryRow(`SELECT COALESCE(MAX(detail), '') FROM audit_log WHERE action LIKE 'staff.%'`).Scan(&audit); err != nil {
			t.Fatal(err)
		}
		if audit == "" || strings.Contains(audit, "李晓红") || strings.Contains(audit, "1391234") {
			t.Errorf("audit detail %q", audit)
		}
		// A manager's notice under 30 days is flagged.
		mgr := wfm.Member{Name: "王经理", Posts: []string{wfm.PostTeamLead}, Manager: true, Status: wfm.MemberLeaving, HireDate: "2025-01-01",
			NoticeDate: "2026-11-20", LeaveDate: "2026-12-05"}
		if !mgr.ShortNotice() || (wfm.Member{Manager: true, NoticeDate: "2026-11-01", LeaveDate: "2026-12-05"}).ShortNotice() {
			t.Error("short notice")
		}
	})
}
