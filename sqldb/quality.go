package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hotline"
	"hotline/quality"
)

// Quality is the storage of quality inspection (质检): scorecards,
// inspection tasks, their scores and objections.
type Quality struct{ db *DB }

// Quality returns the inspection store.
func (db *DB) Quality() *Quality { return &Quality{db: db} }

// ensureCards stores the default scorecards when there are none: the
// product ships with them.
func ensureCards(ctx context.Context, tx *Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scorecards`).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, c := range quality.DefaultCards() {
		if _, err := insertCard(ctx, tx, &c, 0); err != nil {
			return err
		}
	}
	return nil
}

func insertCard(ctx context.Context, tx *Tx, c *quality.Scorecard, by int64) (int64, error) {
	items, err := json.Marshal(c.Items)
	if err != nil {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO scorecards (name, target, version, pass_score, items, active, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.Name, c.Target, c.Version, c.PassScore, string(items), c.Active,
		nullID(by), tx.now.UnixMilli()).Scan(&c.ID)
	return c.ID, err
}

const cardColumns = `id, name, target, version, pass_score, items, active`

func scanCard(row interface{ Scan(...any) error }) (*quality.Scorecard, error) {
	c := &quality.Scorecard{}
	var items string
	if err := row.Scan(&c.ID, &c.Name, &c.Target, &c.Version, &c.PassScore, &items, &c.Active); err != nil {
		return nil, err
	}
	return c, json.Unmarshal([]byte(items), &c.Items)
}

// FindScorecards returns the active scorecards (the defaults on first
// use), calls' first.
func (q *Quality) FindScorecards(ctx context.Context) ([]*quality.Scorecard, error) {
	tx, err := q.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := ensureCards(ctx, tx); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+cardColumns+` FROM scorecards WHERE active ORDER BY target, name`)
	if err != nil {
		return nil, err
	}
	var out []*quality.Scorecard
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// SaveScorecard stores a new version of a card (by target and name; the
// first version when the name is new) and makes it the active one; the
// scores already given keep their version. Admins and the project manager
// keep the cards.
func (q *Quality) SaveScorecard(ctx context.Context, actor hotline.Actor, c *quality.Scorecard) error {
	if actor.Role != hotline.RoleAdmin && actor.Role != hotline.RoleProjectManager {
		return hotline.Errorf(hotline.EForbidden, "%s不能修改质检评分表", actor.Role.Label())
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := q.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := ensureCards(ctx, tx); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM scorecards WHERE target = $1 AND name = $2`, c.Target, c.Name).Scan(&c.Version); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scorecards SET active = FALSE WHERE target = $1 AND name = $2`, c.Target, c.Name); err != nil {
		return err
	}
	c.Active = true
	if _, err := insertCard(ctx, tx, c, actor.UserID); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "quality.scorecard", fmt.Sprintf("scorecard:%d", c.ID), fmt.Sprintf("%s v%d", c.Name, c.Version)); err != nil {
		return err
	}
	return tx.Commit()
}

// openFullInspections opens the full inspection (全量质检) an event of a
// ticket calls for, in the event's transaction: at once, for the agent
// who accepted the ticket, with the call it was taken on.
func openFullInspections(ctx context.Context, tx *Tx, t *hotline.Ticket, ev *hotline.Event) error {
	reason, ok := quality.FullReason(t, ev)
	if !ok {
		return nil
	}
	var callID sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT call_id FROM call_tickets WHERE ticket_id = $1 ORDER BY linked_at LIMIT 1`, t.ID).Scan(&callID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return insertInspection(ctx, tx, &quality.Inspection{TicketID: t.ID, AgentID: t.OwnerID, Reason: reason}, callID.Int64)
}

// insertInspection stores a new pending task, due DueWithin from now, for
// the inspector with the fewest pending tasks (none: unassigned).
func insertInspection(ctx context.Context, tx *Tx, in *quality.Inspection, callRow int64) error {
	var inspector sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT u.id FROM users u WHERE u.role = 'inspector' AND u.active
		ORDER BY (SELECT COUNT(*) FROM inspections i WHERE i.inspector_id = u.id AND i.status = 'pending'), u.id LIMIT 1`).Scan(&inspector)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	in.Status, in.CreatedAt, in.DueAt, in.InspectorID = quality.StatusPending, tx.now, tx.now.Add(quality.DueWithin), inspector.Int64
	return tx.QueryRowContext(ctx, `INSERT INTO inspections (ticket_id, call_id, agent_id, reason, status, inspector_id, due_at, created_at, sample_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, nullID(in.TicketID), nullID(callRow), nullID(in.AgentID), in.Reason, in.Status,
		nullID(in.InspectorID), in.DueAt.UnixMilli(), in.CreatedAt.UnixMilli(), nil).Scan(&in.ID)
}

// openNewAgentInspection opens the inspection of a finished, answered call
// of an agent in the first month (quality.NewAgentCall), once per call.
func openNewAgentInspection(ctx context.Context, tx *Tx, callRow, agentID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM inspections WHERE call_id = $1 AND reason = 'new_agent'`, callRow).Scan(&n); err != nil || n > 0 {
		return err
	}
	return insertInspection(ctx, tx, &quality.Inspection{AgentID: agentID, Reason: quality.ReasonNewAgent}, callRow)
}

// UnsatisfiedCoverage computes the coverage of the tickets rated 不满意 at
// a callback in [from, to) by their inspections (quality.Coverage), from
// the callbacks (their ratings as recorded) and the inspections as they
// are: the figure itself is never stored.
func (q *Quality) UnsatisfiedCoverage(ctx context.Context, actor hotline.Actor, from, to time.Time) (*quality.Coverage, error) {
	if !(&quality.Inspection{}).CanSee(actor) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能查看质检统计", actor.Role.Label())
	}
	// The period's 不满意 callbacks, as each callback recorded its rating.
	rows, err := q.db.read.QueryContext(ctx, `SELECT DISTINCT c.ticket_id, EXISTS (SELECT 1 FROM inspections i WHERE i.ticket_id = c.ticket_id AND i.reason = 'unsatisfied')
		FROM callback_ratings c WHERE c.rating = 'unsatisfied' AND c.at >= $1 AND c.at < $2
		ORDER BY c.ticket_id`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c := &quality.Coverage{Missing: []int64{}}
	for rows.Next() {
		var id int64
		var covered bool
		if err := rows.Scan(&id, &covered); err != nil {
			return nil, err
		}
		c.Due++
		if covered {
			c.Covered++
		} else if len(c.Missing) < 200 {
			c.Missing = append(c.Missing, id)
		}
	}
	c.Finish()
	return c, rows.Err()
}
