package sqldb_test

import (
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// set moves the fixture's clock to t.
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// TestAttendance: the agent's seat signs them in twelve minutes late and
// out at the end of the shift; the ledger shows the late sign-in, the
// agent sees only their own lines, the managers the whole team and the
// hours no call post was on; the button refuses a second sign-in; a
// correction is asked with a reason, not approved by the asker, approved
// by the team lead and then in the ledger; bad input changes nothing.
func TestAttendance(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		pm, _, _ := mustRosterTeam(t, f)
		agent, lead := f.Actors["agent"], f.Actors["lead"]
		v := mustPublished(t, f, pm)
		me, err := w.MemberID(ctx, agent)
		if err != nil {
			t.Fatal(err)
		}
		var first, second sqldb.RosterSlot
		for _, s := range v.Shifts {
			for _, p := range s.Staff {
				if p.MemberID == me && first.Name == "" {
					first = s
				} else if p.MemberID == me && second.Name == "" {
					second = s
				}
			}
		}
		f.Clock.set(first.Start.Add(12 * time.Minute))
		if err := f.DB.SetSeat(ctx, agent, hotline.SeatReady); err != nil {
			t.Fatal(err)
		}
		if err := w.Punch(ctx, agent, wfm.SignIn); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("signed in twice: %v", err)
		}
		f.Clock.set(first.End.Add(time.Minute))
		if err := f.DB.SetSeat(ctx, agent, hotline.SeatBreak); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.SetSeat(ctx, agent, hotline.SeatOffline); err != nil {
			t.Fatal(err)
		}
		// The second shift: signed in with the button on time, the
		// sign-out forgotten and asked for afterwards.
		f.Clock.set(second.Start.Add(-3 * time.Minute))
		if err := w.Punch(ctx, agent, wfm.SignIn); err != nil {
			t.Fatal(err)
		}
		f.Clock.set(second.End.Add(2 * time.Hour))
		if _, err := w.RequestCorrection(ctx, agent, sqldb.Correction{Kind: wfm.SignOut, At: second.End, Reason: " "}); hotline.ErrorField(err) != "reason" {
			t.Errorf("a correction without a reason: %v", err)
		}
		if _, err := w.RequestCorrection(ctx, agent, sqldb.Correction{Kind: wfm.SignOut, At: f.Clock.Now().Add(time.Hour), Reason: "忘记签退"}); hotline.ErrorField(err) != "at" {
			t.Errorf("a correction in the future: %v", err)
		}
		id, err := w.RequestCorrection(ctx, agent, sqldb.Correction{Kind: wfm.SignOut, At: second.End, Reason: "忘记签退"})
		if err != nil {
			t.Fatal(err)
		}
		month := first.Date[:7]
		before, err := w.Attendance(ctx, agent, month)
		if err != nil {
			t.Fatal(err)
		}
		if len(before.Corrections) != 1 || before.Corrections[0].Status != "pending" {
			t.Fatalf("the agent's corrections %+v", before.Corrections)
		}
		if err := w.DecideCorrection(ctx, agent, id, true, ""); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("the agent approved their own correction: %v", err)
		}
		if err := w.DecideCorrection(ctx, lead, id, true, "核实"); err != nil {
			t.Fatal(err)
		}
		if err := w.DecideCorrection(ctx, lead, id, true, ""); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("approved twice: %v", err)
		}

		own, err := w.Attendance(ctx, agent, month)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]wfm.Record{}
		for _, r := range own.Records {
			if r.MemberID != me {
				t.Fatalf("the agent sees %d's line", r.MemberID)
			}
			got[r.Date+r.Shift] = r.Record
		}
		if own.All || len(own.Gaps) != 0 {
			t.Error("the agent sees the team's coverage")
		}
		if r := got[first.Date+first.Name]; r.Status != wfm.AttendLate || r.LateMinutes != 12 || r.SignOut == nil {
			t.Errorf("first shift %+v, want late by 12 minutes and signed out", r)
		}
		if r := got[second.Date+second.Name]; r.Status != wfm.AttendOnTime || r.SignOut == nil || !r.SignOut.Equal(second.End) {
			t.Errorf("second shift %+v, want on time with the corrected sign-out", r)
		}
		team, err := w.Attendance(ctx, pm, month)
		if err != nil {
			t.Fatal(err)
		}
		if !team.All || team.Totals[wfm.AttendAbsent] == 0 || team.Totals[wfm.AttendLate] != 1 {
			t.Errorf("the team's totals %v", team.Totals)
		}
		// Only the agent signed in: every hour outside their two shifts
		// up to now is a gap, none inside them.
		for _, g := range team.Gaps {
			if !g.Hour.Before(first.Start.Add(time.Hour)) && g.Hour.Add(time.Hour).Before(first.End) {
				t.Errorf("a gap at %v inside the agent's first shift", g.Hour)
			}
		}
		if len(team.Gaps) == 0 || team.GapMinutes < 60*len(team.Gaps)/2 {
			t.Errorf("%d gaps, %d minutes", len(team.Gaps), team.GapMinutes)
		}
		if _, err := w.Attendance(ctx, agent, "2026-13"); hotline.ErrorField(err) != "month" {
			t.Errorf("a bad month: %v", err)
		}
	})
}
