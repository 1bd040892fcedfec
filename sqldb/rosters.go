package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"time"

	"hotline"
	"hotline/wfm"
)

// RosterView is a stored month: its shifts with who works them, what it
// could not cover, and whether it is published.
type RosterView struct {
	Month       string       `json:"month"`
	Status      string       `json:"status"` // draft, published
	Shifts      []RosterSlot `json:"shifts"`
	Uncovered   []wfm.Gap    `json:"uncovered"`
	GeneratedAt time.Time    `json:"generated_at"`
	PublishedAt *time.Time   `json:"published_at,omitempty"`
}

// RosterSlot is a shift of a day with its staff.
type RosterSlot struct {
	Date  string         `json:"date"`
	Name  string         `json:"name"`
	Start time.Time      `json:"start"`
	End   time.Time      `json:"end"`
	Staff []RosterPerson `json:"staff"`
}

// RosterPerson is someone on a shift.
type RosterPerson struct {
	MemberID int64  `json:"member_id"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name"`
	Post     string `json:"post"`
	Standby  bool   `json:"standby,omitempty"`
}

// RosterInput gathers what a month's roster is made from: its days with
// the call agents each half hour needs (the forecast's, by Erlang C at
// the planning defaults), holidays from the calendar, and the team
// (active, certified for call posts, away after their leave date).
func (w *Workforce) RosterInput(ctx context.Context, actor hotline.Actor, month string) (wfm.RosterInput, error) {
	if err := canManageStaff(actor); err != nil {
		return wfm.RosterInput{}, err
	}
	return w.rosterInput(ctx, actor, month, false)
}

// CheckInput is the input to check a stored month against: RosterInput
// with all the month's days, the past ones too (they need no one).
func (w *Workforce) CheckInput(ctx context.Context, actor hotline.Actor, month string) (wfm.RosterInput, error) {
	if err := canManageStaff(actor); err != nil {
		return wfm.RosterInput{}, err
	}
	return w.rosterInput(ctx, actor, month, true)
}

// rosterInput is RosterInput from today on, or with all the month's days
// (to check an edited roster; the days gone need no one).
func (w *Workforce) rosterInput(ctx context.Context, actor hotline.Actor, month string, all bool) (wfm.RosterInput, error) {
	var in wfm.RosterInput
	first, err := time.ParseInLocation("2006-01", month, hotline.ChinaZone)
	if err != nil {
		return in, hotline.Invalid("month", "月份应为 YYYY-MM")
	}
	today := w.db.Now().In(hotline.ChinaZone)
	start := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, hotline.ChinaZone)
	last := first.AddDate(0, 1, -1)
	if last.Before(start) || first.After(start.AddDate(0, 0, 62)) {
		return in, hotline.Invalid("month", "只能为本月和之后两个月排班")
	}
	members, err := w.members(ctx, "TRUE")
	if err != nil {
		return in, err
	}
	days := int(last.Sub(start).Hours()/24) + 1
	fc, err := w.Forecast(ctx, actor, min(days, 62), wfm.Need{IntervalSeconds: 1800, TargetSeconds: 15, ServiceLevel: 0.8,
		MaxOccupancy: wfm.DefaultMaxOccupancy})
	if err != nil {
		return in, err
	}
	agents := map[string][]int{}
	for _, d := range fc.Days {
		agents[d.Date] = d.Agents
	}
	cal, err := w.db.Calendar(ctx)
	if err != nil {
		return in, err
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		day := wfm.RosterDay{Date: d, Holiday: wfm.TypeOf(cal, d) == wfm.TypeHoliday}
		for s, n := range agents[d.Format("2006-01-02")] {
			if s < wfm.Slots {
				day.Need[s] = n
			}
		}
		if d.Before(start) && !all {
			continue // days gone are not rostered again
		}
		in.Days = append(in.Days, day)
	}
	for _, m := range members {
		if m.Status == wfm.MemberLeft || m.Reserve {
			continue
		}
		s := wfm.Staff{ID: m.ID, Name: m.Name, Posts: m.Posts, Certified: m.Certified(), Leave: map[string]bool{}}
		if m.LeaveDate != "" {
			for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
				if key := d.Format("2006-01-02"); key > m.LeaveDate {
					s.Leave[key] = true
				}
			}
		}
		in.Staff = append(in.Staff, s)
	}
	in.Shifts, in.Rules = wfm.DefaultShifts, wfm.DefaultRules
	return in, nil
}

// GenerateRoster generates the month's roster and stores it as a draft
// (replacing a draft; a published roster is not replaced); audited.
func (w *Workforce) GenerateRoster(ctx context.Context, actor hotline.Actor, month string) (*RosterView, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	in, err := w.RosterInput(ctx, actor, month)
	if err != nil {
		return nil, err
	}
	r := wfm.Generate(in)
	gaps, _ := json.Marshal(r.Uncovered)
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var status string
	switch err := tx.QueryRowContext(ctx, `SELECT status FROM rosters WHERE month = $1`, month).Scan(&status); {
	case err == nil && status == "published":
		return nil, hotline.Errorf(hotline.EConflict, "%s 的排班已发布，不能重新生成", month)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	for _, q := range []string{`DELETE FROM roster_shifts WHERE month = $1`, `DELETE FROM rosters WHERE month = $1`} {
		if _, err := tx.ExecContext(ctx, q, month); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rosters (month, status, uncovered, generated_by, generated_at) VALUES ($1, 'draft', $2, $3, $4)`,
		month, string(gaps), nullID(actor.UserID), tx.now.UnixMilli()); err != nil {
		return nil, err
	}
	for _, a := range r.Assignments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO roster_shifts (month, day, shift, member_id, post, standby) VALUES ($1, $2, $3, $4, $5, $6)`,
			month, a.Date, a.Shift, a.StaffID, a.Post, a.Standby); err != nil {
			return nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, "roster.generate", "roster:"+month, ""); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return w.Roster(ctx, actor, month)
}

// PublishRoster publishes a month's draft: staff see their shifts;
// audited.
func (w *Workforce) PublishRoster(ctx context.Context, actor hotline.Actor, month string) (*RosterView, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE rosters SET status = 'published', published_at = $1 WHERE month = $2 AND status = 'draft'`, tx.now.UnixMilli(), month)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, hotline.Errorf(hotline.EConflict, "%s 没有待发布的排班", month)
	}
	if err := appendAudit(ctx, tx, actor, "roster.publish", "roster:"+month, ""); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return w.Roster(ctx, actor, month)
}

// Roster reads a stored month: managers see drafts, everyone with a
// staff record sees a published one.
func (w *Workforce) Roster(ctx context.Context, actor hotline.Actor, month string) (*RosterView, error) {
	v := &RosterView{Month: month, Shifts: []RosterSlot{}, Uncovered: []wfm.Gap{}}
	var gaps string
	var gen int64
	var pub sql.NullInt64
	err := w.db.read.QueryRowContext(ctx, `SELECT status, uncovered, generated_at, published_at FROM rosters WHERE month = $1`, month).Scan(&v.Status, &gaps, &gen, &pub)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "%s 还没有排班", month)
	} else if err != nil {
		return nil, err
	}
	if canManageStaff(actor) != nil && (v.Status != "published" || actor.UserID == 0) {
		return nil, hotline.Errorf(hotline.ENotFound, "%s 还没有发布排班", month)
	}
	v.GeneratedAt = fromMS(gen)
	if pub.Valid {
		t := fromMS(pub.Int64)
		v.PublishedAt = &t
	}
	json.Unmarshal([]byte(gaps), &v.Uncovered)
	if v.Uncovered == nil {
		v.Uncovered = []wfm.Gap{}
	}
	rows, err := w.db.read.QueryContext(ctx, `SELECT s.day, s.shift, s.member_id, s.post, s.standby, m.name, COALESCE(u.username, '')
		FROM roster_shifts s JOIN staff_members m ON m.id = s.member_id LEFT JOIN users u ON u.id = m.user_id
		WHERE s.month = $1 ORDER BY s.day, s.id`, month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	index := map[string]int{}
	for rows.Next() {
		var day, shift, sealed string
		var p RosterPerson
		if err := rows.Scan(&day, &shift, &p.MemberID, &p.Post, &p.Standby, &sealed, &p.Username); err != nil {
			return nil, err
		}
		if p.Name, err = w.db.keys.Decrypt("staff_name", sealed); err != nil {
			return nil, err
		}
		key := day + "/" + shift
		i, ok := index[key]
		if !ok {
			start, end := shiftTimes(day, shift)
			v.Shifts = append(v.Shifts, RosterSlot{Date: day, Name: shift, Start: start, End: end, Staff: []RosterPerson{}})
			i = len(v.Shifts) - 1
			index[key] = i
		}
		v.Shifts[i].Staff = append(v.Shifts[i].Staff, p)
	}
	sort.SliceStable(v.Shifts, func(i, j int) bool { return v.Shifts[i].Start.Before(v.Shifts[j].Start) })
	return v, rows.Err()
}

// Assignments is the view as the roster engine's assignments (to check
// a stored roster against its rules).
func (v *RosterView) Assignments() wfm.Roster {
	r := wfm.Roster{Uncovered: v.Uncovered}
	for _, s := range v.Shifts {
		for _, p := range s.Staff {
			r.Assignments = append(r.Assignments, wfm.Assignment{Date: s.Date, Shift: s.Name, StaffID: p.MemberID, Post: p.Post, Standby: p.Standby})
		}
	}
	return r
}
