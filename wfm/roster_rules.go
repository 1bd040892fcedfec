package wfm

import (
	"fmt"
	"time"
)

// The reasons a person cannot take a shift.
const (
	whyUncertified = "未通过上岗考试"
	whyPost        = "不能担任该岗位"
	whyLeave       = "请假"
	whySameDay     = "当天已排班"
	whyRest        = "两班之间休息不足"
	whyShiftLong   = "超过单班时长"
	whyWeek        = "超过7天工时上限"
	whyMonth       = "超过月工时上限"
	whyDaysInRow   = "连续上班天数已满"
	whyDaysOff     = "7天内休息日不足"
	whyNights      = "连续夜班已满"
	whyReserved    = "留给次日夜班的关键岗位"
)

// eligible is "" when the person may take the shift on the post, or why
// not.
func (g *gen) eligible(s *Staff, di, si int, post string) string {
	if !s.can(post) {
		if post == PostCall && s.canPost(post) {
			return whyUncertified
		}
		return whyPost
	}
	return checkShift(g.in, g.loads[s.ID].worked, s, di, si)
}

func (s Staff) canPost(post string) bool {
	for _, p := range s.Posts {
		if p == post {
			return true
		}
	}
	return false
}

// checkShift checks the labour rules for a person who works the shifts
// of worked (day index → shift index) taking shift si on day di.
func checkShift(in RosterInput, worked map[int]int, s *Staff, di, si int) string {
	d, sh, r := in.Days[di], in.Shifts[si], in.Rules
	if s.Leave[dateKey(d.Date)] {
		return whyLeave
	}
	if _, ok := worked[di]; ok {
		return whySameDay
	}
	if r.MaxHoursDay > 0 && sh.Hours > r.MaxHoursDay {
		return whyShiftLong
	}
	start := shiftStart(d, sh)
	end := start.Add(time.Duration(sh.Hours * float64(time.Hour)))
	month := sh.Hours
	for odi, osi := range worked {
		o := in.Shifts[osi]
		os := shiftStart(in.Days[odi], o)
		oe := os.Add(time.Duration(o.Hours * float64(time.Hour)))
		month += o.Hours
		if gap := start.Sub(oe); odi < di && gap < time.Duration(r.MinRestHours*float64(time.Hour)) {
			return whyRest
		}
		if gap := os.Sub(end); odi > di && gap < time.Duration(r.MinRestHours*float64(time.Hour)) {
			return whyRest
		}
	}
	if r.MaxHoursMonth > 0 && month > r.MaxHoursMonth+1e-9 {
		return whyMonth
	}
	with := func(i int) (int, bool) {
		if i == di {
			return si, true
		}
		x, ok := worked[i]
		return x, ok
	}
	// Every 7-day window holding day di: hours and days off.
	for from := di - 6; from <= di; from++ {
		hours, days := 0.0, 0
		for i := from; i < from+7; i++ {
			if x, ok := with(i); ok {
				hours += in.Shifts[x].Hours
				days++
			}
		}
		if r.MaxHoursWeek > 0 && hours > r.MaxHoursWeek+1e-9 {
			return whyWeek
		}
		if r.MinDaysOffWeek > 0 && days > 7-r.MinDaysOffWeek && from >= 0 && from+6 < len(in.Days) {
			return whyDaysOff
		}
	}
	// Runs of working days and of nights through day di.
	run := 1
	for i := di - 1; ; i-- {
		if _, ok := with(i); !ok {
			break
		}
		run++
	}
	for i := di + 1; ; i++ {
		if _, ok := with(i); !ok {
			break
		}
		run++
	}
	if r.MaxDaysInRow > 0 && run > r.MaxDaysInRow {
		return whyDaysInRow
	}
	if sh.Night {
		nights := 1
		for i := di - 1; ; i-- {
			x, ok := with(i)
			if !ok || !in.Shifts[x].Night {
				break
			}
			nights++
		}
		for i := di + 1; ; i++ {
			x, ok := with(i)
			if !ok || !in.Shifts[x].Night {
				break
			}
			nights++
		}
		if r.MaxNightsInRow > 0 && nights > r.MaxNightsInRow {
			return whyNights
		}
	}
	return ""
}

func shiftStart(d RosterDay, sh Shift) time.Time {
	y, m, dd := d.Date.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, d.Date.Location()).Add(sh.Start)
}

// assign puts the person on the shift.
func (g *gen) assign(di, si int, s *Staff, post string, standby bool) {
	d, sh := g.in.Days[di], g.in.Shifts[si]
	g.out.Assignments = append(g.out.Assignments, Assignment{Date: dateKey(d.Date), Shift: sh.Name, StaffID: s.ID, Post: post, Standby: standby})
	l := g.loads[s.ID]
	l.hours += sh.Hours
	l.worked[di] = si
	if sh.Night {
		l.nights++
	}
	if wd := d.Date.Weekday(); wd == time.Saturday || wd == time.Sunday || d.Holiday {
		l.weekends++
	}
}

// balance hands call-post shifts from the most loaded people to the
// least loaded where the rules allow, while that narrows the gap.
func (g *gen) balance() {
	index := map[string]int{}
	for i, d := range g.in.Days {
		index[dateKey(d.Date)] = i
	}
	shiftIndex := map[string]int{}
	for i, s := range g.in.Shifts {
		shiftIndex[s.Name] = i
	}
	for pass := 0; pass < 3; pass++ {
		moved := false
		for ai := range g.out.Assignments {
			a := &g.out.Assignments[ai]
			if a.Post != PostCall {
				continue
			}
			di, si := index[a.Date], shiftIndex[a.Shift]
			from := g.loads[a.StaffID]
			hours := g.in.Shifts[si].Hours
			var to *Staff
			for i := range g.in.Staff {
				s := &g.in.Staff[i]
				l := g.loads[s.ID]
				if s.ID == a.StaffID || l.hours+hours >= from.hours || g.eligible(s, di, si, PostCall) != "" {
					continue
				}
				if to == nil || l.hours < g.loads[to.ID].hours {
					to = s
				}
			}
			if to == nil {
				continue
			}
			sh, d := g.in.Shifts[si], g.in.Days[di]
			weekend := d.Date.Weekday() == time.Saturday || d.Date.Weekday() == time.Sunday || d.Holiday
			delete(from.worked, di)
			from.hours -= hours
			tl := g.loads[to.ID]
			tl.worked[di], tl.hours = si, tl.hours+hours
			if sh.Night {
				from.nights--
				tl.nights++
			}
			if weekend {
				from.weekends--
				tl.weekends++
			}
			a.StaffID = to.ID
			moved = true
		}
		if !moved {
			return
		}
	}
}

// Violation is a rule a roster breaks.
type Violation struct {
	Date, Shift string
	StaffID     int64
	Rule        string
}

// String tells the violation: date, shift, person and rule.
func (v Violation) String() string {
	return fmt.Sprintf("%s %s #%d: %s", v.Date, v.Shift, v.StaffID, v.Rule)
}

// Check verifies a roster against its input: every person's shifts keep
// the labour rules, no uncertified person on a call post, no one on a
// post they cannot take or on leave; every key shift has a team lead and
// a dispatcher and every half hour its call agents — or the shortfall is
// listed in Uncovered.
func Check(in RosterInput, r Roster) []Violation {
	var out []Violation
	byID := map[int64]*Staff{}
	for i := range in.Staff {
		byID[in.Staff[i].ID] = &in.Staff[i]
	}
	index, shiftIndex := map[string]int{}, map[string]int{}
	for i, d := range in.Days {
		index[dateKey(d.Date)] = i
	}
	for i, s := range in.Shifts {
		shiftIndex[s.Name] = i
	}
	worked := map[int64]map[int]int{}
	for _, a := range r.Assignments {
		s := byID[a.StaffID]
		if s == nil || !s.can(a.Post) {
			out = append(out, Violation{a.Date, a.Shift, a.StaffID, fmt.Sprintf("不能担任%s", postName(a.Post))})
			continue
		}
		if worked[a.StaffID] == nil {
			worked[a.StaffID] = map[int]int{}
		}
		di, si := index[a.Date], shiftIndex[a.Shift]
		if why := checkShift(in, worked[a.StaffID], s, di, si); why != "" {
			out = append(out, Violation{a.Date, a.Shift, a.StaffID, why})
		}
		worked[a.StaffID][di] = si
	}
	listed := map[string]bool{}
	for _, u := range r.Uncovered {
		listed[fmt.Sprintf("%s/%s/%s/%d", u.Date, u.Shift, u.Post, u.Slot)] = true
	}
	for di, d := range in.Days {
		key := dateKey(d.Date)
		for _, sh := range in.Shifts {
			if !sh.Key {
				continue
			}
			for _, post := range []string{PostTeamLead, PostDispatcher} {
				found := false
				for _, a := range r.Assignments {
					found = found || a.Date == key && a.Shift == sh.Name && a.Post == post
				}
				if !found && !listed[fmt.Sprintf("%s/%s/%s/%d", key, sh.Name, post, -1)] {
					out = append(out, Violation{key, sh.Name, 0, fmt.Sprintf("缺少%s且未列为缺口", postName(post))})
				}
			}
		}
		g := &gen{in: in, out: r}
		short := g.shortfall(di)
		for s := 0; s < Slots; s++ {
			if short[s] > 0 && !listed[fmt.Sprintf("%s//%s/%d", key, PostCall, s)] {
				out = append(out, Violation{key, "", 0, fmt.Sprintf("第%d个半小时少%d名话务员且未列为缺口", s, short[s])})
			}
		}
	}
	return out
}

// postName is a post's Chinese name (or its code when unknown).
func postName(post string) string {
	if n, ok := PostNames[post]; ok {
		return n
	}
	return post
}
