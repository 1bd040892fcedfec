package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/report"
	"hotline/sqldb/sqldbtest"
	"hotline/wfm"
)

// TestRosters_Stored: next month's roster is generated from the forecast
// of five weeks of calls and the team (leads, dispatchers, call agents,
// two not certified, one leaving mid-month), stored, and read back: it
// keeps every labour rule (wfm.Check on what was stored), puts no
// uncertified person on a call post and no one after their leave date,
// covers or lists every gap; published, it is not regenerated, and the
// agent sees it; before publishing only managers do.
func TestRosters_Stored(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		pm, uncertified, leaver := mustRosterTeam(t, f)
		if _, err := w.GenerateRoster(ctx, pm, "2026-01"); hotline.ErrorField(err) != "month" {
			t.Errorf("a past month: %v", err)
		}
		v, err := w.GenerateRoster(ctx, pm, "2026-12")
		if err != nil {
			t.Fatal(err)
		}
		in, err := w.RosterInput(ctx, pm, "2026-12")
		if err != nil {
			t.Fatal(err)
		}
		r := v.Assignments()
		if bad := wfm.Check(in, r); len(bad) > 0 {
			t.Fatalf("%d violations, first %v", len(bad), bad[0])
		}
		calls := 0
		for _, a := range r.Assignments {
			if a.Post == wfm.PostCall {
				calls++
				if uncertified[a.StaffID] {
					t.Fatalf("uncertified %d on a call post", a.StaffID)
				}
			}
			if a.StaffID == leaver && a.Date > "2026-12-15" {
				t.Fatalf("the leaver rostered on %s", a.Date)
			}
		}
		if v.Status != "draft" || len(v.Shifts) < 31*3 || calls == 0 || v.Shifts[0].Date != "2026-12-01" || v.Shifts[0].Name != "夜班" {
			t.Fatalf("roster %s, %d shifts, %d call shifts, first %+v", v.Status, len(v.Shifts), calls, v.Shifts[0])
		}
		if _, err := w.Roster(ctx, f.Actors["agent"], "2026-12"); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("the agent saw a draft: %v", err)
		}
		if _, err := w.PublishRoster(ctx, pm, "2026-12"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.GenerateRoster(ctx, pm, "2026-12"); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("regenerated a published roster: %v", err)
		}
		seen, err := w.Roster(ctx, f.Actors["agent"], "2026-12")
		if err != nil || seen.Status != "published" || len(seen.Shifts) != len(v.Shifts) {
			t.Fatalf("the agent's view: %v", err)
		}
		mine := 0
		for _, s := range seen.Shifts {
			for _, p := range s.Staff {
				if p.Username == "agent" {
					mine++
				}
			}
		}
		if mine == 0 {
			t.Error("the agent has no shifts")
		}
	})
}

// mustRosterTeam stores five weeks of calls and a team of 30 (leads,
// dispatchers, call agents, two not certified, one leaving mid-December;
// the fifteenth, a call agent, linked to the agent's account) and returns the manager who
// plans, the uncertified and the leaver.
func mustRosterTeam(t *testing.T, f *fixture) (hotline.Actor, map[int64]bool, int64) {
	t.Helper()
	ctx, w := f.Context, f.DB.Workforce()
	pm := hotline.Actor{Role: hotline.RoleProjectManager, Name: "项目经理"}
	today := report.Day(f.Clock.Now())
	var rows []string
	for d := today - 35; d < today; d++ {
		for i := 0; i < 120; i++ {
			at := report.DayStart(d).Add(8*time.Hour + time.Duration(i)*5*time.Minute)
			rows = append(rows, fmt.Sprintf(`('r%d-%d', %d, %d, %d, 'answered', 4000, 240000, '12345', 'a', %d)`, d, i, at.UnixMilli(), at.UnixMilli()+4000, at.UnixMilli()+244000, at.UnixMilli()))
		}
	}
	sqldbtest.Exec(t, f.DSN, `INSERT INTO calls (call_id, offered_at, answered_at, ended_at, outcome, wait_ms, talk_ms, queue, agent, updated_at) VALUES `+strings.Join(rows, ", "))
	if _, err := f.DB.Stats().RebuildCalls(ctx); err != nil {
		t.Fatal(err)
	}
	uncertified := map[int64]bool{}
	var leaver int64
	for i := 0; i < 30; i++ {
		m := wfm.Member{Name: fmt.Sprintf("员工%02d", i), Posts: []string{wfm.PostCall}, Status: wfm.MemberActive, HireDate: "2026-01-01", CertifiedDate: "2026-01-15"}
		switch {
		case i < 5:
			m.Posts = append(m.Posts, wfm.PostTeamLead)
		case i < 11:
			m.Posts = append(m.Posts, wfm.PostDispatcher)
		case i < 13:
			m.CertifiedDate = ""
		case i == 13:
			m.Status, m.NoticeDate, m.LeaveDate = wfm.MemberLeaving, "2026-11-20", "2026-12-15"
		}
		if i == 14 {
			m.UserID = f.Actors["agent"].UserID
		}
		saved, err := w.SaveMember(ctx, pm, m)
		if err != nil {
			t.Fatal(err)
		}
		if m.CertifiedDate == "" {
			uncertified[saved.ID] = true
		}
		if i == 13 {
			leaver = saved.ID
		}
	}
	return pm, uncertified, leaver
}
