package sqldb_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/keyring"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
	"hotline/wfm"
)

// personal data the tests write and then look for in the raw storage.
const (
	secretPhone = "13987654321"
	secretName  = "欧阳翠花"
	secretAddr  = "凤凰街道幸福里88栋"
)

func (f *fixture) secretTicket(tb testing.TB) *hotline.Ticket {
	tb.Helper()
	t := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Help, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
		Title: "求助", Content: "家中停水", Requester: hotline.Requester{Name: secretName, Phone: secretPhone, Address: secretAddr},
		Location: hotline.Location{Address: "安源区"}}
	if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], t, true); err != nil {
		tb.Fatal(err)
	}
	return t
}

// rawContents returns every byte of the stored data.
func rawContents(tb testing.TB, f *fixture) []byte { return sqldbtest.RawContents(tb, f.DSN) }

func TestSecurity_NoPlaintextAtRest(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		tk := f.secretTicket(t)
		f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
		raw := rawContents(t, f)
		for _, s := range []string{secretPhone, secretName, secretAddr, "98765432", "翠花"} {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("%q is stored in plain text", s)
			}
		}
		if !bytes.Contains(raw, []byte("家中停水")) {
			t.Fatal("the raw read does not see the data at all")
		}
		// And the application still reads it and finds the caller by phone.
		got, _ := f.DB.FindTicketByID(f.Context, f.Actors["lead"], tk.ID)
		if got.Requester.Phone != "139****4321" || got.Requester.Name != "欧阳**" {
			t.Errorf("a read shows the requester as %+v, want it masked", got.Requester)
		}
		if req := mustReveal(t, f.DB, f, tk.ID); req.Phone != secretPhone || req.Name != secretName || req.Address != secretAddr {
			t.Errorf("decrypted requester %+v", req)
		}
		h, err := f.DB.LookUpCaller(f.Context, f.Actors["agent"], "139-8765-4321")
		if err != nil || h.Total != 1 {
			t.Errorf("caller lookup by phone: %+v, %v", h, err)
		}
	})
}

func TestSecurity_KeyRotation(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		var ids []int64
		for i := 0; i < 7; i++ {
			ids = append(ids, f.secretTicket(t).ID)
		}
		if _, err := f.DB.RotateDataKey(f.Context, f.Actors["lead"], nil); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("team lead rotated keys: %v", err)
		}
		// An attachment (a text file) sealed under the old key.
		note := []byte("现场说明：联系电话 " + secretPhone)
		att, err := f.DB.AddTicketAttachment(f.Context, f.Actors["agent"], ids[0], "说明.txt", note)
		if err != nil {
			t.Fatal(err)
		}
		// A staff record sealed under the old key.
		pm := hotline.Actor{Role: hotline.RoleProjectManager}
		member, err := f.DB.Workforce().SaveMember(f.Context, pm, wfm.Member{Name: "罗佳", Phone: secretPhone, IDNumber: "360302199001011234",
			Posts: []string{wfm.PostCall}, Status: wfm.MemberActive, HireDate: "2026-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		var calls int
		p, err := f.DB.RotateDataKey(f.Context, f.Actors["admin"], func(sqldb.RotationProgress) { calls++ })
		if err != nil {
			t.Fatal(err)
		}
		var sealedName string
		rawDB(t, f).QueryRow(`SELECT name FROM staff_members WHERE id = $1`, member.ID).Scan(&sealedName)
		team, err := f.DB.Workforce().Members(f.Context, pm)
		if err != nil || len(team) != 1 || team[0].Name != "罗佳" || p.Staff != 1 || keyring.KeyID(sealedName) != p.KeyID {
			t.Errorf("staff after rotation: %+v, %v; %d rotated, name under key %d", team, err, p.Staff, keyring.KeyID(sealedName))
		}
		if p.Done != 7 || p.Remaining != 0 || calls == 0 || p.Attachments != 1 {
			t.Errorf("rotation %+v after %d progress calls", p, calls)
		}
		var oldKey int
		rawDB(t, f).QueryRow(`SELECT COUNT(*) FROM ticket_attachments WHERE key_id <> $1`, p.KeyID).Scan(&oldKey)
		if _, got, err := f.DB.OpenTicketAttachment(f.Context, f.Actors["lead"], att.ID, false); err != nil || string(got) != string(note) || oldKey != 0 {
			t.Errorf("attachment after rotation: %q, %v; %d still under an old key", got, err, oldKey)
		}
		var left int
		rawDB(t, f).QueryRow(`SELECT COUNT(*) FROM tickets WHERE requester_key_id <> $1`, p.KeyID).Scan(&left)
		if left != 0 {
			t.Errorf("%d tickets still under an old key", left)
		}
		// A second instance that loaded its keys before the rotation reads the
		// re-encrypted rows by loading the new key on demand.
		other := MustOpenDB(t, f.DSN, f.Clock)
		for _, id := range ids {
			if got := mustReveal(t, other, f, id); got.Phone != secretPhone {
				t.Fatalf("ticket %d after rotation: %+v", id, got)
			}
		}
		h, err := f.DB.LookUpCaller(f.Context, f.Actors["agent"], secretPhone)
		if err != nil || h.Total != 7 {
			t.Errorf("phone lookup after rotation: %+v, %v", h, err)
		}
	})
}

func TestSecurity_AuditChain(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		for i := 0; i < 5; i++ {
			tk := f.secretTicket(t)
			f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID})
			if _, err := f.DB.RevealRequester(f.Context, f.Actors["lead"], tk.ID, "回访核实"); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := f.DB.VerifyAudit(f.Context)
		if err != nil || rep.Broken != "" || rep.Entries < 20 {
			t.Fatalf("untouched log: %+v %v", rep, err)
		}
		entries, _, _ := f.DB.FindAudit(f.Context, f.Actors["admin"], sqldb.AuditFilter{Action: "ticket.reveal"})
		if len(entries) != 5 || entries[0].Detail != "回访核实" || entries[0].ActorID != f.Actors["lead"].UserID {
			t.Fatalf("reveal entries %+v", entries)
		}
		if _, _, err := f.DB.FindAudit(f.Context, f.Actors["lead"], sqldb.AuditFilter{}); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("team lead read the audit log: %v", err)
		}
		raw := rawDB(t, f)
		victim := entries[2].ID
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(q, args...); err != nil {
				t.Fatal(err)
			}
		}
		var detail string
		raw.QueryRow(`SELECT detail FROM audit_log WHERE id = $1`, victim).Scan(&detail)
		exec(`UPDATE audit_log SET detail = 'nothing to see' WHERE id = $1`, victim)
		rep, _ = f.DB.VerifyAudit(f.Context)
		if rep.BrokenID != victim || !strings.Contains(rep.Broken, fmt.Sprint(victim)) {
			t.Errorf("altered entry %d: report %+v", victim, rep)
		}
		exec(`UPDATE audit_log SET detail = $1 WHERE id = $2`, detail, victim)
		if rep, _ = f.DB.VerifyAudit(f.Context); rep.Broken != "" {
			t.Fatalf("restored log still broken: %s", rep.Broken)
		}
		// Deleting an entry in the middle of its chain names its successor.
		var chain int
		var seq int64
		raw.QueryRow(`SELECT chain, seq FROM audit_log WHERE id = $1`, victim).Scan(&chain, &seq)
		var next sql.NullInt64
		raw.QueryRow(`SELECT MIN(id) FROM audit_log WHERE chain = $1 AND seq > $2`, chain, seq).Scan(&next)
		exec(`DELETE FROM audit_log WHERE id = $1`, victim)
		rep, _ = f.DB.VerifyAudit(f.Context)
		if rep.Broken == "" || (next.Valid && rep.BrokenID != next.Int64) {
			t.Errorf("deleted entry %d: report %+v (successor %v)", victim, rep, next)
		}
	})
}

func TestSecurity_AuditDeleteLast(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		f.secretTicket(t)
		raw := rawDB(t, f)
		if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)`); err != nil {
			t.Fatal(err)
		}
		if rep, _ := f.DB.VerifyAudit(f.Context); rep.Broken == "" {
			t.Error("deleting the newest entry went unnoticed")
		}
	})
}

func TestSecurity_LoginLockout(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		try := func(pw string) error {
			_, err := f.DB.Login(f.Context, sqldb.LoginRequest{Username: "agent", Password: pw, IP: "10.0.0.9"})
			return err
		}
		for i := 1; i < sqldb.LockoutThreshold; i++ {
			if err := try("guess-" + fmt.Sprint(i)); hotline.ErrorCode(err) != hotline.EUnauthorized {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if err := try("guess-5"); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Fatalf("threshold attempt: %v", err)
		}
		if err := try("hotline12345"); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Fatalf("right password while locked: %v", err)
		}
		f.Clock.Advance(sqldb.LockoutBase + time.Second)
		if err := try("guess-6"); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Fatalf("failure after the lock: %v", err) // locks again, for twice as long
		}
		f.Clock.Advance(sqldb.LockoutBase + time.Second)
		if err := try("hotline12345"); hotline.ErrorCode(err) != hotline.ETooMany {
			t.Fatalf("second lock should last %v: %v", 2*sqldb.LockoutBase, err)
		}
		f.Clock.Advance(sqldb.LockoutBase)
		if err := try("hotline12345"); err != nil {
			t.Fatalf("right password after the lock: %v", err)
		}
		if err := try("wrong-again1"); hotline.ErrorCode(err) != hotline.EUnauthorized {
			t.Fatalf("success did not reset the count: %v", err)
		}
		entries, _, _ := f.DB.FindAudit(f.Context, f.Actors["admin"], sqldb.AuditFilter{Action: "auth."})
		kinds := map[string]int{}
		for _, e := range entries {
			kinds[e.Action]++
			if e.IP != "10.0.0.9" {
				t.Errorf("audit entry without the client address: %+v", e)
			}
		}
		if kinds["auth.login_failed"] != 7 || kinds["auth.locked"] != 2 || kinds["auth.login"] != 1 {
			t.Errorf("audited logins %v", kinds)
		}
	})
}

func TestSecurity_BackupRestore(t *testing.T) {
	f := MustFixture(t, "sqlite")
	for i := 0; i < 6; i++ {
		tk := f.secretTicket(t)
		f.Do(t, "dispatcher", tk.ID, hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: f.Units["px-water"].ID, CoUnitIDs: []int64{f.Units["px-anyuan"].ID}})
		if i%2 == 0 {
			f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionAcknowledge})
			f.Do(t, "water", tk.ID, hotline.Command{Action: hotline.ActionReply, Content: fmt.Sprint("答复", i)})
		}
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := f.DB.Backup(f.Context, f.Actors["admin"], out); err != nil {
		t.Fatal(err)
	}
	if err := f.DB.Backup(f.Context, f.Actors["admin"], out); hotline.ErrorCode(err) != hotline.EInvalid {
		t.Errorf("backup overwrote %s: %v", out, err)
	}
	restored := MustOpenDB(t, out, f.Clock)
	lead := f.Actors["lead"]
	want, wn, _ := f.DB.FindTickets(f.Context, lead, sqldb.TicketFilter{PageSize: 200})
	got, gn, _ := restored.FindTickets(f.Context, lead, sqldb.TicketFilter{PageSize: 200})
	if wn != gn || wn != 6 {
		t.Fatalf("restored %d tickets, want %d", gn, wn)
	}
	for i := range want {
		a, _ := f.DB.FindTicketByID(f.Context, lead, want[i].ID)
		b, _ := restored.FindTicketByID(f.Context, lead, got[i].ID)
		ja, _ := json.Marshal(a) // the ticket with every event of its timeline
		jb, _ := json.Marshal(b)
		if len(a.Events) < 3 || !bytes.Equal(ja, jb) {
			t.Errorf("ticket %d differs after restore:\n%s\n%s", a.ID, ja, jb)
		}
		if req := mustReveal(t, restored, f, b.ID); req.Phone != secretPhone {
			t.Errorf("restored requester %+v", req)
		}
	}
	if rep, err := restored.VerifyAudit(f.Context); err != nil || rep.Broken != "" {
		t.Errorf("restored audit log: %+v %v", rep, err)
	}
}

// TestSecurity_NationalAlgorithms runs a ticket through a database
// configured for SM4-GCM and an SM3 audit chain, and checks that a database
// made with one suite refuses to open under the other.
func TestSecurity_NationalAlgorithms(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "sm.db")
	cfg := sqldbtest.Config()
	cfg.Cipher, cfg.AuditHash = keyring.SM4GCM, "sm3"
	db, err := sqldb.Open(context.Background(), dsn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	db.SeedSLAPolicies(ctx)
	db.ImportCategories(ctx, sqldb.SystemActor, [][]string{{"公共事业", "供水", "停水"}})
	u := &hotline.User{Username: "agent", Role: hotline.RoleCallAgent}
	if err := db.CreateUser(ctx, sqldb.SystemActor, u, "hotline12345"); err != nil {
		t.Fatal(err)
	}
	tk := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Help, CategoryID: 3, Urgency: hotline.Normal, Title: "t", Content: "c",
		Requester: hotline.Requester{Name: secretName, Phone: secretPhone}, Location: hotline.Location{Address: "x"}}
	if err := db.CreateTicket(ctx, hotline.ActorOf(u), tk, false); err != nil {
		t.Fatal(err)
	}
	got, err := db.RevealRequester(ctx, hotline.ActorOf(u), tk.ID, "核对")
	if err != nil || got.Name != secretName || got.Phone != secretPhone {
		t.Fatalf("SM4 round trip: %v %+v", err, got)
	}
	if rep, err := db.VerifyAudit(ctx); err != nil || rep.Broken != "" || rep.Entries == 0 {
		t.Fatalf("SM3 audit chain: %+v %v", rep, err)
	}
	db.Close()
	if other, err := sqldb.Open(ctx, dsn, sqldbtest.Config()); err == nil {
		other.Close()
		t.Error("an SM4 database opened with the AES suite")
	}
}
