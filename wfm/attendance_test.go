package wfm

import (
	"testing"
	"time"
)

func TestAttend(t *testing.T) {
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	duty := func(id int64, h int) Duty {
		return Duty{MemberID: id, Date: "2026-12-03", Shift: "s", Post: PostCall, Start: at(h, 0), End: at(h+8, 0)}
	}
	punches := []Punch{
		{1, SignIn, at(7, 50)}, {1, SignOut, at(16, 2)}, // on time
		{2, SignIn, at(8, 12)}, {2, SignOut, at(16, 0)}, // late 12
		{3, SignIn, at(8, 0)}, {3, SignOut, at(15, 30)}, // early 30
		{3, SignOut, at(15, 40)},                        // ignored: already out
		{5, SignIn, at(20, 0)}, {5, SignOut, at(21, 0)}, // unrostered
		{6, SignIn, at(16, 20)}, // still on, late
	}
	now := at(22, 0)
	recs := Attend([]Duty{duty(1, 8), duty(2, 8), duty(3, 8), duty(4, 8), duty(6, 16), duty(7, 23)}, Sessions(punches, now), now)
	want := map[int64]string{1: AttendOnTime, 2: AttendLate, 3: AttendEarly, 4: AttendAbsent, 5: AttendUnrostered, 6: AttendLate, 7: AttendUpcoming}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(recs), len(want), recs)
	}
	for _, r := range recs {
		if r.Status != want[r.MemberID] {
			t.Errorf("member %d: got %s, want %s", r.MemberID, r.Status, want[r.MemberID])
		}
	}
	for _, r := range recs {
		switch r.MemberID {
		case 2:
			if r.LateMinutes != 12 {
				t.Errorf("late minutes: got %d, want 12", r.LateMinutes)
			}
		case 3:
			if r.EarlyMinutes != 30 || r.SignOut == nil || !r.SignOut.Equal(at(15, 30)) {
				t.Errorf("early: got %d %v, want 30 at 15:30", r.EarlyMinutes, r.SignOut)
			}
		case 6:
			if r.SignOut != nil {
				t.Errorf("still on duty has a sign-out %v", r.SignOut)
			}
		}
	}
}

func TestCoverage(t *testing.T) {
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	ss := []Session{
		{MemberID: 1, Start: at(0, 0), End: at(8, 5)},
		{MemberID: 2, Start: at(7, 55), End: at(10, 20)}, // overlaps the first
		{MemberID: 3, Start: at(10, 30), End: at(12, 0)}, // ten minutes nobody at 10:20
		{MemberID: 4, Start: at(11, 0), End: at(11, 30)},
	}
	got := Coverage(ss, at(0, 0), at(14, 0))
	want := []CoverageGap{{Hour: at(10, 0), Minutes: 10}, {Hour: at(12, 0), Minutes: 60}, {Hour: at(13, 0), Minutes: 60}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if !got[i].Hour.Equal(want[i].Hour) || got[i].Minutes != want[i].Minutes {
			t.Errorf("gap %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestRegap(t *testing.T) {
	in := RosterInput{Shifts: DefaultShifts, Rules: DefaultRules}
	d := RosterDay{Date: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)}
	for s := 20; s < 30; s++ {
		d.Need[s] = 1
	}
	in.Days = []RosterDay{d}
	for i, p := range [][]string{{PostTeamLead}, {PostDispatcher}, {PostCall}} {
		in.Staff = append(in.Staff, Staff{ID: int64(i + 1), Posts: p, Certified: true})
	}
	r := Roster{}
	for _, sh := range []string{"夜班", "早班", "中班"} {
		r.Assignments = append(r.Assignments, Assignment{Date: "2026-12-03", Shift: sh, StaffID: 1, Post: PostTeamLead},
			Assignment{Date: "2026-12-03", Shift: sh, StaffID: 2, Post: PostDispatcher})
	}
	r.Assignments = append(r.Assignments, Assignment{Date: "2026-12-03", Shift: "早班", StaffID: 3, Post: PostCall})
	if g := Regap(in, r, "调整"); len(g) != 0 {
		t.Fatalf("covered roster has gaps %+v", g)
	}
	// Move the call agent to the night shift: slots 20..29 fall short, and
	// the key posts lose nothing.
	r.Assignments[len(r.Assignments)-1].Shift = "夜班"
	g := Regap(in, r, "调整")
	if len(g) != 10 || g[0].Slot != 20 || g[0].Reason != "调整" {
		t.Fatalf("got %+v, want the ten half hours from slot 20", g)
	}
	r.Uncovered = g
	if v := Check(in, r); len(v) == 0 {
		// The same person on a team lead's three shifts breaks the rules.
		t.Fatal("Check found no violation in a roster that puts one person on three shifts a day")
	}
}

// BenchmarkAttend: a month's ledger and 7×24 coverage for 30 people on
// about 22 eight-hour shifts each (660 shifts, 1,320 sign-ins and -outs).
func BenchmarkAttend(b *testing.B) {
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var duties []Duty
	var punches []Punch
	for id := int64(1); id <= 30; id++ {
		for d := 0; d < 31; d++ {
			if (d+int(id))%7 < 2 {
				continue
			}
			start := month.AddDate(0, 0, d).Add(time.Duration(id%3) * 8 * time.Hour)
			duties = append(duties, Duty{MemberID: id, Date: start.Format("2006-01-02"), Shift: "s", Post: PostCall, Start: start, End: start.Add(8 * time.Hour)})
			punches = append(punches, Punch{id, SignIn, start.Add(-5 * time.Minute)}, Punch{id, SignOut, start.Add(8*time.Hour + 3*time.Minute)})
		}
	}
	now := month.AddDate(0, 1, 0)
	b.ResetTimer()
	for b.Loop() {
		ss := Sessions(punches, now)
		if len(Attend(duties, ss, now)) != len(duties) {
			b.Fatal("lines lost")
		}
		Coverage(ss, month, now)
	}
}
