package sqldb_test

import (
	"testing"
	"time"

	"hotline"
	"hotline/wfm"
)

// TestReserve_CallUp: the reserve pool is the records marked reserve,
// readable by the centre's supervisor; a surge call-up for two gives
// them two hours; one arrives in time, one late — not met, and marked
// late once the deadline passes; a gap call-up has 48 hours; a member
// not in the pool cannot be asked; refusals name the field.
func TestReserve_CallUp(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, w := f.Context, f.DB.Workforce()
		pm := hotline.Actor{Role: hotline.RoleProjectManager, Name: "项目经理"}
		var pool []int64
		for i, n := range []string{"储备甲", "储备乙", "在岗丙"} {
			m, err := w.SaveMember(ctx, pm, wfm.Member{Name: n, Posts: []string{wfm.PostCall}, Status: wfm.MemberActive, HireDate: "2026-01-01",
				CertifiedDate: "2026-01-15", Reserve: i < 2})
			if err != nil {
				t.Fatal(err)
			}
			pool = append(pool, m.ID)
		}
		list, err := w.Reserve(ctx, hotline.Actor{Role: hotline.RoleSupervisor})
		if err != nil || len(list) != 2 || !list[0].Reserve {
			t.Fatalf("reserve %+v %v", list, err)
		}
		if _, err := w.Reserve(ctx, f.Actors["agent"]); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("an agent read the pool: %v", err)
		}
		surge := wfm.CallUp{Kind: wfm.CallUpSurge, Need: 2, Note: "暴雨导致话务激增"}
		for field, bad := range map[string]func(*wfm.CallUp, *[]int64){
			"kind":       func(c *wfm.CallUp, _ *[]int64) { c.Kind = "party" },
			"need":       func(c *wfm.CallUp, _ *[]int64) { c.Need = 0 },
			"note":       func(c *wfm.CallUp, _ *[]int64) { c.Note = "" },
			"member_ids": func(_ *wfm.CallUp, m *[]int64) { *m = []int64{pool[2]} },
			"warning_id": func(c *wfm.CallUp, _ *[]int64) { c.WarningID = 999 },
		} {
			c, m := surge, pool[:2]
			bad(&c, &m)
			if _, err := w.StartCallUp(ctx, pm, c, m); hotline.ErrorField(err) != field {
				t.Errorf("%s: %v", field, err)
			}
		}
		c, err := w.StartCallUp(ctx, pm, surge, pool[:2])
		if err != nil || !c.Deadline.Equal(c.RequestedAt.Add(2*time.Hour)) || c.Outcome.Asked != 2 {
			t.Fatalf("call-up %+v %v", c, err)
		}
		f.Clock.Advance(40 * time.Minute)
		if _, err := w.RecordCallUp(ctx, pm, c.ID, pool[0], false); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(50 * time.Minute)
		if c, err = w.RecordCallUp(ctx, pm, c.ID, pool[0], true); err != nil || c.Outcome.OnTime != 1 || c.Outcome.Met || c.Outcome.Late {
			t.Fatalf("one in time %+v %v", c.Outcome, err)
		}
		if _, err := w.RecordCallUp(ctx, pm, c.ID, pool[0], true); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("arrived twice: %v", err)
		}
		f.Clock.Advance(time.Hour) // past the two hours
		if c, err = w.RecordCallUp(ctx, pm, c.ID, pool[1], true); err != nil || c.Outcome.Arrived != 2 || c.Outcome.OnTime != 1 || c.Outcome.Met || !c.Outcome.Late {
			t.Fatalf("one late %+v %v", c.Outcome, err)
		}
		gap, err := w.StartCallUp(ctx, pm, wfm.CallUp{Kind: wfm.CallUpGap, Need: 1, Note: "病假缺岗"}, pool[1:2])
		if err != nil || !gap.Deadline.Equal(gap.RequestedAt.Add(48*time.Hour)) {
			t.Fatalf("gap %+v %v", gap, err)
		}
		all, err := w.CallUps(ctx, hotline.Actor{Role: hotline.RoleSupervisor})
		if err != nil || len(all) != 2 || all[0].ID != gap.ID || all[1].Responses[0].Name != "储备甲" {
			t.Errorf("call-ups %+v %v", all, err)
		}
	})
}
