package wfm

import (
	"fmt"
	"sort"
	"time"
)

// Rosters (排班): a month of shifts for the team, generated to cover the
// call agents each half hour needs and a dispatcher and a team lead on
// every shift of every day, within the labour rules, fairly. The method
// is a documented heuristic: days in order; on each day the key posts of
// each shift first, then call-post shifts chosen greedily — the shift
// that covers the most of the half hours still short, given to the
// eligible person with the least load so far (hours, then nights,
// weekend and holiday shifts) — until the day is covered or no one is
// left, each shortfall reported with its reason; then a balancing pass
// hands shifts from the most loaded to the least loaded where the rules
// allow.

// Posts (岗位), as the glossary names them.
const (
	PostCall       = "call_agent"     // 话务
	PostDispatcher = "dispatcher"     // 工单派发
	PostTeamLead   = "team_lead"      // 班长
	PostInspector  = "inspector"      // 质检
	PostCallback   = "callback_agent" // 回访
	PostSpecialist = "specialist"     // 专席
)

// Shift is a shift template (班次): its name, start after midnight and
// length; a night shift counts for the night rules.
type Shift struct {
	Name  string
	Start time.Duration
	Hours float64
	Night bool
	Key   bool // the key posts (dispatcher, team lead) are staffed on it
}

// covers reports whether the shift covers half hour s of its day, or of
// the next day (a night shift past midnight) when next.
func (sh Shift) covers(s int, next bool) bool {
	from := int(sh.Start / (30 * time.Minute))
	to := from + int(sh.Hours*2)
	if next {
		s += Slots
	}
	return s >= from && s < to
}

// DefaultShifts are a 7×24 hotline's shifts: three eight-hour shifts
// round the clock, each with a team lead and a dispatcher, and a day
// shift for the peak.
var DefaultShifts = []Shift{
	{Name: "夜班", Start: 0, Hours: 8, Night: true, Key: true},
	{Name: "早班", Start: 8 * time.Hour, Hours: 8, Key: true},
	{Name: "日班", Start: 9 * time.Hour, Hours: 8},
	{Name: "中班", Start: 16 * time.Hour, Hours: 8, Key: true},
}

// Staff is a member of the team as the roster reads them.
type Staff struct {
	ID        int64
	Name      string
	Posts     []string        // the posts they can take
	Certified bool            // passed the onboarding exam: may take a call post
	Leave     map[string]bool // dates (YYYY-MM-DD) they are not available
	NoNights  bool            // a preference: no night shifts where others can take them
}

// can reports whether the person may take the post: one of theirs, and
// for a call post only once certified.
func (s Staff) can(post string) bool {
	return s.canPost(post) && (post != PostCall || s.Certified)
}

// Rules are the labour rules (labour law standard hours, or the
// operator's approved comprehensive hours).
type Rules struct {
	MaxHoursDay    float64 // per shift (8; 12 under comprehensive hours)
	MaxHoursWeek   float64 // any 7 days in a row (44)
	MaxHoursMonth  float64 // the month (176)
	MinRestHours   float64 // between the end of one shift and the start of the next (12)
	MaxNightsInRow int     // consecutive night shifts (2)
	MaxDaysInRow   int     // consecutive working days (6)
	MinDaysOffWeek int     // days off in any 7 days in a row (1)
	StandbyHoliday int     // extra call agents per key shift on holidays and event days (1)
}

// DefaultRules are the standard ones for a 7×24 hotline with approved
// comprehensive working hours.
var DefaultRules = Rules{MaxHoursDay: 12, MaxHoursWeek: 48, MaxHoursMonth: 184, MinRestHours: 12, MaxNightsInRow: 2, MaxDaysInRow: 6,
	MinDaysOffWeek: 1, StandbyHoliday: 1}

// RosterDay is a day to roster: its date, whether it is a holiday or a
// marked event day (standby staff added), and the call agents needed on
// the phones each half hour.
type RosterDay struct {
	Date    time.Time
	Holiday bool
	Event   bool
	Need    [Slots]int
}

// Assignment is a person on a shift of a day, on a post.
type Assignment struct {
	Date    string // YYYY-MM-DD
	Shift   string
	StaffID int64
	Post    string
	Standby bool // the holiday or event standby
}

// Gap is what the roster could not cover, and why.
type Gap struct {
	Date   string `json:"date"`
	Slot   int    `json:"slot,omitempty"` // the half hour (call post), or -1 for a shift's key post
	Shift  string `json:"shift,omitempty"`
	Post   string `json:"post"`
	Need   int    `json:"need"`
	Have   int    `json:"have"`
	Reason string `json:"reason"`
}

// Roster is a generated month.
type Roster struct {
	Assignments []Assignment
	Uncovered   []Gap
}

// RosterInput is what a roster is made from.
type RosterInput struct {
	Days   []RosterDay
	Shifts []Shift
	Staff  []Staff
	Rules  Rules
}

// load is what a person has worked so far in the roster.
type load struct {
	hours            float64
	nights, weekends int
	worked           map[int]int // day index → shift index
	lastEnd          time.Time
}

// Generate makes the roster.
func Generate(in RosterInput) Roster {
	g := &gen{in: in, loads: map[int64]*load{}}
	for _, s := range in.Staff {
		g.loads[s.ID] = &load{worked: map[int]int{}}
	}
	for di := range in.Days {
		g.day(di)
	}
	g.balance()
	sort.Slice(g.out.Assignments, func(i, j int) bool {
		a, b := g.out.Assignments[i], g.out.Assignments[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Shift != b.Shift {
			return a.Shift < b.Shift
		}
		return a.StaffID < b.StaffID
	})
	return g.out
}

type gen struct {
	in       RosterInput
	loads    map[int64]*load
	out      Roster
	reserved map[int64]bool // kept off the day's shifts for the next night's key posts
}

func dateKey(t time.Time) string { return t.Format("2006-01-02") }

// day rosters one day: key posts on every key shift, standby on holidays
// and event days, then the call post until the need is met.
func (g *gen) day(di int) {
	d := g.in.Days[di]
	g.reserved = nil
	for si, sh := range g.in.Shifts {
		if !sh.Night && g.reserved == nil {
			g.reserve(di)
		}
		if !sh.Key {
			continue
		}
		for _, post := range []string{PostTeamLead, PostDispatcher} {
			if p, why := g.pick(di, si, post); p != nil {
				g.assign(di, si, p, post, false)
			} else {
				g.out.Uncovered = append(g.out.Uncovered, Gap{Date: dateKey(d.Date), Slot: -1, Shift: sh.Name, Post: post, Need: 1, Reason: why})
			}
		}
		if d.Holiday || d.Event {
			for k := 0; k < g.in.Rules.StandbyHoliday; k++ {
				if p, _ := g.pick(di, si, PostCall); p != nil {
					g.assign(di, si, p, PostCall, true)
				}
			}
		}
	}
	for {
		short := g.shortfall(di)
		best, gain := -1, 0
		for si, sh := range g.in.Shifts {
			n := 0
			for s := 0; s < Slots; s++ {
				if short[s] > 0 && sh.covers(s, false) {
					n++
				}
			}
			if n > gain {
				best, gain = si, n
			}
		}
		if best < 0 {
			return
		}
		p, why := g.pick(di, best, PostCall)
		if p == nil {
			// No one for the best shift: try the others before giving up.
			found := false
			for si := range g.in.Shifts {
				if si == best {
					continue
				}
				n := 0
				for s := 0; s < Slots; s++ {
					if short[s] > 0 && g.in.Shifts[si].covers(s, false) {
						n++
					}
				}
				if n == 0 {
					continue
				}
				if q, _ := g.pick(di, si, PostCall); q != nil {
					g.assign(di, si, q, PostCall, false)
					found = true
					break
				}
			}
			if !found {
				for s := 0; s < Slots; s++ {
					if short[s] > 0 {
						g.out.Uncovered = append(g.out.Uncovered, Gap{Date: dateKey(d.Date), Slot: s, Post: PostCall, Need: d.Need[s], Have: d.Need[s] - short[s], Reason: why})
					}
				}
				return
			}
			continue
		}
		g.assign(di, best, p, PostCall, false)
	}
}

// shortfall is, per half hour of the day, the call agents still missing
// (night shifts of the day before count for the small hours).
func (g *gen) shortfall(di int) [Slots]int {
	d := g.in.Days[di]
	var have [Slots]int
	key := dateKey(d.Date)
	prev := ""
	if di > 0 {
		prev = dateKey(g.in.Days[di-1].Date)
	}
	for _, a := range g.out.Assignments {
		if a.Post != PostCall {
			continue
		}
		sh := g.shift(a.Shift)
		for s := 0; s < Slots; s++ {
			if a.Date == key && sh.covers(s, false) || a.Date == prev && sh.covers(s, true) {
				have[s]++
			}
		}
	}
	var short [Slots]int
	for s := range short {
		short[s] = max(0, d.Need[s]-have[s])
	}
	return short
}

func (g *gen) shift(name string) Shift {
	for _, s := range g.in.Shifts {
		if s.Name == name {
			return s
		}
	}
	return Shift{}
}

// pick is the eligible person with the least load for the shift and
// post, or nil and why no one is.
func (g *gen) pick(di, si int, post string) (*Staff, string) {
	d := g.in.Days[di]
	weekend := d.Holiday || d.Date.Weekday() == time.Saturday || d.Date.Weekday() == time.Sunday
	var best, kept *Staff
	reasons := map[string]int{}
	for i := range g.in.Staff {
		s := &g.in.Staff[i]
		if why := g.eligible(s, di, si, post); why != "" {
			reasons[why]++
			continue
		}
		if g.reserved[s.ID] && post == PostCall {
			reasons[whyReserved]++ // kept for the next night's key post
			continue
		}
		if g.reserved[s.ID] {
			// Kept for the next night: taken only when no one else can.
			if kept == nil || g.less(s, kept, g.in.Shifts[si], weekend) {
				kept = s
			}
			continue
		}
		if best == nil || g.less(s, best, g.in.Shifts[si], weekend) {
			best = s
		}
	}
	if best == nil {
		best = kept
	}
	if best != nil {
		return best, ""
	}
	return nil, describeReasons(post, reasons)
}

// reserve keeps, for the next day's night shift, a team lead and a
// dispatcher off today's day shifts (a day shift leaves too little rest
// before a night starting at midnight): for each key post, unless
// someone on this morning's night shift can go on to the next, the
// least-loaded person who could take the next night if free today.
func (g *gen) reserve(di int) {
	g.reserved = map[int64]bool{}
	if di+1 >= len(g.in.Days) {
		return
	}
	night := -1
	for si, sh := range g.in.Shifts {
		if sh.Night && sh.Key {
			night = si
			break
		}
	}
	if night < 0 {
		return
	}
	for _, post := range []string{PostTeamLead, PostDispatcher} {
		var best *Staff
		covered := false
		for i := range g.in.Staff {
			s := &g.in.Staff[i]
			if !s.can(post) || g.reserved[s.ID] {
				continue
			}
			worked := g.loads[s.ID].worked
			if checkShift(g.in, worked, s, di+1, night) != "" {
				continue
			}
			if _, today := worked[di]; today {
				covered = true // on this morning's night shift, free to go on
				break
			}
			if best == nil || g.less(s, best, g.in.Shifts[night], false) {
				best = s
			}
		}
		if !covered && best != nil {
			g.reserved[best.ID] = true
		}
	}
}

// less orders two candidates: for a night shift the fewest nights
// first (and no preference against them), for a weekend or holiday shift
// the fewest of those first, then the least hours, then the id.
func (g *gen) less(a, b *Staff, sh Shift, weekend bool) bool {
	la, lb := g.loads[a.ID], g.loads[b.ID]
	if sh.Night {
		if a.NoNights != b.NoNights {
			return !a.NoNights
		}
		if la.nights != lb.nights {
			return la.nights < lb.nights
		}
	}
	if weekend && la.weekends != lb.weekends {
		return la.weekends < lb.weekends
	}
	if la.hours != lb.hours {
		return la.hours < lb.hours
	}
	return a.ID < b.ID
}

func describeReasons(post string, reasons map[string]int) string {
	if len(reasons) == 0 {
		return "没有可担任该岗位的人员"
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := ""
	for i, k := range keys {
		if i > 0 {
			out += "；"
		}
		out += fmt.Sprintf("%s %d 人", k, reasons[k])
	}
	return out
}
