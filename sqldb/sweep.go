package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline"
)

// SweepBatch is how many crossings one sweep transaction handles.
const SweepBatch = 1000

// SweepResult counts what a sweep marked.
type SweepResult struct {
	Warned  int `json:"warned"`
	Overdue int `json:"overdue"`
}

// Sweep marks open tickets whose next deadline has passed (overdue) or whose
// warning point has (warning), and opens one automatic supervision and one
// event for each crossing. It reads the two partial indexes on the next
// deadline, not the whole table. Safe to run from several instances at
// once: the state guard in the UPDATE lets exactly one of them mark a
// ticket, and the unique index on supervisions is a second lock.
func (db *DB) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	for _, s := range []struct {
		source string
		query  string
		count  *int
	}{
		{"overdue", `UPDATE tickets SET sla_state = 'overdue' WHERE id IN (
			SELECT id FROM tickets WHERE sla_state <> 'overdue' AND next_due_at <= $1 ORDER BY next_due_at LIMIT $2)
			AND sla_state <> 'overdue' AND next_due_at <= $1
			RETURNING id, status, next_due_kind, next_due_at, COALESCE(lead_unit_id, 0)`, &res.Overdue},
		{"warning", `UPDATE tickets SET sla_state = 'warning' WHERE id IN (
			SELECT id FROM tickets WHERE sla_state = 'ok' AND next_warn_at <= $1 ORDER BY next_warn_at LIMIT $2)
			AND sla_state = 'ok' AND next_warn_at <= $1
			RETURNING id, status, next_due_kind, next_due_at, COALESCE(lead_unit_id, 0)`, &res.Warned},
	} {
		for {
			n, err := db.sweepBatch(ctx, s.source, s.query)
			*s.count += n
			if err != nil {
				return res, err
			} else if n < SweepBatch {
				break
			}
		}
	}
	return res, nil
}

func (db *DB) sweepBatch(ctx context.Context, source, query string) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := markCrossings(ctx, tx, source, query, tx.now.UnixMilli(), SweepBatch)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// markCrossings runs one of the sweep's marking queries and opens a
// supervision and an event for each ticket it marked.
func markCrossings(ctx context.Context, tx *Tx, source, query string, args ...any) (int, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	var marked []hotline.Supervision
	var statuses []hotline.Status
	for rows.Next() {
		var s hotline.Supervision
		var st hotline.Status
		var due int64
		if err := rows.Scan(&s.TicketID, &st, &s.DueKind, &due, &s.UnitID); err != nil {
			rows.Close()
			return 0, err
		}
		s.Source, s.DueAt, s.CreatedAt = source, fromMS(due), tx.now
		marked = append(marked, s)
		statuses = append(statuses, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	action := map[string]hotline.Action{"warning": hotline.ActionWarn, "overdue": hotline.ActionOverdue}[source]
	for i := range marked {
		s := &marked[i]
		ok, err := insertSupervision(ctx, tx, s)
		if err != nil {
			return 0, err
		} else if !ok {
			continue // another sweeper got there first
		}
		ev := &hotline.Event{TicketID: s.TicketID, Action: action, ActorName: "系统", FromStatus: statuses[i], ToStatus: statuses[i],
			Payload: map[string]any{"due_kind": s.DueKind, "due_at": s.DueAt, "supervision_id": s.ID}, CreatedAt: tx.now}
		if err := insertEvent(ctx, tx, ev); err != nil {
			return 0, err
		}
		if err := appendAudit(ctx, tx, hotline.Actor{}, "ticket."+string(action), fmt.Sprintf("ticket:%d", s.TicketID), s.DueKind); err != nil {
			return 0, err
		}
		tx.changed(Change{TicketID: s.TicketID, Status: statuses[i], Action: action, UnitIDs: []int64{s.UnitID}})
	}
	return len(marked), nil
}

// sweepTicket marks one ticket's crossings up to until as the sweep would
// have, each at the moment it passed (the history's replay).
func sweepTicket(ctx context.Context, tx *Tx, id int64, until time.Time) error {
	var warn, due sql.NullInt64
	var state string
	if err := tx.QueryRowContext(ctx, `SELECT next_warn_at, next_due_at, sla_state FROM tickets WHERE id = $1`, id).Scan(&warn, &due, &state); err != nil {
		return err
	}
	end := until.UnixMilli()
	if state == "ok" && warn.Valid && warn.Int64 <= end {
		tx.now = fromMS(warn.Int64)
		if _, err := markCrossings(ctx, tx, "warning", `UPDATE tickets SET sla_state = 'warning' WHERE id = $1 AND sla_state = 'ok'
			RETURNING id, status, next_due_kind, next_due_at, COALESCE(lead_unit_id, 0)`, id); err != nil {
			return err
		}
	}
	if state != "overdue" && due.Valid && due.Int64 <= end {
		tx.now = fromMS(due.Int64)
		if _, err := markCrossings(ctx, tx, "overdue", `UPDATE tickets SET sla_state = 'overdue' WHERE id = $1 AND sla_state <> 'overdue'
			RETURNING id, status, next_due_kind, next_due_at, COALESCE(lead_unit_id, 0)`, id); err != nil {
			return err
		}
	}
	tx.now = until
	return nil
}

// insertSupervision records a supervision; for an automatic one it reports
// false when that crossing was already supervised.
func insertSupervision(ctx context.Context, tx *Tx, s *hotline.Supervision) (bool, error) {
	rows, err := tx.QueryContext(ctx, `INSERT INTO supervisions (ticket_id, source, due_kind, due_at, unit_id, created_by, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
		s.TicketID, s.Source, s.DueKind, s.DueAt.UnixMilli(), nullID(s.UnitID), nullID(s.CreatedBy), s.Note, s.CreatedAt.UnixMilli())
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	return true, rows.Scan(&s.ID)
}

// insertUrge adds an urging message to the ticket's latest supervision,
// opening a manual one if there is none.
func insertUrge(ctx context.Context, tx *Tx, t *hotline.Ticket, actor hotline.Actor, content string) error {
	var sid int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM supervisions WHERE ticket_id = $1`, t.ID).Scan(&sid)
	if err != nil {
		return err
	}
	if sid == 0 {
		s := &hotline.Supervision{TicketID: t.ID, Source: "manual", DueKind: t.NextDueKind, DueAt: tx.now,
			UnitID: t.LeadUnitID, CreatedBy: actor.UserID, Note: content, CreatedAt: tx.now}
		if _, err := insertSupervision(ctx, tx, s); err != nil {
			return err
		}
		sid = s.ID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO urges (supervision_id, ticket_id, actor_id, content, created_at) VALUES ($1, $2, $3, $4, $5)`,
		sid, t.ID, nullID(actor.UserID), content, tx.now.UnixMilli())
	return err
}

// FindSupervisions returns a ticket's supervisions, oldest first.
func (db *DB) FindSupervisions(ctx context.Context, actor hotline.Actor, ticketID int64) ([]*hotline.Supervision, error) {
	if _, err := db.FindTicketByID(ctx, actor, ticketID); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, ticket_id, source, due_kind, due_at, COALESCE(unit_id, 0), COALESCE(created_by, 0), note, created_at
		FROM supervisions WHERE ticket_id = $1 ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*hotline.Supervision{}
	for rows.Next() {
		s := &hotline.Supervision{}
		var due, created int64
		if err := rows.Scan(&s.ID, &s.TicketID, &s.Source, &s.DueKind, &due, &s.UnitID, &s.CreatedBy, &s.Note, &created); err != nil {
			return nil, err
		}
		s.DueAt, s.CreatedAt = fromMS(due), fromMS(created)
		out = append(out, s)
	}
	return out, rows.Err()
}
