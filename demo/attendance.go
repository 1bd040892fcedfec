package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// attendance replays the team's sign-ins and sign-outs against the
// published rosters of last month and this month up to now: most on
// time, a few late or leaving early, the odd absence, two stretches of
// overtime off the roster; the agent forgot to sign out three days ago
// and asked for a correction; agent02 asks for a swap the rules allow,
// waiting for the team lead.
func (c *city) attendance(ctx context.Context, now time.Time) error {
	pm, w := c.actors["manager"], c.db.Workforce()
	this := now.In(hotline.ChinaZone)
	last := time.Date(this.Year(), this.Month()-1, 1, 0, 0, 0, 0, hotline.ChinaZone)
	me, err := w.MemberID(ctx, c.actors["agent"])
	if err != nil {
		return err
	}
	forgot := this.AddDate(0, 0, -3).Format("2006-01-02")
	rng := rand.New(rand.NewPCG(2026, 4242))
	var punches []wfm.Punch
	var missing *sqldb.RosterSlot
	minutes := func(a, b int) time.Duration { return time.Duration(a+rng.IntN(b-a+1)) * time.Minute }
	for _, month := range []string{last.Format("2006-01"), this.Format("2006-01")} {
		v, err := w.Roster(ctx, pm, month)
		if err != nil {
			return err
		}
		for i := range v.Shifts {
			s := &v.Shifts[i]
			if !s.Start.Before(now) {
				continue
			}
			for _, p := range s.Staff {
				in, out := s.Start.Add(-minutes(2, 12)), s.End.Add(minutes(0, 9))
				switch k := rng.IntN(200); {
				case k == 0:
					continue // absent
				case k < 6:
					in = s.Start.Add(minutes(8, 25))
				case k < 9:
					out = s.End.Add(-minutes(15, 40))
				}
				punches = append(punches, wfm.Punch{MemberID: p.MemberID, Kind: wfm.SignIn, At: in})
				if p.MemberID == me && s.Date == forgot && missing == nil {
					missing = s
					continue
				}
				if out.Before(now) {
					punches = append(punches, wfm.Punch{MemberID: p.MemberID, Kind: wfm.SignOut, At: out})
				}
			}
		}
	}
	// Overtime off the roster: the dispatcher stayed for a backlog.
	dispatcher, err := w.MemberID(ctx, c.actors["dispatcher"])
	if err != nil {
		return err
	}
	for _, back := range []int{9, 23} {
		d := this.AddDate(0, 0, -back)
		at := time.Date(d.Year(), d.Month(), d.Day(), 19, 0, 0, 0, hotline.ChinaZone)
		punches = append(punches, wfm.Punch{MemberID: dispatcher, Kind: wfm.SignIn, At: at}, wfm.Punch{MemberID: dispatcher, Kind: wfm.SignOut, At: at.Add(150 * time.Minute)})
	}
	sort.SliceStable(punches, func(i, j int) bool { return punches[i].At.Before(punches[j].At) })
	if _, err := w.ImportPunches(ctx, pm, punches); err != nil {
		return fmt.Errorf("demo attendance: %w", err)
	}
	if missing != nil {
		if _, err := w.RequestCorrection(ctx, c.actors["agent"], sqldb.Correction{Kind: wfm.SignOut, At: missing.End.Add(4 * time.Minute),
			Reason: "交班时处理来电，忘记签退"}); err != nil {
			return err
		}
	}
	return c.swapRequest(ctx, this.Format("2006-01"))
}

// swapRequest has agent02 ask for a swap of a coming shift with someone
// the labour rules allow to take it (or, when the month is too tight for
// anyone to, for leave of the first coming shift).
func (c *city) swapRequest(ctx context.Context, month string) error {
	pm, w, asker := c.actors["manager"], c.db.Workforce(), c.actors["agent02"]
	me, err := w.MemberID(ctx, asker)
	if err != nil {
		return err
	}
	v, err := w.Roster(ctx, pm, month)
	if err != nil {
		return err
	}
	in, err := w.CheckInput(ctx, pm, month)
	if err != nil {
		return err
	}
	full := v.Assignments()
	tomorrow := c.db.Now().In(hotline.ChinaZone).AddDate(0, 0, 1).Format("2006-01-02")
	var leave *wfm.Assignment
	for i, a := range full.Assignments {
		if a.StaffID == me && a.Date > tomorrow && leave == nil {
			leave = &full.Assignments[i]
		}
		if a.StaffID != me || a.Date <= tomorrow {
			continue
		}
		for _, s := range in.Staff {
			if s.ID == me {
				continue
			}
			cand := wfm.Roster{Assignments: append([]wfm.Assignment(nil), full.Assignments...)}
			cand.Assignments[i].StaffID = s.ID
			cand.Uncovered = wfm.Regap(in, cand, "")
			ok := true
			for _, bad := range wfm.Check(in, cand) {
				ok = ok && bad.StaffID != s.ID
			}
			if ok {
				_, err := w.RequestRosterChange(ctx, asker, sqldb.RosterRequest{Kind: "swap", Day: a.Date, Shift: a.Shift, OtherMemberID: s.ID,
					Reason: "参加职称考试"})
				return err
			}
		}
	}
	if leave == nil {
		return nil
	}
	_, err = w.RequestRosterChange(ctx, asker, sqldb.RosterRequest{Kind: "leave", Day: leave.Date, Shift: leave.Shift, Reason: "参加职称考试"})
	return err
}
