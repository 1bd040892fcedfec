package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hotline"
	"hotline/hotspot"
	"hotline/sqldb"
)

// quietWords give the background appeals texts that share nothing.
var quietWords = []string{"阀门", "井盖", "管网", "抄表", "水压", "水质", "滴漏", "爆管", "欠费", "开户", "过户", "发票", "改造", "施工",
	"计量", "黄水", "异味", "泵房", "水箱", "消毒", "检修", "报装", "销户", "表箱", "冻裂", "渗漏", "堵塞", "清洗"}

// TestWarnings_RaiseAndHandle: 28 quiet days of one appeal a day about
// water, then eight about 金典城's water cut today (three from one
// caller), a ticket open 34 days and one reopened twice — the job raises
// a surge, a new hotspot and the hard issues, once; handling them moves
// acknowledged → closed with a note and is audited; bad input changes
// nothing.
func TestWarnings_RaiseAndHandle(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, st := f.Context, f.DB.Stats()
		base := f.Clock.Now()
		f.Clock.mu.Lock()
		f.Clock.t = base.Add(-34 * 24 * time.Hour)
		f.Clock.mu.Unlock()
		old := f.NewTicket(t, "13900000000", true)
		f.Clock.Advance(6 * 24 * time.Hour)
		for i := 0; i < 28; i++ {
			tk := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Consult, CategoryID: f.Cat.ID, Urgency: hotline.Normal,
				Title: quietWords[i] + "咨询", Content: "来电咨询" + quietWords[i] + strings.Repeat(quietWords[(i+7)%28], 2),
				Requester: hotline.Requester{Name: "王五", Phone: fmt.Sprintf("1370000%04d", i), Address: "某处"},
				Location:  hotline.Location{Address: "安源区", UnitID: f.Units["px-anyuan"].ID}}
			if err := f.DB.CreateTicket(ctx, f.Actors["agent"], tk, true); err != nil {
				t.Fatal(err)
			}
			f.Clock.Advance(24 * time.Hour)
		}
		f.Clock.mu.Lock()
		f.Clock.t = base
		f.Clock.mu.Unlock()
		var today []int64
		for i := 0; i < 8; i++ {
			phone := fmt.Sprintf("1360000%04d", i)
			if i < 3 {
				phone = "13600009999"
			}
			today = append(today, f.NewTicket(t, phone, true).ID)
			f.Clock.Advance(time.Minute)
		}
		reopened := f.NewTicket(t, "13500000000", true)
		if _, err := rawDB(t, f).Exec(`UPDATE tickets SET reopen_count = 2 WHERE id = $1`, reopened.ID); err != nil {
			t.Fatal(err)
		}
		n, err := st.RaiseWarnings(ctx, hotspot.HardRule{}, hotspot.SurgeRule{})
		if err != nil {
			t.Fatal(err)
		}
		ws, err := st.Warnings(ctx, f.Actors["lead"], sqldb.WarningFilter{})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, w := range ws {
			kinds[w.Kind]++
			switch {
			case w.Kind == hotspot.WarnSurge:
				if !strings.Contains(w.Title, "安源区") || !strings.Contains(w.Title, "城乡建设/供水/停水") || len(w.TicketIDs) != 9 { // the eight and the reopened one
					t.Errorf("surge %+v", w)
				}
			case w.Kind == hotspot.WarnHotspot:
				if len(w.TicketIDs) < 8 || !strings.Contains(w.Evidence, "件诉求") {
					t.Errorf("hotspot %+v", w)
				}
			}
			if strings.Contains(w.Title+w.Evidence, "1360000") || w.Status != hotspot.WarnOpen {
				t.Errorf("warning %+v", w)
			}
		}
		titles := fmt.Sprint(ws)
		if n != len(ws) || kinds[hotspot.WarnSurge] != 1 || kinds[hotspot.WarnHotspot] != 1 || kinds[hotspot.WarnHardIssue] != 3 ||
			!strings.Contains(titles, old.Number+" 受理 34 天仍未办结") || !strings.Contains(titles, reopened.Number+" 已重办 2 次") ||
			!strings.Contains(titles, "同一来电人 3 次反映") {
			t.Fatalf("raised %d: %v", n, titles)
		}
		// The backtest over the month finds the same surge, today only.
		found, keys, err := st.Surges(ctx, f.Actors["lead"], base.Add(-20*24*time.Hour), base, hotspot.SurgeRule{})
		if err != nil || len(found) != 1 || keys != 1 || found[0].Count != 9 || found[0].District != "安源区" || !found[0].Day.Equal(base.Truncate(24*time.Hour).Add(-8*time.Hour)) {
			t.Errorf("backtest: %+v, %d keys, %v", found, keys, err)
		}
		if _, _, err := st.Surges(ctx, f.Actors["lead"], base, base.Add(-24*time.Hour), hotspot.SurgeRule{}); hotline.ErrorField(err) != "to" {
			t.Errorf("backwards range: %v", err)
		}
		// Again: nothing new; a ninth appeal updates the hotspot and the surge.
		f.NewTicket(t, "13600001234", true)
		if n, err := st.RaiseWarnings(ctx, hotspot.HardRule{}, hotspot.SurgeRule{}); err != nil || n != 0 {
			t.Fatalf("second run raised %d, %v", n, err)
		}
		again, _ := st.Warnings(ctx, f.Actors["lead"], sqldb.WarningFilter{Status: hotspot.WarnOpen})
		for _, w := range again {
			if w.Kind == hotspot.WarnSurge && len(w.TicketIDs) != 10 {
				t.Errorf("surge not brought up to date: %v", w.TicketIDs)
			}
		}
		if len(again) != len(ws) {
			t.Fatalf("open warnings %d, want %d", len(again), len(ws))
		}
		// Handling.
		id := ws[0].ID
		audits := auditCount(t, f)
		for _, bad := range []struct {
			who, to, note, want string
		}{
			{"water", hotspot.WarnAcknowledged, "", hotline.EForbidden},
			{"lead", "done", "", hotline.EInvalid},
			{"lead", hotspot.WarnClosed, "  ", hotline.EInvalid},
			{"lead", hotspot.WarnClosed, strings.Repeat("处", 501), hotline.EInvalid},
		} {
			if _, err := st.HandleWarning(ctx, f.Actors[bad.who], id, bad.to, bad.note); hotline.ErrorCode(err) != bad.want {
				t.Errorf("%s → %s: %v, want %s", bad.who, bad.to, err, bad.want)
			}
		}
		if _, err := st.HandleWarning(ctx, f.Actors["lead"], 999999, hotspot.WarnAcknowledged, ""); hotline.ErrorCode(err) != hotline.ENotFound {
			t.Errorf("missing warning: %v", err)
		}
		if w, err := st.HandleWarning(ctx, f.Actors["lead"], id, hotspot.WarnAcknowledged, ""); err != nil || w.Status != hotspot.WarnAcknowledged || w.HandledAt == nil {
			t.Fatalf("acknowledge: %+v %v", w, err)
		}
		if w, err := st.HandleWarning(ctx, f.Actors["lead"], id, hotspot.WarnClosed, "已通知供水公司抢修，已恢复供水"); err != nil || w.Status != hotspot.WarnClosed || w.Note == "" {
			t.Fatalf("close: %+v %v", w, err)
		}
		if _, err := st.HandleWarning(ctx, f.Actors["lead"], id, hotspot.WarnAcknowledged, ""); hotline.ErrorCode(err) != hotline.EConflict {
			t.Errorf("reopen a closed warning: %v", err)
		}
		if got := auditCount(t, f); got != audits+2 {
			t.Errorf("audit entries %d, want %d", got, audits+2)
		}
		if open, _ := st.OpenWarnings(ctx, f.Actors["lead"]); open != len(ws)-1 {
			t.Errorf("open %d, want %d", open, len(ws)-1)
		}
		if _, err := st.Warnings(ctx, f.Actors["lead"], sqldb.WarningFilter{Status: "gone"}); hotline.ErrorField(err) != "status" {
			t.Errorf("bad status: %v", err)
		}
		if _, err := st.Warnings(ctx, f.Actors["water"], sqldb.WarningFilter{}); hotline.ErrorCode(err) != hotline.EForbidden {
			t.Errorf("a unit listed warnings: %v", err)
		}
		// A closed warning stays closed: the next run does not raise it anew.
		if n, err := st.RaiseWarnings(ctx, hotspot.HardRule{}, hotspot.SurgeRule{}); err != nil || n != 0 {
			t.Fatalf("third run raised %d, %v", n, err)
		}
	})
}

// auditCount counts the audit log's entries.
func auditCount(t *testing.T, f *fixture) int {
	t.Helper()
	var n int
	if err := rawDB(t, f).QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWarnings_HotspotMoves: a hotspot whose first appeals leave the
// 14-day window is the same hotspot: its warning gathers the new
// appeals, no second one is raised; an old chain that only now reaches
// five is not new.
func TestWarnings_HotspotMoves(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		ctx, st := f.Context, f.DB.Stats()
		warnings := func() []sqldb.Warning {
			t.Helper()
			if _, err := st.RaiseHotspots(ctx, hotspot.HardRule{}); err != nil {
				t.Fatal(err)
			}
			ws, err := st.Warnings(ctx, f.Actors["lead"], sqldb.WarningFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return ws
		}
		for i := 0; i < 5; i++ {
			f.NewTicket(t, fmt.Sprintf("1360000%04d", i), true)
		}
		first := warnings()
		if len(first) != 1 || len(first[0].TicketIDs) != 5 {
			t.Fatalf("first: %+v", first)
		}
		f.Clock.Advance(10 * 24 * time.Hour)
		for i := 0; i < 3; i++ {
			f.NewTicket(t, fmt.Sprintf("1370000%04d", i), true)
		}
		if mid := warnings(); len(mid) != 1 || len(mid[0].TicketIDs) != 8 { // the job's pass that day
			t.Fatalf("ten days on: %+v", mid)
		}
		f.Clock.Advance(5 * 24 * time.Hour) // the first five are out of the window
		for i := 0; i < 3; i++ {
			f.NewTicket(t, fmt.Sprintf("1380000%04d", i), true)
		}
		later := warnings()
		if len(later) != 1 || later[0].ID != first[0].ID || len(later[0].TicketIDs) != 11 ||
			!strings.Contains(later[0].Evidence, "11-23 至 12-08 共 11 件诉求，分布在 3 天，11 位来电人") {
			t.Fatalf("later: %+v", later)
		}
		cats, _ := f.DB.FindCategories(ctx)
		var power int64
		for _, c := range cats {
			if c.Path == "城乡建设/供电/停电" {
				power = c.ID
			}
		}
		outage := func(i int) {
			tk := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Complaint, CategoryID: power, Urgency: hotline.Normal,
				Title: "凤凰街停电", Content: "安源区凤凰街又停电了", Requester: hotline.Requester{Name: "赵六", Phone: fmt.Sprintf("1350000%04d", i), Address: "凤凰街"},
				Location: hotline.Location{Address: "安源区凤凰街", UnitID: f.Units["px-anyuan"].ID}}
			if err := f.DB.CreateTicket(ctx, f.Actors["agent"], tk, true); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 4; i++ {
			outage(i)
		}
		f.Clock.Advance(10 * 24 * time.Hour)
		outage(4)
		if ws := warnings(); len(ws) != 1 {
			t.Fatalf("an old chain reaching five was warned of: %+v", ws)
		}
	})
}
