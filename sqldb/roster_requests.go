package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"hotline"
)

// DecideRosterRequest approves (the roster changes, within the labour
// rules, and the people are told) or rejects a swap or leave request;
// by a team lead or manager, audited.
func (w *Workforce) DecideRosterRequest(ctx context.Context, actor hotline.Actor, id int64, approve bool, note string) error {
	if !actor.Role.Has(hotline.PermApproveRoster) {
		return hotline.Errorf(hotline.EForbidden, "%s不能审批调班和请假", actor.Role.Label())
	}
	var month string
	if err := w.db.read.QueryRowContext(ctx, `SELECT month FROM roster_requests WHERE id = $1`, id).Scan(&month); errors.Is(err, sql.ErrNoRows) {
		return hotline.Errorf(hotline.ENotFound, "申请 %d 不存在", id)
	} else if err != nil {
		return err
	}
	in, err := w.rosterInput(ctx, actor, month, true)
	if err != nil {
		return err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	q, err := w.rosterRequest(ctx, tx, id)
	if err != nil {
		return err
	}
	if q.Status != "pending" {
		return hotline.Errorf(hotline.EConflict, "申请 %d 已审批", id)
	}
	status := "rejected"
	kind := map[string]string{"swap": "调班", "leave": "请假"}[q.Kind]
	body := fmt.Sprintf("你的%s申请（%s %s）未获批准", kind, q.Day, q.Shift)
	if approve {
		status = "approved"
		if err := editableDay(tx, q.Month, "day", q.Day); err != nil {
			return err
		}
		mine, err := assignmentID(ctx, tx, q.Month, q.MemberID, q.Day, q.Shift)
		if err != nil {
			return err
		}
		touched := []int64{q.MemberID}
		if q.Kind == "leave" {
			_, err = tx.ExecContext(ctx, `DELETE FROM roster_shifts WHERE id = $1`, mine)
		} else {
			touched = append(touched, q.OtherMemberID)
			if q.OtherDay != "" {
				theirs, err := assignmentID(ctx, tx, q.Month, q.OtherMemberID, q.OtherDay, q.OtherShift)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE roster_shifts SET member_id = $1 WHERE id = $2`, q.MemberID, theirs); err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, `UPDATE roster_shifts SET member_id = $1 WHERE id = $2`, q.OtherMemberID, mine)
		}
		if err != nil {
			return err
		}
		if err := recheck(ctx, tx, in, q.Month, touched...); err != nil {
			return err
		}
		body = fmt.Sprintf("你的%s申请（%s %s）已批准", kind, q.Day, q.Shift)
		if q.Kind == "swap" {
			other := fmt.Sprintf("%s 的 %s %s 由你接班", q.Name, q.Day, q.Shift)
			if q.OtherDay != "" {
				other += fmt.Sprintf("，你的 %s %s 由其接班", q.OtherDay, q.OtherShift)
			}
			if err := notice(ctx, tx, q.OtherMemberID, q.Month, fmt.Sprintf("调班已批准：%s", other)); err != nil {
				return err
			}
		}
	}
	if err := notice(ctx, tx, q.MemberID, q.Month, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE roster_requests SET status = $1, decided_by = $2, decided_at = $3, note = $4 WHERE id = $5`,
		status, nullID(actor.UserID), tx.now.UnixMilli(), strings.TrimSpace(note), id); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "roster.request."+status, "roster_request:"+strconv.FormatInt(id, 10), ""); err != nil {
		return err
	}
	return tx.Commit()
}

const rosterRequestColumns = `q.id, q.month, q.kind, q.member_id, m.name, q.day, q.shift, COALESCE(q.other_member_id, 0), COALESCE(o.name, ''),
	q.other_day, q.other_shift, q.reason, q.status, q.requested_at, q.decided_at, q.note
	FROM roster_requests q JOIN staff_members m ON m.id = q.member_id LEFT JOIN staff_members o ON o.id = q.other_member_id`

func (w *Workforce) scanRosterRequest(r interface{ Scan(...any) error }) (RosterRequest, error) {
	var q RosterRequest
	var at int64
	if err := r.Scan(&q.ID, &q.Month, &q.Kind, &q.MemberID, &q.Name, &q.Day, &q.Shift, &q.OtherMemberID, &q.OtherName,
		&q.OtherDay, &q.OtherShift, &q.Reason, &q.Status, &at, nullTime{&q.DecidedAt}, &q.Note); err != nil {
		return q, err
	}
	q.RequestedAt = fromMS(at)
	var err error
	if q.Name, err = w.db.keys.Decrypt("staff_name", q.Name); err == nil && q.OtherName != "" {
		q.OtherName, err = w.db.keys.Decrypt("staff_name", q.OtherName)
	}
	return q, err
}

func (w *Workforce) rosterRequest(ctx context.Context, tx *Tx, id int64) (RosterRequest, error) {
	q, err := w.scanRosterRequest(tx.QueryRowContext(ctx, `SELECT `+rosterRequestColumns+` WHERE q.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return q, hotline.Errorf(hotline.ENotFound, "申请 %d 不存在", id)
	}
	return q, err
}

// RosterRequests lists a month's swap and leave requests: all of them
// for approvers and managers, one's own (asked by or of) for the others.
func (w *Workforce) RosterRequests(ctx context.Context, actor hotline.Actor, month string) ([]RosterRequest, error) {
	var only int64
	if !actor.Role.Has(hotline.PermApproveRoster) {
		var err error
		if only, err = memberOf(ctx, w.db.read, actor); err != nil {
			return nil, err
		}
	}
	rows, err := w.db.read.QueryContext(ctx, `SELECT `+rosterRequestColumns+` WHERE q.month = $1 AND ($2 = 0 OR q.member_id = $2 OR q.other_member_id = $2)
		ORDER BY q.id DESC`, month, only)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []RosterRequest{}
	for rows.Next() {
		q, err := w.scanRosterRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// Notices are the actor's roster change notices, newest first (the last
// 20), marked read as they are read.
func (w *Workforce) Notices(ctx context.Context, actor hotline.Actor) ([]RosterNotice, error) {
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	member, err := memberOf(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, month, body, created_at, read_at IS NOT NULL FROM roster_notices WHERE member_id = $1 ORDER BY id DESC LIMIT 20`, member)
	if err != nil {
		return nil, err
	}
	out := []RosterNotice{}
	for rows.Next() {
		var n RosterNotice
		var at int64
		if err := rows.Scan(&n.ID, &n.Month, &n.Body, &at, &n.Read); err != nil {
			rows.Close()
			return nil, err
		}
		n.CreatedAt = fromMS(at)
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE roster_notices SET read_at = $1 WHERE member_id = $2 AND read_at IS NULL`, tx.now.UnixMilli(), member); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// MemberID is the staff record linked to the actor's account.
func (w *Workforce) MemberID(ctx context.Context, actor hotline.Actor) (int64, error) {
	return memberOf(ctx, w.db.read, actor)
}
