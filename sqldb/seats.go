package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hotline"
)

// SetSeat sets a call agent's own seat status; the team leads' walls are
// told at once. Leaving offline signs the agent in to the attendance
// ledger, going offline signs them out.
func (db *DB) SetSeat(ctx context.Context, actor hotline.Actor, status hotline.SeatStatus) error {
	if actor.Role != hotline.RoleCallAgent && actor.Role != hotline.RoleTeamLead {
		return hotline.Errorf(hotline.EForbidden, "%s没有坐席", actor.Role.Label())
	}
	if !status.Settable() {
		return hotline.Invalid("status", "坐席状态应为 ready、break、after_call 或 offline")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO seats (user_id, status, since) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET status = excluded.status, since = excluded.since
		WHERE seats.status <> excluded.status`, actor.UserID, status, tx.now.UnixMilli()); err != nil {
		return err
	}
	if err := punchSeat(ctx, tx, actor.UserID, status); err != nil {
		return err
	}
	tx.changed(Change{Wall: true})
	return tx.Commit()
}

// SeatOf returns an agent's own status ("" before it ever set one).
func (db *DB) SeatOf(ctx context.Context, userID int64) (hotline.SeatStatus, error) {
	var s hotline.SeatStatus
	err := db.read.QueryRowContext(ctx, `SELECT status FROM seats WHERE user_id = $1`, userID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return s, err
}

// FindSeats is the team lead's wall: every active call agent's seat (busy
// while one of its calls is in progress), its calls answered today, and
// the calls waiting in the queue now.
func (db *DB) FindSeats(ctx context.Context, actor hotline.Actor) ([]*hotline.Seat, *hotline.CallQueue, error) {
	if !actor.Role.Has(hotline.PermCallStats) {
		return nil, nil, hotline.Errorf(hotline.EForbidden, "%s无权查看坐席监控", actor.Role.Label())
	}
	now := db.Now()
	d := now.In(hotline.ChinaZone)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, hotline.ChinaZone).UnixMilli()
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.username, u.display_name, COALESCE(s.status, 'offline'), s.since,
			(SELECT MAX(c.answered_at) FROM calls c WHERE c.outcome = 'talking' AND c.agent_id = u.id),
			(SELECT COUNT(*) FROM calls c WHERE c.agent_id = u.id AND c.offered_at >= $1 AND c.answered_at IS NOT NULL)
		FROM users u LEFT JOIN seats s ON s.user_id = u.id
		WHERE u.role = $2 AND u.active ORDER BY u.username`, day, hotline.RoleCallAgent)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	seats := []*hotline.Seat{}
	for rows.Next() {
		s := &hotline.Seat{}
		if err := rows.Scan(&s.UserID, &s.Username, &s.Name, &s.Status, nullTime{&s.Since}, nullTime{&s.CallSince}, &s.CallsToday); err != nil {
			return nil, nil, err
		}
		if s.CallSince != nil {
			s.Status = hotline.SeatBusy
		}
		seats = append(seats, s)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	q := &hotline.CallQueue{}
	// Ringing calls of the last two hours (an offer whose end never came
	// is not waiting forever).
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), MIN(offered_at) FROM calls WHERE outcome = 'ringing' AND offered_at >= $1`,
		now.Add(-2*time.Hour).UnixMilli()).Scan(&q.Waiting, nullTime{&q.OldestSince}); err != nil {
		return nil, nil, err
	}
	return seats, q, nil
}
