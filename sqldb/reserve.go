package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"hotline"
	"hotline/wfm"
)

// canSeeReserve: the reserve pool is kept by the operator's managers and
// reported to the centre, whose supervisors may read it.
func canSeeReserve(actor hotline.Actor) error {
	if actor.Role.Has(hotline.PermManageStaff) || actor.Role == hotline.RoleSupervisor {
		return nil
	}
	return hotline.Errorf(hotline.EForbidden, "%s不能查看储备人员", actor.Role.Label())
}

// Reserve lists the reserve pool (the staff records marked reserve, not
// left), as the centre reads it.
func (w *Workforce) Reserve(ctx context.Context, actor hotline.Actor) ([]wfm.Member, error) {
	if err := canSeeReserve(actor); err != nil {
		return nil, err
	}
	return w.members(ctx, "reserve AND status <> 'left'")
}

// StartCallUp asks reserve members to come in: for a gap (48 h) or a
// surge (2 h), perhaps from an early warning; audited.
func (w *Workforce) StartCallUp(ctx context.Context, actor hotline.Actor, c wfm.CallUp, members []int64) (*wfm.CallUp, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, hotline.Invalid("member_ids", "请选择要调用的储备人员")
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if c.WarningID != 0 {
		if err := checkExists(ctx, tx, "early_warnings", c.WarningID, "warning_id", "预警"); err != nil {
			return nil, err
		}
	}
	c.RequestedAt, c.Deadline = tx.now, wfm.CallUpDeadline(c.Kind, tx.now)
	if err := tx.QueryRowContext(ctx, `INSERT INTO call_ups (kind, need, note, warning_id, requested_by, requested_at, deadline_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		c.Kind, c.Need, c.Note, nullID(c.WarningID), nullID(actor.UserID), tx.now.UnixMilli(), c.Deadline.UnixMilli()).Scan(&c.ID); err != nil {
		return nil, err
	}
	for _, m := range members {
		var reserve bool
		err := tx.QueryRowContext(ctx, `SELECT reserve FROM staff_members WHERE id = $1 AND status <> 'left'`, m).Scan(&reserve)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !reserve {
			return nil, hotline.Invalid("member_ids", "人员档案 %d 不在储备人员中", m)
		} else if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_up_responses (call_up_id, member_id, asked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, c.ID, m, tx.now.UnixMilli()); err != nil {
			return nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, "callup.start", "call_up:"+strconv.FormatInt(c.ID, 10), c.Kind+" need="+strconv.Itoa(c.Need)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return w.callUp(ctx, c.ID)
}

// RecordCallUp records that an asked member confirmed (arrived=false) or
// arrived at their post; audited.
func (w *Workforce) RecordCallUp(ctx context.Context, actor hotline.Actor, id, member int64, arrived bool) (*wfm.CallUp, error) {
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	col, action := "confirmed_at", "callup.confirm"
	if arrived {
		col, action = "arrived_at", "callup.arrive"
	}
	res, err := tx.ExecContext(ctx, `UPDATE call_up_responses SET `+col+` = $1 WHERE call_up_id = $2 AND member_id = $3 AND `+col+` IS NULL`, tx.now.UnixMilli(), id, member)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, hotline.Errorf(hotline.EConflict, "调用 %d 没有待记录的人员 %d", id, member)
	}
	if arrived { // arriving confirms
		if _, err := tx.ExecContext(ctx, `UPDATE call_up_responses SET confirmed_at = $1 WHERE call_up_id = $2 AND member_id = $3 AND confirmed_at IS NULL`, tx.now.UnixMilli(), id, member); err != nil {
			return nil, err
		}
	}
	if err := appendAudit(ctx, tx, actor, action, "call_up:"+strconv.FormatInt(id, 10), "member="+strconv.FormatInt(member, 10)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return w.callUp(ctx, id)
}

// CallUps lists the call-ups, newest first, with how each went.
func (w *Workforce) CallUps(ctx context.Context, actor hotline.Actor) ([]wfm.CallUp, error) {
	if err := canSeeReserve(actor); err != nil {
		return nil, err
	}
	rows, err := w.db.read.QueryContext(ctx, `SELECT id FROM call_ups ORDER BY id DESC LIMIT 100`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := []wfm.CallUp{}
	for _, id := range ids {
		c, err := w.callUp(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

func (w *Workforce) callUp(ctx context.Context, id int64) (*wfm.CallUp, error) {
	c := &wfm.CallUp{ID: id, Responses: []wfm.Response{}}
	var warning sql.NullInt64
	var req, deadline int64
	if err := w.db.read.QueryRowContext(ctx, `SELECT kind, need, note, warning_id, requested_at, deadline_at FROM call_ups WHERE id = $1`, id).
		Scan(&c.Kind, &c.Need, &c.Note, &warning, &req, &deadline); errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "调用 %d 不存在", id)
	} else if err != nil {
		return nil, err
	}
	c.WarningID, c.RequestedAt, c.Deadline = warning.Int64, fromMS(req), fromMS(deadline)
	rows, err := w.db.read.QueryContext(ctx, `SELECT r.member_id, m.name, r.asked_at, r.confirmed_at, r.arrived_at FROM call_up_responses r
		JOIN staff_members m ON m.id = r.member_id WHERE r.call_up_id = $1 ORDER BY r.member_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r wfm.Response
		var asked int64
		var confirmed, arrived sql.NullInt64
		var sealed string
		if err := rows.Scan(&r.MemberID, &sealed, &asked, &confirmed, &arrived); err != nil {
			return nil, err
		}
		if r.Name, err = w.db.keys.Decrypt("staff_name", sealed); err != nil {
			return nil, err
		}
		r.AskedAt = fromMS(asked)
		if confirmed.Valid {
			t := fromMS(confirmed.Int64)
			r.ConfirmedAt = &t
		}
		if arrived.Valid {
			t := fromMS(arrived.Int64)
			r.ArrivedAt = &t
		}
		c.Responses = append(c.Responses, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.Evaluate(w.db.Now())
	return c, nil
}
