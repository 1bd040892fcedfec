package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/wfm"
)

// AttendanceView is a month's attendance ledger (在岗台账): each rostered
// shift of the published roster with how it was kept, unrostered work,
// the hours no call post was on duty, the corrections asked for, and
// the totals per status.
type AttendanceView struct {
	Month       string            `json:"month"`
	Records     []AttendanceLine  `json:"records"`
	Gaps        []wfm.CoverageGap `json:"gaps"`
	GapMinutes  int               `json:"gap_minutes"`
	Totals      map[string]int    `json:"totals"`
	Corrections []Correction      `json:"corrections"`
	All         bool              `json:"all"` // the whole team (else the actor's own lines)
}

// AttendanceLine is a ledger line with the person's name.
type AttendanceLine struct {
	wfm.Record
	Name     string `json:"name"`
	Username string `json:"username,omitempty"`
}

// Correction is a sign-in or sign-out asked to be added (补卡), with its
// reason and decision.
type Correction struct {
	ID          int64      `json:"id"`
	MemberID    int64      `json:"member_id"`
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	At          time.Time  `json:"at"`
	Reason      string     `json:"reason"`
	Status      string     `json:"status"` // pending, approved, rejected
	RequestedAt time.Time  `json:"requested_at"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	Note        string     `json:"note,omitempty"`
}

// rowQuerier is a transaction or a database handle that reads one row.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// memberOf is the staff record linked to the actor's account.
func memberOf(ctx context.Context, q rowQuerier, actor hotline.Actor) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM staff_members WHERE user_id = $1 AND status <> 'left'`, actor.UserID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) || actor.UserID == 0 {
		return 0, hotline.Errorf(hotline.ENotFound, "你的账号没有关联人员档案")
	}
	return id, err
}

// signedIn reports whether the member's last punch is a sign-in.
func signedIn(ctx context.Context, q rowQuerier, member int64) (bool, error) {
	var kind string
	err := q.QueryRowContext(ctx, `SELECT kind FROM attendance_punches WHERE member_id = $1 ORDER BY at DESC, id DESC LIMIT 1`, member).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return kind == wfm.SignIn, err
}

// Punch signs the actor in or out with the button; audited.
func (w *Workforce) Punch(ctx context.Context, actor hotline.Actor, kind string) error {
	if kind != wfm.SignIn && kind != wfm.SignOut {
		return hotline.Invalid("kind", "应为 sign_in 或 sign_out")
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	member, err := memberOf(ctx, tx, actor)
	if err != nil {
		return err
	}
	in, err := signedIn(ctx, tx, member)
	if err != nil {
		return err
	}
	if in == (kind == wfm.SignIn) {
		if in {
			return hotline.Errorf(hotline.EConflict, "已签到，不能重复签到")
		}
		return hotline.Errorf(hotline.EConflict, "尚未签到，不能签退")
	}
	if err := insertPunch(ctx, tx, member, kind, tx.now, "button", 0); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "attendance."+kind, "staff:"+strconv.FormatInt(member, 10), ""); err != nil {
		return err
	}
	return tx.Commit()
}

func insertPunch(ctx context.Context, tx *Tx, member int64, kind string, at time.Time, source string, correction int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO attendance_punches (member_id, kind, at, source, correction_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		member, kind, at.UnixMilli(), source, nullID(correction), tx.now.UnixMilli())
	return err
}

// punchSeat signs a seat's user in when it leaves offline and out when
// it goes offline (users without a staff record are not in the ledger).
func punchSeat(ctx context.Context, tx *Tx, userID int64, status hotline.SeatStatus) error {
	var member int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM staff_members WHERE user_id = $1 AND status <> 'left'`, userID).Scan(&member)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	in, err := signedIn(ctx, tx, member)
	if err != nil {
		return err
	}
	switch {
	case status == hotline.SeatOffline && in:
		return insertPunch(ctx, tx, member, wfm.SignOut, tx.now, "seat", 0)
	case status != hotline.SeatOffline && !in:
		return insertPunch(ctx, tx, member, wfm.SignIn, tx.now, "seat", 0)
	}
	return nil
}

// SignedIn reports whether the actor is signed in now.
func (w *Workforce) SignedIn(ctx context.Context, actor hotline.Actor) (bool, error) {
	member, err := memberOf(ctx, w.db.read, actor)
	if err != nil {
		return false, err
	}
	return signedIn(ctx, w.db.read, member)
}

// Attendance reads a month's ledger: the team leads and managers see
// everyone (with the coverage gaps), the others their own lines.
func (w *Workforce) Attendance(ctx context.Context, actor hotline.Actor, month string) (*AttendanceView, error) {
	first, err := time.ParseInLocation("2006-01", month, hotline.ChinaZone)
	if err != nil {
		return nil, hotline.Invalid("month", "月份应为 YYYY-MM")
	}
	var only int64
	if canPlan(actor) != nil {
		if only, err = memberOf(ctx, w.db.read, actor); err != nil {
			return nil, err
		}
	}
	return w.attendance(ctx, month, first, only)
}

// attendance is the month's ledger: everyone's (only 0), or one
// person's.
func (w *Workforce) attendance(ctx context.Context, month string, first time.Time, only int64) (*AttendanceView, error) {
	v := &AttendanceView{Month: month, Records: []AttendanceLine{}, Gaps: []wfm.CoverageGap{}, Totals: map[string]int{}, Corrections: []Correction{},
		All: only == 0}
	now := w.db.Now()
	end := first.AddDate(0, 1, 0)
	members, err := w.members(ctx, "TRUE")
	if err != nil {
		return nil, err
	}
	byID := map[int64]wfm.Member{}
	for _, m := range members {
		byID[m.ID] = m
	}
	duties, err := w.duties(ctx, month)
	if err != nil {
		return nil, err
	}
	rows, err := w.db.read.QueryContext(ctx, `SELECT member_id, kind, at FROM attendance_punches WHERE at >= $1 AND at < $2 ORDER BY at, id`,
		first.AddDate(0, 0, -1).UnixMilli(), end.AddDate(0, 0, 1).UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var punches []wfm.Punch
	for rows.Next() {
		var p wfm.Punch
		var at int64
		if err := rows.Scan(&p.MemberID, &p.Kind, &at); err != nil {
			return nil, err
		}
		p.At = fromMS(at)
		if p.At.After(now) {
			continue
		}
		punches = append(punches, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sessions := wfm.Sessions(punches, now)
	usernames, err := w.usernames(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range wfm.Attend(duties, sessions, now) {
		// The ledger is what happened: shifts not yet begun are the roster's.
		if r.Start.Before(first) || !r.Start.Before(end) || only != 0 && r.MemberID != only || r.Status == wfm.AttendUpcoming {
			continue
		}
		v.Records = append(v.Records, AttendanceLine{Record: r, Name: byID[r.MemberID].Name, Username: usernames[r.MemberID]})
		v.Totals[r.Status]++
	}
	if v.All {
		var call []wfm.Session
		for _, s := range sessions {
			if m := byID[s.MemberID]; hasPost(m.Posts, wfm.PostCall) || hasPost(m.Posts, wfm.PostSpecialist) {
				call = append(call, s)
			}
		}
		to := end
		if now.Before(to) {
			to = now
		}
		if to.After(first) {
			v.Gaps = append(v.Gaps, wfm.Coverage(call, first, to)...)
		}
		for _, g := range v.Gaps {
			v.GapMinutes += g.Minutes
		}
	}
	v.Corrections, err = w.corrections(ctx, first, end, only, byID)
	return v, err
}

func hasPost(posts []string, post string) bool {
	for _, p := range posts {
		if p == post {
			return true
		}
	}
	return false
}

// duties are the month's rostered shifts, once the roster is published.
func (w *Workforce) duties(ctx context.Context, month string) ([]wfm.Duty, error) {
	rows, err := w.db.read.QueryContext(ctx, `SELECT s.day, s.shift, s.member_id, s.post FROM roster_shifts s JOIN rosters r ON r.month = s.month
		WHERE s.month = $1 AND r.status = 'published' ORDER BY s.day, s.id`, month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wfm.Duty
	for rows.Next() {
		var d wfm.Duty
		if err := rows.Scan(&d.Date, &d.Shift, &d.MemberID, &d.Post); err != nil {
			return nil, err
		}
		d.Start, d.End = shiftTimes(d.Date, d.Shift)
		out = append(out, d)
	}
	return out, rows.Err()
}

// shiftTimes are a shift's start and end on a day.
func shiftTimes(day, shift string) (time.Time, time.Time) {
	d, _ := time.ParseInLocation("2006-01-02", day, hotline.ChinaZone)
	for _, sh := range wfm.DefaultShifts {
		if sh.Name == shift {
			start := d.Add(sh.Start)
			return start, start.Add(time.Duration(sh.Hours * float64(time.Hour)))
		}
	}
	return d, d
}

// usernames are the staff records' linked accounts.
func (w *Workforce) usernames(ctx context.Context) (map[int64]string, error) {
	rows, err := w.db.read.QueryContext(ctx, `SELECT m.id, u.username FROM staff_members m JOIN users u ON u.id = m.user_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

func (w *Workforce) corrections(ctx context.Context, from, to time.Time, only int64, byID map[int64]wfm.Member) ([]Correction, error) {
	rows, err := w.db.read.QueryContext(ctx, `SELECT id, member_id, kind, at, reason, status, requested_at, decided_at, note FROM attendance_corrections
		WHERE at >= $1 AND at < $2 AND ($3 = 0 OR member_id = $3) ORDER BY id`, from.UnixMilli(), to.UnixMilli(), only)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Correction{}
	for rows.Next() {
		var c Correction
		var at, req int64
		if err := rows.Scan(&c.ID, &c.MemberID, &c.Kind, &at, &c.Reason, &c.Status, &req, nullTime{&c.DecidedAt}, &c.Note); err != nil {
			return nil, err
		}
		c.At, c.RequestedAt, c.Name = fromMS(at), fromMS(req), byID[c.MemberID].Name
		out = append(out, c)
	}
	return out, rows.Err()
}

// RequestCorrection asks for a missing sign-in or sign-out to be added
// (补卡), with a reason: by the person for themselves, or by an approver
// for anyone; audited. Nothing is in the ledger until it is approved.
func (w *Workforce) RequestCorrection(ctx context.Context, actor hotline.Actor, c Correction) (int64, error) {
	if c.Kind != wfm.SignIn && c.Kind != wfm.SignOut {
		return 0, hotline.Invalid("kind", "应为 sign_in 或 sign_out")
	}
	if c.Reason = strings.TrimSpace(c.Reason); c.Reason == "" {
		return 0, hotline.Invalid("reason", "请填写补卡原因")
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if c.At.IsZero() || c.At.After(tx.now) || c.At.Before(tx.now.AddDate(0, 0, -31)) {
		return 0, hotline.Invalid("at", "补卡时间应在过去 31 天内")
	}
	if c.MemberID == 0 || !actor.Role.Has(hotline.PermApproveRoster) {
		own, err := memberOf(ctx, tx, actor)
		if err != nil {
			return 0, err
		}
		if c.MemberID != 0 && c.MemberID != own {
			return 0, hotline.Errorf(hotline.EForbidden, "只能为自己申请补卡")
		}
		c.MemberID = own
	} else if err := checkExists(ctx, tx, "staff_members", c.MemberID, "member_id", "人员档案"); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO attendance_corrections (member_id, kind, at, reason, status, requested_by, requested_at)
		VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id`, c.MemberID, c.Kind, c.At.UnixMilli(), c.Reason, nullID(actor.UserID), tx.now.UnixMilli()).Scan(&id); err != nil {
		return 0, err
	}
	if err := appendAudit(ctx, tx, actor, "attendance.correction.request", "staff:"+strconv.FormatInt(c.MemberID, 10), c.Kind+" "+c.At.Format(time.RFC3339)); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// DecideCorrection approves (the punch goes into the ledger) or rejects
// a correction; not one's own request; audited.
func (w *Workforce) DecideCorrection(ctx context.Context, actor hotline.Actor, id int64, approve bool, note string) error {
	if !actor.Role.Has(hotline.PermApproveRoster) {
		return hotline.Errorf(hotline.EForbidden, "%s不能审批补卡", actor.Role.Label())
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var member, at int64
	var kind, status string
	var by sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT member_id, kind, at, status, requested_by FROM attendance_corrections WHERE id = $1`, id).Scan(&member, &kind, &at, &status, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return hotline.Errorf(hotline.ENotFound, "补卡申请 %d 不存在", id)
	} else if err != nil {
		return err
	}
	if status != "pending" {
		return hotline.Errorf(hotline.EConflict, "补卡申请 %d 已审批", id)
	}
	if by.Valid && by.Int64 == actor.UserID {
		return hotline.Errorf(hotline.EForbidden, "不能审批自己提交的补卡申请")
	}
	status = "rejected"
	if approve {
		status = "approved"
		if err := insertPunch(ctx, tx, member, kind, fromMS(at), "correction", id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE attendance_corrections SET status = $1, decided_by = $2, decided_at = $3, note = $4 WHERE id = $5`,
		status, nullID(actor.UserID), tx.now.UnixMilli(), strings.TrimSpace(note), id); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "attendance.correction."+status, "correction:"+strconv.FormatInt(id, 10), ""); err != nil {
		return err
	}
	return tx.Commit()
}

// ImportPunches records sign-ins and sign-outs taken elsewhere (an
// attendance machine's export, the PBX's seat log) in one transaction;
// by a manager, audited once. Nothing in the future, nothing unknown.
func (w *Workforce) ImportPunches(ctx context.Context, actor hotline.Actor, punches []wfm.Punch) (int, error) {
	if err := canManageStaff(actor); err != nil {
		return 0, err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	known := map[int64]bool{}
	for i, p := range punches {
		if p.Kind != wfm.SignIn && p.Kind != wfm.SignOut {
			return 0, hotline.Invalid("kind", "第 %d 条应为 sign_in 或 sign_out", i+1)
		}
		if p.At.After(tx.now) {
			return 0, hotline.Invalid("at", "第 %d 条的时间在将来", i+1)
		}
		if !known[p.MemberID] {
			if err := checkExists(ctx, tx, "staff_members", p.MemberID, "member_id", "人员档案"); err != nil {
				return 0, err
			}
			known[p.MemberID] = true
		}
		if err := insertPunch(ctx, tx, p.MemberID, p.Kind, p.At, "import", 0); err != nil {
			return 0, err
		}
	}
	if err := appendAudit(ctx, tx, actor, "attendance.import", "attendance", strconv.Itoa(len(punches))); err != nil {
		return 0, err
	}
	return len(punches), tx.Commit()
}
