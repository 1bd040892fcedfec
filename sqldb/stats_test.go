package sqldb_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"hotline"
	"hotline/report"
)

// TestStats_RollupEqualsRecount: random changes to tickets over several
// days — every action the lifecycle has, the sweep's deadline crossings,
// corrections of the category, knowledge-base links — and after each
// round the daily counts equal a count from scratch in every dimension,
// and a plain SQL count of the simplest figures.
func TestStats_RollupEqualsRecount(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		rng := rand.New(rand.NewPCG(18, 2026))
		water, power := f.Units["px-water"].ID, f.Units["px-power"].ID
		cats, err := f.DB.FindCategories(f.Context)
		if err != nil {
			t.Fatal(err)
		}
		var leaves []int64
		for _, c := range cats {
			if c.Level == 3 {
				leaves = append(leaves, c.ID)
			}
		}
		art := f.publishArticle(t, &hotline.Article{Title: "停水报修", Body: "停水报修流程说明"})
		var ids []int64
		applied := map[hotline.Action]int{}
		maybe := func() *bool { b := rng.IntN(3) > 0; return &b }
		p := report.Period{Kind: report.PeriodCustom, From: f.Clock.Now().AddDate(0, 0, -1), To: f.Clock.Now().AddDate(0, 0, 60)}
		for round := 0; round < 6; round++ {
			for i := 0; i < 12; i++ {
				tk := f.NewTicket(t, "1380000"+string(rune('0'+round))+"00"+string(rune('0'+i%10)), rng.IntN(2) == 0)
				ids = append(ids, tk.ID)
			}
			for step := 0; step < 150; step++ {
				id := ids[rng.IntN(len(ids))]
				tk, err := f.DB.FindTicketByID(f.Context, f.Actors["dispatcher"], id)
				if err != nil {
					t.Fatal(err)
				}
				holder := "water"
				if tk.LeadUnitID == power {
					holder = "power"
				}
				unit := []int64{water, power}[rng.IntN(2)]
				rating := []hotline.Rating{hotline.Satisfied, hotline.BasicallySatisfied, hotline.Unsatisfied}[rng.IntN(3)]
				var who string
				var cmd hotline.Command
				// Mostly the step the ticket's state calls for, sometimes
				// anything (refused, changing nothing).
				switch pick := rng.IntN(10); {
				case pick == 0:
					if err := f.DB.LinkArticle(f.Context, f.Actors["agent"], id, art.ID); err == nil {
						applied["kb_link"]++
					}
					continue
				case pick == 1:
					who, cmd = "lead", []hotline.Command{{Action: hotline.ActionSupervise, Note: "请加快"}, {Action: hotline.ActionUrge, Content: "请尽快"}}[rng.IntN(2)]
				case pick == 2:
					who, cmd = "dispatcher", hotline.Command{Action: hotline.ActionCorrect, Reason: "分类有误",
						Correction: hotline.Correction{CategoryID: leaves[rng.IntN(len(leaves))]}}
				case tk.Status == hotline.StatusAccepted:
					who, cmd = "agent", hotline.Command{Action: hotline.ActionSubmit}
					if rng.IntN(8) == 0 {
						who, cmd = "lead", hotline.Command{Action: hotline.ActionCancel, Reason: "重复录入"}
					}
				case tk.Status == hotline.StatusPendingDispatch:
					who, cmd = "dispatcher", hotline.Command{Action: hotline.ActionDispatch, LeadUnitID: unit}
				case tk.PendingRequest == "return":
					who, cmd = "dispatcher", hotline.Command{Action: hotline.ActionReviewReturn, Approve: maybe(), Comment: "审核意见"}
				case tk.PendingRequest == "extension":
					who, cmd = "dispatcher", hotline.Command{Action: hotline.ActionApproveExtension, Comment: "同意"}
				case tk.Status == hotline.StatusDispatched:
					who, cmd = holder, hotline.Command{Action: hotline.ActionAcknowledge}
					if rng.IntN(4) == 0 {
						who, cmd = holder, hotline.Command{Action: hotline.ActionReturn, Reason: "不属于本单位职责"}
					}
				case tk.Status == hotline.StatusHandling:
					who, cmd = holder, hotline.Command{Action: hotline.ActionReply, Content: "已处理完毕"}
					if rng.IntN(4) == 0 {
						who, cmd = holder, hotline.Command{Action: hotline.ActionRequestExtension, Reason: "需要协调", WorkingDays: 2}
					}
				case tk.Status == hotline.StatusReplied:
					who, cmd = "dispatcher", hotline.Command{Action: hotline.ActionReview, Approve: maybe(), Comment: "请补充"}
				case tk.Status == hotline.StatusConcluded && !tk.CallbackDone:
					who, cmd = "callback", hotline.Command{Action: hotline.ActionCallback, Reached: yes(), Rating: rating, Resolved: maybe()}
				case tk.Status == hotline.StatusConcluded:
					who, cmd = "callback", hotline.Command{Action: hotline.ActionReopen, Reason: "群众不满意"}
				default:
					continue
				}
				if _, err := f.DB.ApplyAction(f.Context, f.Actors[who], id, cmd); err == nil {
					applied[cmd.Action]++
				}
				if step%25 == 0 {
					f.Clock.Advance(time.Duration(rng.IntN(20)) * time.Hour)
					if _, err := f.DB.Sweep(f.Context); err != nil {
						t.Fatal(err)
					}
				}
			}
			f.Clock.Advance(26 * time.Hour)
			checkRollup(t, f, p)
		}
		for _, a := range []hotline.Action{hotline.ActionDispatch, hotline.ActionAcknowledge, hotline.ActionReviewReturn,
			hotline.ActionApproveExtension, hotline.ActionReview, hotline.ActionCallback, hotline.ActionReopen, hotline.ActionCorrect, "kb_link"} {
			if applied[a] == 0 {
				t.Errorf("no %s applied: the walk does not exercise it (%v)", a, applied)
			}
		}
		tot, err := f.DB.Stats().Totals(f.Context, f.Actors["lead"], report.DimAll, p)
		if err != nil {
			t.Fatal(err)
		}
		c := tot[""]
		if c.Overdue == 0 || c.ReturnsApproved == 0 || c.Evaluated == 0 || c.Reopened == 0 || c.KBLinked == 0 || c.AckOnTime == 0 {
			t.Errorf("the walk left figures untested: %+v", c)
		}
		t.Logf("%d tickets over %d days; applied %v; totals %+v", len(ids), 7, applied, c)
	})
}

// checkRollup compares the daily counts with a recount in every dimension
// and with plain SQL for the tickets by channel and the concluded ones.
func checkRollup(t *testing.T, f *fixture, p report.Period) {
	t.Helper()
	st := f.DB.Stats()
	for _, dim := range []string{report.DimAll, report.DimChannel, report.DimKind, report.DimUrgency, report.DimCategory, report.DimLocation, report.DimUnit} {
		got, err := st.Totals(f.Context, f.Actors["lead"], dim, p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := st.Recount(f.Context, dim, p)
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s %q: rollup %+v\n recount %+v", dim, k, got[k], w)
			}
		}
		for k, g := range got {
			if _, ok := want[k]; !ok && !g.Zero() {
				t.Errorf("%s %q: rollup has %+v, the recount nothing", dim, k, g)
			}
		}
	}
	raw := rawDB(t, f)
	var tickets, concluded, byCat int64
	if err := raw.QueryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN status IN ('concluded', 'archived') THEN 1 ELSE 0 END), 0),
		COUNT(DISTINCT category_id) FROM tickets WHERE status <> 'cancelled'`).Scan(&tickets, &concluded, &byCat); err != nil {
		t.Fatal(err)
	}
	all, _ := st.Totals(f.Context, f.Actors["lead"], report.DimAll, p)
	cat, _ := st.Totals(f.Context, f.Actors["lead"], report.DimCategory, p)
	nonzero := 0
	for _, c := range cat {
		if c.Tickets > 0 {
			nonzero++
		}
	}
	if all[""].Tickets != tickets || all[""].Concluded != concluded || int64(nonzero) != byCat {
		t.Errorf("rollup %d tickets, %d concluded, %d categories; SQL %d, %d, %d", all[""].Tickets, all[""].Concluded, nonzero, tickets, concluded, byCat)
	}
	sum, err := st.Summary(f.Context, f.Actors["lead"], p)
	if err != nil || sum.Total.Tickets != tickets {
		t.Errorf("summary %+v %v", sum, err)
	}
	if _, err := st.Summary(f.Context, f.Actors["agent"], p); hotline.ErrorCode(err) != hotline.EForbidden {
		t.Errorf("an agent reads the statistics: %v", err)
	}
}
