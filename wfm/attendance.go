package wfm

import (
	"sort"
	"time"
)

// Attendance (在岗台账): who was actually on duty, from sign-ins and
// sign-outs (the seat status and a button), compared with the roster.
// A rostered shift is on time, late (signed in more than Grace after its
// start), left early (signed out more than Grace before its end), both,
// or absent (no sign-in at all); time on duty outside any rostered shift
// is unrostered work. The 7×24 check: every clock hour in which no one
// on a call post was signed in, for any part of it, is a coverage gap.

// Punch kinds.
const (
	SignIn  = "sign_in"
	SignOut = "sign_out"
)

// Grace is how late a sign-in (or early a sign-out) may be before it
// counts.
const Grace = 5 * time.Minute

// Attendance statuses.
const (
	AttendOnTime     = "on_time"
	AttendLate       = "late"
	AttendEarly      = "early_leave"
	AttendLateEarly  = "late_early_leave"
	AttendAbsent     = "absent"
	AttendUnrostered = "unrostered"
	AttendOnDuty     = "on_duty"  // the shift is under way, signed in
	AttendUpcoming   = "upcoming" // the shift has not started
)

// AttendNames are the statuses in Chinese.
var AttendNames = map[string]string{
	AttendOnTime: "正常", AttendLate: "迟到", AttendEarly: "早退", AttendLateEarly: "迟到早退", AttendAbsent: "缺勤",
	AttendUnrostered: "排班外在岗", AttendOnDuty: "在岗中", AttendUpcoming: "未开始",
}

// Punch is a sign-in or sign-out.
type Punch struct {
	MemberID int64
	Kind     string
	At       time.Time
}

// Session is a stretch on duty, from a sign-in to the next sign-out (or
// until now while still signed in).
type Session struct {
	MemberID int64
	Start    time.Time
	End      time.Time
	Open     bool
}

// Duty is a rostered shift of a person.
type Duty struct {
	MemberID    int64
	Date, Shift string
	Post        string
	Start, End  time.Time
}

// Record is a line of the ledger: a rostered shift and how it was kept,
// or a stretch of unrostered work (Shift "").
type Record struct {
	MemberID     int64      `json:"member_id"`
	Date         string     `json:"date"`
	Shift        string     `json:"shift,omitempty"`
	Post         string     `json:"post,omitempty"`
	Start        time.Time  `json:"start"`
	End          time.Time  `json:"end"`
	SignIn       *time.Time `json:"sign_in,omitempty"`
	SignOut      *time.Time `json:"sign_out,omitempty"`
	Status       string     `json:"status"`
	LateMinutes  int        `json:"late_minutes,omitempty"`
	EarlyMinutes int        `json:"early_minutes,omitempty"`
}

// Sessions pairs each person's punches (any order) into stretches on
// duty: a second sign-in while signed in and a sign-out while signed out
// are ignored; a stretch still open ends at now.
func Sessions(punches []Punch, now time.Time) []Session {
	ps := append([]Punch(nil), punches...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].MemberID != ps[j].MemberID {
			return ps[i].MemberID < ps[j].MemberID
		}
		return ps[i].At.Before(ps[j].At)
	})
	var out []Session
	open := map[int64]int{}
	for _, p := range ps {
		i, ok := open[p.MemberID]
		switch {
		case p.Kind == SignIn && !ok:
			out = append(out, Session{MemberID: p.MemberID, Start: p.At, End: now, Open: true})
			open[p.MemberID] = len(out) - 1
		case p.Kind == SignOut && ok:
			out[i].End, out[i].Open = p.At, false
			delete(open, p.MemberID)
		}
	}
	return out
}

// Attend is the ledger: each duty with its sign-in, sign-out and status,
// then the unrostered stretches, in time order.
func Attend(duties []Duty, sessions []Session, now time.Time) []Record {
	bySession := map[int64][]Session{}
	for _, s := range sessions {
		bySession[s.MemberID] = append(bySession[s.MemberID], s)
	}
	var out []Record
	used := map[int64][]bool{}
	for _, d := range duties {
		r := Record{MemberID: d.MemberID, Date: d.Date, Shift: d.Shift, Post: d.Post, Start: d.Start, End: d.End}
		ss := bySession[d.MemberID]
		if used[d.MemberID] == nil {
			used[d.MemberID] = make([]bool, len(ss))
		}
		var in, out2 time.Time
		var open bool
		for i, s := range ss {
			// A stretch counts for the shift when it overlaps it (signed in
			// early is on time).
			if !s.Start.Before(d.End) || !s.End.After(d.Start) {
				continue
			}
			used[d.MemberID][i] = true
			if in.IsZero() || s.Start.Before(in) {
				in = s.Start
			}
			if s.End.After(out2) {
				out2, open = s.End, s.Open
			}
		}
		switch {
		case in.IsZero() && now.Before(d.Start):
			r.Status = AttendUpcoming
		case in.IsZero():
			r.Status = AttendAbsent
		default:
			r.SignIn = &in
			if !open {
				r.SignOut = &out2
			}
			late := in.Sub(d.Start) > Grace
			early := !open && d.End.Sub(out2) > Grace
			if late {
				r.LateMinutes = int(in.Sub(d.Start) / time.Minute)
			}
			if early {
				r.EarlyMinutes = int(d.End.Sub(out2) / time.Minute)
			}
			switch {
			case open && now.Before(d.End):
				r.Status = AttendOnDuty
				if late {
					r.Status = AttendLate
				}
			case late && early:
				r.Status = AttendLateEarly
			case late:
				r.Status = AttendLate
			case early:
				r.Status = AttendEarly
			default:
				r.Status = AttendOnTime
			}
		}
		out = append(out, r)
	}
	for id, ss := range bySession {
		for i, s := range ss {
			if used[id] != nil && used[id][i] {
				continue
			}
			r := Record{MemberID: id, Date: s.Start.Format("2006-01-02"), Start: s.Start, End: s.End, Status: AttendUnrostered}
			in := s.Start
			r.SignIn = &in
			if !s.Open {
				end := s.End
				r.SignOut = &end
			}
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].MemberID < out[j].MemberID
	})
	return out
}

// CoverageGap is a clock hour in which no one on a call post was on
// duty for some of it.
type CoverageGap struct {
	Hour    time.Time `json:"hour"`
	Minutes int       `json:"minutes"` // how much of the hour no one was on
}

// Coverage lists the gaps from from to to (whole hours, up to now) given
// the stretches on duty of the people on call posts.
func Coverage(sessions []Session, from, to time.Time) []CoverageGap {
	type span struct{ a, b time.Time }
	var spans []span
	for _, s := range sessions {
		spans = append(spans, span{s.Start, s.End})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a.Before(spans[j].a) })
	var out []CoverageGap
	for h := from.Truncate(time.Hour); !h.Add(time.Hour).After(to); h = h.Add(time.Hour) {
		end := h.Add(time.Hour)
		covered, at := time.Duration(0), h
		for _, sp := range spans {
			if !sp.b.After(at) || !sp.a.Before(end) {
				continue
			}
			a := sp.a
			if a.Before(at) {
				a = at
			}
			b := sp.b
			if b.After(end) {
				b = end
			}
			if b.After(a) {
				covered += b.Sub(a)
				at = b
			}
		}
		if missing := time.Hour - covered; missing >= time.Minute {
			out = append(out, CoverageGap{Hour: h, Minutes: int(missing / time.Minute)})
		}
	}
	return out
}
