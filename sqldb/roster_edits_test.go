package sqldb_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// mustPublished generates and publishes December for the team.
func mustPublished(t *testing.T, f *fixture, pm hotline.Actor) *sqldb.RosterView {
	t.Helper()
	w := f.DB.Workforce()
	if _, err := w.GenerateRoster(f.Context, pm, "2026-12"); err != nil {
		t.Fatal(err)
	}
	v, err := w.PublishRoster(f.Context, pm, "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// shiftsOf are a member's shifts in the view, day → shift.
func shiftsOf(v *sqldb.RosterView, member int64) map[string]string {
	out := map[string]string{}
	for _, s := range v.Shifts {
		for _, p := range s.Staff {
			if p.MemberID == member {
				out[s.Date] = s.Name
			}
		}
	}
	return out
}

// postsOf are a member's posts in the view, day → post.
func postsOf(v *sqldb.RosterView, member int64) map[string]string {
	out := map[string]string{}
	for _, s := range v.Shifts {
		for _, p := range s.Staff {
			if p.MemberID == member {
				out[s.Date] = p.Post
			}
		}
	}
	return out
}

// checkStored checks the stored month against the labour rules.
func checkStored(t *testing.T, f *fixture, pm hotline.Actor) *sqldb.RosterView {
	t.Helper()
	w := f.DB.Workforce()
	v, err := w.Roster(f.Context, pm, "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	in, err := w.CheckInput(f.Context, pm, "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	if bad := wfm.Check(in, v.Assignments()); len(bad) > 0 {
		t.Fatalf("%d violations after the edit, first %v", len(bad), bad[0])
	}
	return v
}

// TestRosterEdits: a manager moves a shift of a published roster (the
// person is told; a move that breaks a rule is refused and changes
// nothing); the agent asks for a swap and for leave, the team lead
// approves; the stored month keeps every rule and lists what the leave
// left short; the agent cannot approve, nor ask about shifts not theirs.
func TestRosterEdits(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		pm, _, _ := mustRosterTeam(t, f)
		agent, lead := f.Actors["agent"], f.Actors["lead"]
		v := mustPublished(t, f, pm)
		me, err := w.MemberID(ctx, agent)
		if err != nil {
			t.Fatal(err)
		}
		mine := shiftsOf(v, me)
		if len(mine) < 3 {
			t.Fatalf("the agent has %d shifts", len(mine))
		}
		var days []string
		for d := range mine {
			days = append(days, d)
		}
		sort.Strings(days)

		// A move onto a day the agent already works breaks a rule.
		_, err = w.MoveShift(ctx, pm, "2026-12", sqldb.RosterMove{MemberID: me, FromDate: days[0], FromShift: mine[days[0]], ToDate: days[1], ToShift: "日班"})
		if hotline.ErrorField(err) != "shift" || !strings.Contains(err.Error(), "当天已排班") {
			t.Fatalf("a second shift the same day: %v", err)
		}
		if after := shiftsOf(checkStored(t, f, pm), me); after[days[0]] != mine[days[0]] {
			t.Fatal("a refused move changed the roster")
		}
		if _, err := w.MoveShift(ctx, agent, "2026-12", sqldb.RosterMove{MemberID: me, FromDate: days[0], FromShift: mine[days[0]], ToDate: days[0], ToShift: "日班"}); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("the agent moved a shift: %v", err)
		}
		// A move that keeps the rules: to another shift of the day, or a
		// free day.
		moved := ""
		for d := 1; d <= 31 && moved == ""; d++ {
			day := fmt.Sprintf("2026-12-%02d", d)
			if day != days[0] && mine[day] != "" {
				continue
			}
			for _, to := range []string{"日班", "早班", "中班", "夜班"} {
				if day == days[0] && to == mine[days[0]] {
					continue
				}
				_, err := w.MoveShift(ctx, pm, "2026-12", sqldb.RosterMove{MemberID: me, FromDate: days[0], FromShift: mine[days[0]], ToDate: day, ToShift: to})
				if err == nil {
					moved = day + " " + to
					break
				} else if hotline.ErrorField(err) != "shift" {
					t.Fatal(err)
				}
			}
		}
		if moved == "" {
			t.Fatalf("no shift could take the agent's %s", days[0])
		}
		v = checkStored(t, f, pm)
		if got := shiftsOf(v, me); got[moved[:10]] != moved[11:] {
			t.Fatalf("the move to %s is not stored: %v", moved, got)
		}
		mine, days = shiftsOf(v, me), days[:0]
		for d := range mine {
			days = append(days, d)
		}
		sort.Strings(days)
		notices, err := w.Notices(ctx, agent)
		if err != nil || len(notices) != 1 || notices[0].Read || !strings.Contains(notices[0].Body, moved[11:]) {
			t.Fatalf("the agent's notices %+v, %v", notices, err)
		}

		// A swap: someone free that day on a call post takes the agent's
		// second shift.
		if _, err := w.RequestRosterChange(ctx, agent, sqldb.RosterRequest{Kind: "swap", Day: days[2], Shift: "夜班x", OtherMemberID: me + 20, Reason: "家中有事"}); hotline.ErrorField(err) != "shift" {
			t.Errorf("a swap of a shift not the agent's: %v", err)
		}
		if _, err := w.RequestRosterChange(ctx, agent, sqldb.RosterRequest{Kind: "swap", Day: days[1], Shift: mine[days[1]], OtherMemberID: me + 20}); hotline.ErrorField(err) != "reason" {
			t.Errorf("a swap without a reason: %v", err)
		}
		swapped, swapDay := int64(0), ""
		for _, day := range days[1:] {
			if postsOf(v, me)[day] != wfm.PostCall {
				continue
			}
			for other := me - 14; other < me+16 && swapped == 0; other++ {
				if shiftsOf(v, other)[day] != "" {
					continue
				}
				id, err := w.RequestRosterChange(ctx, agent, sqldb.RosterRequest{Kind: "swap", Day: day, Shift: mine[day], OtherMemberID: other, Reason: "家中有事"})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.DecideRosterRequest(ctx, agent, id, true, ""); hotline.ErrorCode(err) != hotline.EForbidden {
					t.Fatalf("the agent approved: %v", err)
				}
				switch err := w.DecideRosterRequest(ctx, lead, id, true, "同意"); {
				case err == nil:
					swapped, swapDay = other, day
				case hotline.ErrorField(err) == "shift":
					if err := w.DecideRosterRequest(ctx, lead, id, false, "不符合排班规则"); err != nil {
						t.Fatal(err)
					}
				default:
					t.Fatal(err)
				}
			}
			if swapped != 0 {
				break
			}
		}
		if swapped == 0 {
			t.Fatal("no one could take the swap")
		}
		v = checkStored(t, f, pm)
		if shiftsOf(v, me)[swapDay] != "" || shiftsOf(v, swapped)[swapDay] != mine[swapDay] {
			t.Fatalf("the swap is not stored: %v / %v", shiftsOf(v, me), shiftsOf(v, swapped))
		}

		// Leave: the shift is given up and what it leaves short is listed.
		leave := days[1]
		if leave == swapDay {
			leave = days[2]
		}
		id, err := w.RequestRosterChange(ctx, agent, sqldb.RosterRequest{Kind: "leave", Day: leave, Shift: mine[leave], Reason: "病假"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.DecideRosterRequest(ctx, lead, id, true, ""); err != nil {
			t.Fatal(err)
		}
		if err := w.DecideRosterRequest(ctx, lead, id, true, ""); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("approved twice: %v", err)
		}
		v = checkStored(t, f, pm)
		if shiftsOf(v, me)[leave] != "" {
			t.Fatal("the leave is not stored")
		}
		reqs, err := w.RosterRequests(ctx, agent, "2026-12")
		if err != nil || len(reqs) < 2 || reqs[0].Kind != "leave" || reqs[0].Status != "approved" {
			t.Fatalf("the agent's requests %+v, %v", reqs, err)
		}
		notices, err = w.Notices(ctx, agent)
		if err != nil || len(notices) < 3 || !notices[len(notices)-1].Read || notices[0].Read {
			t.Fatalf("notices after the requests %+v, %v", notices, err)
		}
	})
}
