package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/wfm"
)

// Edits of a stored roster: a manager moves a shift; staff ask for a
// swap or leave and an approver (team lead or manager) decides. Every
// edit keeps the labour rules (the month is checked again), lists what
// it leaves short, and — on a published roster — tells the people whose
// shifts changed.

// RosterMove moves a person's shift to another day or shift.
type RosterMove struct {
	MemberID  int64  `json:"member_id"`
	FromDate  string `json:"from_date"`
	FromShift string `json:"from_shift"`
	ToDate    string `json:"to_date"`
	ToShift   string `json:"to_shift"`
}

// RosterRequest is a swap (调班: the other person takes the shift, and
// gives theirs in return when named) or leave (请假: the shift is given
// up) asked for by the person rostered.
type RosterRequest struct {
	ID            int64      `json:"id"`
	Month         string     `json:"month"`
	Kind          string     `json:"kind"` // swap, leave
	MemberID      int64      `json:"member_id"`
	Name          string     `json:"name"`
	Day           string     `json:"day"`
	Shift         string     `json:"shift"`
	OtherMemberID int64      `json:"other_member_id,omitempty"`
	OtherName     string     `json:"other_name,omitempty"`
	OtherDay      string     `json:"other_day,omitempty"`
	OtherShift    string     `json:"other_shift,omitempty"`
	Reason        string     `json:"reason"`
	Status        string     `json:"status"` // pending, approved, rejected
	RequestedAt   time.Time  `json:"requested_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	Note          string     `json:"note,omitempty"`
}

// RosterNotice tells a person of a change to their published shifts.
type RosterNotice struct {
	ID        int64     `json:"id"`
	Month     string    `json:"month"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// editableDay checks a day of the month that can still change.
func editableDay(tx *Tx, month, field, day string) error {
	d, err := time.ParseInLocation("2006-01-02", day, hotline.ChinaZone)
	if err != nil || d.Format("2006-01") != month {
		return hotline.Invalid(field, "日期应为 %s 内的 YYYY-MM-DD", month)
	}
	if day < tx.now.In(hotline.ChinaZone).Format("2006-01-02") {
		return hotline.Invalid(field, "%s 已过去，不能调整", day)
	}
	return nil
}

func checkShiftName(field, name string) error {
	for _, sh := range wfm.DefaultShifts {
		if sh.Name == name {
			return nil
		}
	}
	return hotline.Invalid(field, "没有班次“%s”", name)
}

// rosterStatus is the month's roster status, locked for the edit.
func rosterStatus(ctx context.Context, tx *Tx, month string) (string, error) {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM rosters WHERE month = $1`, month).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", hotline.Errorf(hotline.ENotFound, "%s 还没有排班", month)
	}
	return status, err
}

// assignmentID is the roster line of a person's shift.
func assignmentID(ctx context.Context, tx *Tx, month string, member int64, day, shift string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM roster_shifts WHERE month = $1 AND member_id = $2 AND day = $3 AND shift = $4`, month, member, day, shift).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, hotline.Invalid("shift", "%s %s 没有这个人的班次", day, shift)
	}
	return id, err
}

// recheck checks the edited month against the labour rules (refusing an
// edit that breaks one for the people it touched), and stores what it
// leaves short. The input is read before the edit's transaction begins
// (reading the forecast refreshes the call figures, a write).
func recheck(ctx context.Context, tx *Tx, in wfm.RosterInput, month string, touched ...int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT day, shift, member_id, post, standby FROM roster_shifts WHERE month = $1`, month)
	if err != nil {
		return err
	}
	var r wfm.Roster
	for rows.Next() {
		var a wfm.Assignment
		if err := rows.Scan(&a.Date, &a.Shift, &a.StaffID, &a.Post, &a.Standby); err != nil {
			rows.Close()
			return err
		}
		r.Assignments = append(r.Assignments, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	sort.SliceStable(r.Assignments, func(i, j int) bool {
		a, _ := shiftTimes(r.Assignments[i].Date, r.Assignments[i].Shift)
		b, _ := shiftTimes(r.Assignments[j].Date, r.Assignments[j].Shift)
		return a.Before(b)
	})
	var gaps string
	if err := tx.QueryRowContext(ctx, `SELECT uncovered FROM rosters WHERE month = $1`, month).Scan(&gaps); err != nil {
		return err
	}
	json.Unmarshal([]byte(gaps), &r.Uncovered)
	r.Uncovered = wfm.Regap(in, r, "调整后缺员")
	names := map[int64]string{}
	for _, s := range in.Staff {
		names[s.ID] = s.Name
	}
	for _, v := range wfm.Check(in, r) {
		for _, id := range touched {
			if v.StaffID == id {
				return hotline.Invalid("shift", "调整后 %s %s %s：%s", names[id], v.Date, v.Shift, v.Rule)
			}
		}
	}
	b, _ := json.Marshal(r.Uncovered)
	_, err = tx.ExecContext(ctx, `UPDATE rosters SET uncovered = $1 WHERE month = $2`, string(b), month)
	return err
}

// notice tells a person of a change to a published roster.
func notice(ctx context.Context, tx *Tx, member int64, month, body string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO roster_notices (member_id, month, body, created_at) VALUES ($1, $2, $3, $4)`, member, month, body, tx.now.UnixMilli())
	return err
}

// MoveShift moves a person's shift (a manager's hand edit); audited,
// and the person told when the roster is published.
func (w *Workforce) MoveShift(ctx context.Context, actor hotline.Actor, month string, m RosterMove) (*RosterView, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	in, err := w.rosterInput(ctx, actor, month, true)
	if err != nil {
		return nil, err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	status, err := rosterStatus(ctx, tx, month)
	if err != nil {
		return nil, err
	}
	for _, c := range [][2]string{{"from_date", m.FromDate}, {"to_date", m.ToDate}} {
		if err := editableDay(tx, month, c[0], c[1]); err != nil {
			return nil, err
		}
	}
	for _, c := range [][2]string{{"from_shift", m.FromShift}, {"to_shift", m.ToShift}} {
		if err := checkShiftName(c[0], c[1]); err != nil {
			return nil, err
		}
	}
	id, err := assignmentID(ctx, tx, month, m.MemberID, m.FromDate, m.FromShift)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE roster_shifts SET day = $1, shift = $2 WHERE id = $3`, m.ToDate, m.ToShift, id); err != nil {
		return nil, err
	}
	if err := recheck(ctx, tx, in, month, m.MemberID); err != nil {
		return nil, err
	}
	what := fmt.Sprintf("%s %s → %s %s", m.FromDate, m.FromShift, m.ToDate, m.ToShift)
	if status == "published" {
		if err := notice(ctx, tx, m.MemberID, month, fmt.Sprintf("你的班次已调整：%s", what)); err != nil {
			return nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, "roster.move", "roster:"+month, "staff:"+strconv.FormatInt(m.MemberID, 10)+" "+what); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return w.Roster(ctx, actor, month)
}

// RequestRosterChange asks for a swap or leave of one's own shift in a
// published roster; audited.
func (w *Workforce) RequestRosterChange(ctx context.Context, actor hotline.Actor, q RosterRequest) (int64, error) {
	if q.Kind != "swap" && q.Kind != "leave" {
		return 0, hotline.Invalid("kind", "应为 swap（调班）或 leave（请假）")
	}
	if q.Reason = strings.TrimSpace(q.Reason); q.Reason == "" {
		return 0, hotline.Invalid("reason", "请填写原因")
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if q.MemberID, err = memberOf(ctx, tx, actor); err != nil {
		return 0, err
	}
	d, err := time.Parse("2006-01-02", q.Day)
	if err != nil {
		return 0, hotline.Invalid("day", "日期应为 YYYY-MM-DD")
	}
	q.Month = d.Format("2006-01")
	if status, err := rosterStatus(ctx, tx, q.Month); err != nil {
		return 0, hotline.Invalid("day", "%s 没有排班", q.Day)
	} else if status != "published" {
		return 0, hotline.Invalid("day", "%s 的排班尚未发布", q.Month)
	}
	if err := editableDay(tx, q.Month, "day", q.Day); err != nil {
		return 0, err
	}
	if _, err := assignmentID(ctx, tx, q.Month, q.MemberID, q.Day, q.Shift); err != nil {
		return 0, err
	}
	if q.Kind == "swap" {
		if q.OtherMemberID == 0 || q.OtherMemberID == q.MemberID {
			return 0, hotline.Invalid("other_member_id", "请选择与谁调班")
		}
		if err := checkExists(ctx, tx, "staff_members", q.OtherMemberID, "other_member_id", "人员档案"); err != nil {
			return 0, err
		}
		if q.OtherDay != "" {
			if err := editableDay(tx, q.Month, "other_day", q.OtherDay); err != nil {
				return 0, err
			}
			if _, err := assignmentID(ctx, tx, q.Month, q.OtherMemberID, q.OtherDay, q.OtherShift); err != nil {
				return 0, hotline.Invalid("other_shift", "%s %s 没有对方的班次", q.OtherDay, q.OtherShift)
			}
		}
	} else {
		q.OtherMemberID, q.OtherDay, q.OtherShift = 0, "", ""
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO roster_requests (month, kind, member_id, day, shift, other_member_id, other_day, other_shift, reason, status, requested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10) RETURNING id`, q.Month, q.Kind, q.MemberID, q.Day, q.Shift, nullID(q.OtherMemberID),
		q.OtherDay, q.OtherShift, q.Reason, tx.now.UnixMilli()).Scan(&id); err != nil {
		return 0, err
	}
	if err := appendAudit(ctx, tx, actor, "roster.request."+q.Kind, "roster:"+q.Month, q.Day+" "+q.Shift); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}
