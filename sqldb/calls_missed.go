package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"hotline"
)

// FindMissedCalls returns one page of the missed calls waiting for a
// callback (hotline.Call.Missed), newest first, the caller masked, to the
// centre staff who take calls, and how many wait in all.
func (db *DB) FindMissedCalls(ctx context.Context, actor hotline.Actor, page, size int) ([]*hotline.Call, int, error) {
	if !actor.CanLinkCall() {
		return nil, 0, hotline.Errorf(hotline.EForbidden, "%s不能回拨未接来电", actor.Role.Label())
	}
	page, size = max(page, 1), min(max(size, 1), 200)
	const missed = `outcome = 'abandoned' AND caller_key <> '' AND callback_result NOT IN ('reached', 'not_needed')`
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls WHERE `+missed).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, call_id, caller_phone, queue, offered_at, ended_at, wait_ms, callback_at,
			COALESCE(callback_by, 0), callback_result, callback_note
		FROM calls WHERE `+missed+` ORDER BY offered_at DESC, id DESC LIMIT $1 OFFSET $2`, size, (page-1)*size)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*hotline.Call{}
	for rows.Next() {
		c := &hotline.Call{Outcome: hotline.CallAbandoned}
		var sealed string
		var offered, wait int64
		if err := rows.Scan(&c.ID, &c.CallID, &sealed, &c.Queue, &offered, nullTime{&c.EndedAt}, &wait, nullTime{&c.CallbackAt},
			&c.CallbackBy, &c.CallbackResult, &c.CallbackNote); err != nil {
			return nil, 0, err
		}
		phone, err := db.keys.Decrypt("caller_phone", sealed)
		if err != nil {
			return nil, 0, fmt.Errorf("call %d: %w", c.ID, err)
		}
		o := fromMS(offered)
		c.OfferedAt, c.Caller, c.Wait = &o, hotline.MaskPhone(phone), int(wait/1000)
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// RevealCaller returns a missed call's number to an agent who calls it
// back (those who may reveal requesters), audited.
func (db *DB) RevealCaller(ctx context.Context, actor hotline.Actor, id int64) (string, error) {
	if !actor.CanLinkCall() || !actor.Role.Has(hotline.PermRevealRequester) {
		return "", hotline.Errorf(hotline.EForbidden, "%s无权查看来电号码", actor.Role.Label())
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var sealed string
	if err := tx.QueryRowContext(ctx, `SELECT caller_phone FROM calls WHERE id = $1`, id).Scan(&sealed); errors.Is(err, sql.ErrNoRows) {
		return "", hotline.Errorf(hotline.ENotFound, "通话不存在")
	} else if err != nil {
		return "", err
	}
	phone, err := db.keys.Decrypt("caller_phone", sealed)
	if err != nil {
		return "", err
	}
	if err := appendAudit(ctx, tx, actor, "call.reveal", fmt.Sprintf("call:%d", id), "回拨未接来电"); err != nil {
		return "", err
	}
	return phone, tx.Commit()
}

// RecordCallback records calling back a missed call: reached, not
// reached (it stays in the queue) or not needed, with a note.
func (db *DB) RecordCallback(ctx context.Context, actor hotline.Actor, id int64, result hotline.CallbackResult, note string) error {
	if !actor.CanLinkCall() {
		return hotline.Errorf(hotline.EForbidden, "%s不能回拨未接来电", actor.Role.Label())
	}
	if !result.Valid() {
		return hotline.Invalid("result", "回拨结果应为 reached、no_answer 或 not_needed")
	}
	if err := hotline.CheckInput("note", note); err != nil {
		return err
	} else if note = hotline.TrimText(note); len([]rune(note)) > 500 {
		return hotline.Invalid("note", "备注不超过500个字")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE calls SET callback_at = COALESCE(callback_at, $1), callback_by = $2, callback_result = $3, callback_note = $4
		WHERE id = $5 AND outcome = 'abandoned'`, tx.now.UnixMilli(), nullID(actor.UserID), result, note, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hotline.Errorf(hotline.ENotFound, "没有这个未接来电")
	}
	if err := markCallDay(ctx, tx, "id = $1", id); err != nil { // the callback rate counts
		return err
	}
	if err := appendAudit(ctx, tx, actor, "call.callback", fmt.Sprintf("call:%d", id), string(result)); err != nil {
		return err
	}
	return tx.Commit()
}
