package wfm

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// Shifts24 are a 7×24 hotline's shifts: three eight-hour shifts round the
// clock with the key posts, and a day shift for the peak.
var shifts24 = []Shift{
	{Name: "夜", Start: 0, Hours: 8, Night: true, Key: true},
	{Name: "早", Start: 8 * time.Hour, Hours: 8, Key: true},
	{Name: "日", Start: 9 * time.Hour, Hours: 8},
	{Name: "中", Start: 16 * time.Hour, Hours: 8, Key: true},
}

// team is n people: a few team leads and dispatchers (who can also take
// calls), the rest call agents, some not yet certified, some on leave.
func team(rng *rand.Rand, n int, month time.Time) []Staff {
	var out []Staff
	for i := 0; i < n; i++ {
		s := Staff{ID: int64(i + 1), Name: fmt.Sprintf("员工%02d", i+1), Posts: []string{PostCall}, Certified: rng.IntN(10) > 0, Leave: map[string]bool{}}
		switch {
		case i < 4:
			s.Posts = append(s.Posts, PostTeamLead)
		case i < 9:
			s.Posts = append(s.Posts, PostDispatcher)
		}
		for k := rng.IntN(4); k > 0; k-- {
			s.Leave[month.AddDate(0, 0, rng.IntN(28)).Format("2006-01-02")] = true
		}
		s.NoNights = rng.IntN(6) == 0
		out = append(out, s)
	}
	return out
}

// monthNeed is a month of call-post needs shaped like the demo's day:
// 1–2 at night, up to peak at 10:00 and 15:00, weekends lower.
func monthNeed(month time.Time, peak int, holidays map[int]bool) []RosterDay {
	shape := hourWeightsForTest()
	top := 0.0
	for _, x := range shape {
		top = max(top, x)
	}
	var out []RosterDay
	for d := month; d.Month() == month.Month(); d = d.AddDate(0, 0, 1) {
		day := RosterDay{Date: d, Holiday: holidays[d.Day()]}
		scale := 1.0
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday || day.Holiday {
			scale = 0.65
		}
		for s := range day.Need {
			day.Need[s] = max(1, int(float64(peak)*scale*shape[s]/top+0.5))
		}
		out = append(out, day)
	}
	return out
}

// TestGenerate_Properties: for random teams, leave and needs (some
// months more than the team can cover), the roster keeps every labour
// rule, puts no uncertified person on a call post and no one on leave,
// has a team lead and a dispatcher on every key shift, and covers every
// half hour's call agents — or lists each shortfall with its reason.
func TestGenerate_Properties(t *testing.T) {
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for seed := uint64(1); seed <= 12; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		staff := team(rng, 18+rng.IntN(14), month)
		in := RosterInput{Days: monthNeed(month, 4+rng.IntN(6), map[int]bool{31: seed%2 == 0}), Shifts: shifts24, Staff: staff, Rules: DefaultRules}
		r := Generate(in)
		if v := Check(in, r); len(v) > 0 {
			t.Errorf("seed %d: %d violations, first %v", seed, len(v), v[:min(3, len(v))])
		}
		if bad := independentCheck(in, r); bad != "" {
			t.Errorf("seed %d: %s", seed, bad)
		}
		for _, a := range r.Assignments {
			for _, s := range staff {
				if s.ID == a.StaffID && a.Post == PostCall && !s.Certified {
					t.Fatalf("seed %d: uncertified %d on a call post", seed, s.ID)
				}
			}
		}
		for _, u := range r.Uncovered {
			if u.Reason == "" {
				t.Errorf("seed %d: a gap without a reason: %+v", seed, u)
			}
		}
		t.Logf("seed %d: %d staff, %d shifts, %d gaps", seed, len(staff), len(r.Assignments), len(r.Uncovered))
	}
}

// TestGenerate_Covers: a team big enough covers a month fully, with
// standby on the holiday (one per key shift), and shares the night
// shifts fairly among people of the same posts.
func TestGenerate_Covers(t *testing.T) {
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var staff []Staff
	for i := 0; i < 30; i++ {
		s := Staff{ID: int64(i + 1), Posts: []string{PostCall}, Certified: true}
		if i < 5 {
			s.Posts = append(s.Posts, PostTeamLead)
		} else if i < 11 {
			s.Posts = append(s.Posts, PostDispatcher)
		}
		staff = append(staff, s)
	}
	in := RosterInput{Days: monthNeed(month, 6, map[int]bool{25: true}), Shifts: shifts24, Staff: staff, Rules: DefaultRules}
	r := Generate(in)
	if v := Check(in, r); len(v) > 0 || len(r.Uncovered) > 0 {
		t.Fatalf("violations %v, gaps %v", v, r.Uncovered[:min(3, len(r.Uncovered))])
	}
	standby, nights := 0, map[int64]int{}
	for _, a := range r.Assignments {
		if a.Standby && a.Date == "2026-12-25" {
			standby++
		}
		if a.Shift == "夜" {
			nights[a.StaffID]++
		}
	}
	// Nights are shared within each group of the same posts (the team
	// leads between them carry every night's lead).
	groups := map[string][]int{}
	for _, s := range staff {
		k := fmt.Sprint(s.Posts)
		groups[k] = append(groups[k], nights[s.ID])
	}
	for k, ns := range groups {
		lo, hi := 99, 0
		for _, n := range ns {
			lo, hi = min(lo, n), max(hi, n)
		}
		if hi-lo > 2 {
			t.Errorf("%s: nights from %d to %d", k, lo, hi)
		}
	}
	if standby != 3 {
		t.Errorf("standby on the holiday %d (want 3)", standby)
	}
}

// BenchmarkGenerateMonth: a month for 30 staff.
func BenchmarkGenerateMonth(b *testing.B) {
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	rng := rand.New(rand.NewPCG(1, 1))
	in := RosterInput{Days: monthNeed(month, 8, nil), Shifts: shifts24, Staff: team(rng, 30, month), Rules: DefaultRules}
	for i := 0; i < b.N; i++ {
		Generate(in)
	}
}

// independentCheck re-checks the labour rules the plain way, apart from
// the generator's own checks: one shift a day, 12 hours' rest, 48 hours
// and a day off in any 7 days, 6 days and 2 nights in a row, no one on
// leave.
func independentCheck(in RosterInput, r Roster) string {
	type span struct {
		day        int
		start, end time.Time
		night      bool
	}
	days := map[string]int{}
	for i, d := range in.Days {
		days[d.Date.Format("2006-01-02")] = i
	}
	leave := map[int64]map[string]bool{}
	for _, s := range in.Staff {
		leave[s.ID] = s.Leave
	}
	by := map[int64][]span{}
	for _, a := range r.Assignments {
		var sh Shift
		for _, x := range in.Shifts {
			if x.Name == a.Shift {
				sh = x
			}
		}
		if leave[a.StaffID][a.Date] {
			return fmt.Sprintf("#%d works on leave %s", a.StaffID, a.Date)
		}
		di := days[a.Date]
		st := in.Days[di].Date.Add(sh.Start)
		by[a.StaffID] = append(by[a.StaffID], span{di, st, st.Add(time.Duration(sh.Hours) * time.Hour), sh.Night})
	}
	for id, ss := range by {
		for i := range ss {
			for j := range ss {
				if i != j && ss[i].day == ss[j].day {
					return fmt.Sprintf("#%d twice on day %d", id, ss[i].day)
				}
				if i != j && ss[j].start.After(ss[i].start) && ss[j].start.Sub(ss[i].end) < 12*time.Hour {
					return fmt.Sprintf("#%d rests %v between days %d and %d", id, ss[j].start.Sub(ss[i].end), ss[i].day, ss[j].day)
				}
			}
		}
		on := map[int]bool{}
		night := map[int]bool{}
		for _, x := range ss {
			on[x.day], night[x.day] = true, x.night
		}
		for from := 0; from+7 <= len(in.Days); from++ {
			n := 0
			for d := from; d < from+7; d++ {
				if on[d] {
					n++
				}
			}
			if n*8 > 48 || n > 6 {
				return fmt.Sprintf("#%d works %d days in the 7 from day %d", id, n, from)
			}
		}
		run, nights := 0, 0
		for d := 0; d < len(in.Days); d++ {
			if on[d] {
				run++
			} else {
				run = 0
			}
			if on[d] && night[d] {
				nights++
			} else {
				nights = 0
			}
			if run > 6 || nights > 2 {
				return fmt.Sprintf("#%d: %d days / %d nights in a row to day %d", id, run, nights, d)
			}
		}
	}
	return ""
}
