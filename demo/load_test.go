package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hotline"
	"hotline/demo"
	"hotline/quality"
	"hotline/report"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

func TestLoad(t *testing.T) {
	ctx := context.Background()
	db := sqldbtest.Open(t, filepath.Join(t.TempDir(), "hotline.db"))
	if err := db.SeedCalendar(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.SeedSLAPolicies(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, hotline.ChinaZone)
	if err := demo.Load(ctx, db, demo.Options{Password: "hotline12345", Tickets: 300, Now: now, Seed: 12345, CallsPerDay: 120, HistoryPerDay: 10}); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, db, demo.Options{Password: "x", Tickets: 10, Now: now}); err != nil {
		t.Fatal("second load on a loaded database:", err)
	}
	units, _ := db.FindUnits(ctx)
	kinds := map[hotline.UnitKind]int{}
	for _, u := range units {
		kinds[u.Kind]++
	}
	if kinds[hotline.UnitDistrict] != 7 || kinds[hotline.UnitTownship] < 14 || kinds[hotline.UnitDepartment]+kinds[hotline.UnitUtility]+kinds[hotline.UnitCompany] < 40 {
		t.Errorf("unit kinds %v", kinds)
	}
	lead := hotline.Actor{Role: hotline.RoleTeamLead}
	for _, s := range hotline.Statuses {
		_, n, err := db.FindTickets(ctx, lead, sqldb.TicketFilter{Status: []hotline.Status{s}})
		if err != nil || n == 0 {
			t.Errorf("no demo ticket in state %s (%v)", s, err)
		}
	}
	// Calls behind the phone tickets, some abandoned.
	st, err := db.FindCallStats(ctx, lead, sqldb.CallFilter{From: now.AddDate(0, 0, -90), To: now})
	if err != nil || st.Offered < 100 || st.Answered == 0 || st.Abandoned == 0 || st.ShortAbandons == 0 || st.AvgTalkSeconds < 200 || st.AvgTalkSeconds > 520 ||
		st.Missed == 0 || st.CalledBackInTime == 0 || st.CalledBackInTime == st.Missed {
		t.Errorf("demo call figures %+v (%v)", st, err)
	}
	// The call history: every one of the 90 days and today, every call
	// agent, nothing still ringing or talking.
	days, err := db.FindCallStatsBy(ctx, lead, sqldb.CallFilter{From: now.AddDate(0, 0, -91), To: now}, sqldb.ByDay)
	if err != nil || len(days) != 91 || days[0].Key != now.AddDate(0, 0, -90).Format("2006-01-02") || days[90].Key != "2026-11-27" {
		t.Errorf("call history over %d days (%v), from %v", len(days), err, days[0].Key)
	}
	agents, _ := db.FindCallStatsBy(ctx, lead, sqldb.CallFilter{From: now.AddDate(0, 0, -91), To: now}, sqldb.ByAgent)
	if len(agents) != 14+1 { // 14 call agents, and the unanswered calls' empty key
		t.Errorf("%d agents answered calls", len(agents)-1)
	}
	for _, o := range []string{"ringing", "talking"} {
		if _, n, err := db.FindCalls(ctx, lead, sqldb.CallFilter{From: now.AddDate(0, 0, -91), To: now.Add(time.Hour)}, o, 1, 1); n != 0 || err != nil {
			t.Errorf("%d calls %s in the demo (%v)", n, o, err)
		}
	}
	// Inspections of the complaints and unsatisfied callbacks, worked
	// through: pending, acknowledged, objected and decided ones.
	for _, st := range []quality.Status{quality.StatusPending, quality.StatusAcknowledged, quality.StatusDecided} {
		if _, n, err := db.Quality().FindInspections(ctx, lead, sqldb.InspectionFilter{Status: st}); err != nil || n == 0 {
			t.Errorf("no demo inspection %s (%v)", st, err)
		}
	}
	if d, err := db.Quality().LiveMonitoringDay(ctx, lead, now.AddDate(0, 0, -1)); err != nil || d.Seats < 3 || len(d.Sessions) < d.Seats {
		t.Errorf("yesterday's live monitoring %+v (%v)", d, err)
	}
	if _, n, err := db.Quality().FindInspections(ctx, lead, sqldb.InspectionFilter{Reason: quality.ReasonSampled, Status: quality.StatusAcknowledged}); err != nil || n < 8 {
		t.Errorf("%d sampled inspections worked through in the demo (%v)", n, err)
	}
	for _, st := range []quality.RectStatus{quality.RectOpen, quality.RectClosed} {
		if _, n, err := db.Quality().FindRectifications(ctx, lead, st, 1, 1); err != nil || n == 0 {
			t.Errorf("no demo rectification %s (%v)", st, err)
		}
	}
	if cov, err := db.Quality().UnsatisfiedCoverage(ctx, lead, now.AddDate(0, 0, -91), now); err != nil || cov.Due == 0 || cov.Rate != 1 {
		t.Errorf("demo coverage of unsatisfied tickets %+v (%v)", cov, err)
	}
	if seats, _, err := db.FindSeats(ctx, lead); err != nil || len(seats) == 0 || seats[0].Status != hotline.SeatReady {
		t.Errorf("demo seats %v (%v)", seats, err)
	}
	// The issue-15 queues have work in them.
	for name, f := range map[string]sqldb.TicketFilter{
		"退单待审核":   {ReturnReview: true},
		"上级转办":    {SubStatus: []string{hotline.SubForwarded, hotline.SubAcknowledged}},
		"待审核下级答复": {SubStatus: []string{hotline.SubReplied}},
		"市民催办":    {Urged: true},
	} {
		if _, n, err := db.FindTickets(ctx, lead, f); err != nil || n == 0 {
			t.Errorf("no demo ticket in %s (%v)", name, err)
		}
	}
	// The 300 stories and about ten a working day of history, every one
	// in the daily counts.
	_, total, _ := db.FindTickets(ctx, lead, sqldb.TicketFilter{})
	if total < 300+90*7 || total > 300+90*11 {
		t.Errorf("%d tickets, want 300 and the history's", total)
	}
	if diffs, err := db.Stats().Check(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("daily counts differ from the tickets: %v %v", err, diffs)
	}
	// The monthly reports: the months before submitted (one late), the
	// last one written.
	for back, want := range map[int]string{1: "", 2: report.StandingLate, 3: report.StandingOnTime} {
		p, _ := report.Containing(report.PeriodMonth, now)
		for i := 0; i < back; i++ {
			p = p.Previous()
		}
		st, err := db.Stats().ReportState(ctx, lead, p)
		if err != nil || len(st.Versions) != 1 || want != "" && st.Standing(now) != want {
			t.Errorf("demo report %s: %+v %v", p.Key(), st, err)
		}
	}
	// Every demo dispatch is recorded, so return rates have their base; the
	// models are trained and switched on.
	fig, err := db.FindDispatchFigures(ctx, now.Add(-100*24*time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var dispatched, returned int
	for _, u := range fig.Units {
		dispatched, returned = dispatched+u.Dispatched, returned+u.Returned
	}
	if dispatched < 150 || returned == 0 || returned*4 > dispatched {
		t.Errorf("demo dispatch figures: %d dispatches, %d returns", dispatched, returned)
	}
	for _, target := range []string{sqldb.TargetUnit, sqldb.TargetCategory} {
		if id, err := db.ActiveDispatchModelID(ctx, target); err != nil || id == 0 {
			t.Errorf("no active %s model in the demo (%v)", target, err)
		}
	}
	for _, name := range []string{"admin", "agent", "dispatcher", "inspector", "callback", "lead", "manager", "analyst", "supervisor", "util-water", "anyuan", "util-water.li", "anyuan.chen"} {
		if _, err := db.Login(ctx, sqldb.LoginRequest{Username: name, Password: "hotline12345"}); err != nil {
			t.Errorf("demo user %s cannot log in: %v", name, err)
		}
	}
}
