package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"hotline"
)

// loadReturns gives each ticket its latest return request and the units
// whose returns were approved, in one query for the page.
func loadReturns(ctx context.Context, tx *Tx, ts []*hotline.Ticket) error {
	if len(ts) == 0 {
		return nil
	}
	byID, ids := ticketsByID(ts)
	rows, err := tx.QueryContext(ctx, `SELECT id, ticket_id, unit_id, reason, COALESCE(suggested_unit_id, 0), COALESCE(requested_by, 0),
		requested_at, due_at, decision, COALESCE(decided_by, 0), decided_at, decision_reason
		FROM ticket_returns WHERE ticket_id IN (`+joinIDs(ids)+`) ORDER BY ticket_id, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := &hotline.ReturnRequest{}
		var tid, requested, due int64
		if err := rows.Scan(&r.ID, &tid, &r.UnitID, &r.Reason, &r.SuggestedUnitID, &r.RequestedBy,
			&requested, &due, &r.Decision, &r.DecidedBy, nullTime{&r.DecidedAt}, &r.DecisionReason); err != nil {
			return err
		}
		r.RequestedAt, r.DueAt = fromMS(requested), fromMS(due)
		t := byID[tid]
		t.ReturnRequest = r
		if r.Decision == hotline.ReturnApproved && !t.ReturnedBy(r.UnitID) {
			t.ReturnedUnitIDs = append(t.ReturnedUnitIDs, r.UnitID)
		}
	}
	return rows.Err()
}

// insertReturnRequest stores the return request the domain just made.
func insertReturnRequest(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	r := t.ReturnRequest
	return tx.QueryRowContext(ctx, `INSERT INTO ticket_returns (ticket_id, unit_id, reason, suggested_unit_id, requested_by, requested_at, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, t.ID, r.UnitID, r.Reason, nullID(r.SuggestedUnitID),
		nullID(r.RequestedBy), r.RequestedAt.UnixMilli(), r.DueAt.UnixMilli()).Scan(&r.ID)
}

// decideReturnRequest stores the centre's decision on it.
func decideReturnRequest(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	r := t.ReturnRequest
	res, err := tx.ExecContext(ctx, `UPDATE ticket_returns SET decision = $2, decided_by = $3, decided_at = $4, decision_reason = $5
		WHERE id = $1 AND decision = ''`, r.ID, r.Decision, nullID(r.DecidedBy), ms(r.DecidedAt), r.DecisionReason)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return sql.ErrNoRows // the ticket row is locked: another decision cannot have come first
	}
	return nil
}

// checkChildUnit checks that unit is an active unit below parent in the
// unit tree (a sub-dispatch goes down, never sideways).
func checkChildUnit(ctx context.Context, tx *Tx, parent, unit int64) error {
	at, active := unit, true
	for depth := 0; depth < 10; depth++ {
		var up sql.NullInt64
		var act bool
		if err := tx.QueryRowContext(ctx, `SELECT parent_id, active FROM units WHERE id = $1`, at).Scan(&up, &act); errors.Is(err, sql.ErrNoRows) {
			return hotline.Invalid("unit_id", "下级单位不存在")
		} else if err != nil {
			return err
		}
		if at == unit {
			active = act
		}
		if !up.Valid {
			break
		}
		if up.Int64 == parent {
			if !active {
				return hotline.Invalid("unit_id", "该下级单位已停用")
			}
			return nil
		}
		at = up.Int64
	}
	return hotline.Invalid("unit_id", "只能转派给本单位的下级单位")
}
