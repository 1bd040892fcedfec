package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hotline"
	"hotline/report"
)

// Stats keeps the daily ticket counts (report.Contribute) that every
// ticket figure reads: the statistics pages, the summary API, the ledgers'
// totals and the reports.
type Stats struct{ db *DB }

// Stats is the store of the ticket figures.
func (db *DB) Stats() *Stats { return &Stats{db: db} }

// statDims are the dimensions stored, in the order they are written.
var statDims = []string{report.DimAll, report.DimChannel, report.DimKind, report.DimUrgency, report.DimCategory,
	report.DimLocation, report.DimUnit}

// markStatsDirty marks the day ticketID was accepted on for recounting,
// in the transaction that changes it.
func markStatsDirty(ctx context.Context, tx *Tx, ticketID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO stats_dirty (day) SELECT (created_at + 28800000) / 86400000 FROM tickets WHERE id = $1
		ON CONFLICT DO NOTHING`, ticketID)
	return err
}

// querier is a transaction or a database handle.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Refresh recounts the days marked since the last refresh, each in its
// own transaction, and returns how many. Days marked while it runs are
// left for the next refresh.
func (s *Stats) Refresh(ctx context.Context) (int, error) {
	days, err := s.dirtyDays(ctx, "stats_dirty")
	if err != nil {
		return 0, err
	}
	for i, d := range days {
		if err := s.refreshDay(ctx, d); err != nil {
			return i, fmt.Errorf("recounting %s: %w", report.DayStart(d).Format("2006-01-02"), err)
		}
	}
	return len(days), nil
}

// dirtyDays lists the days marked in a dirty table (stats_dirty,
// call_stats_dirty), oldest first.
func (s *Stats) dirtyDays(ctx context.Context, table string) ([]int64, error) {
	rows, err := s.db.write.QueryContext(ctx, `SELECT day FROM `+table+` ORDER BY day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []int64
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	return days, rows.Err()
}

// refreshDay recounts one day from its tickets. The mark is taken first:
// on PostgreSQL a change committing meanwhile waits for it and marks the
// day again, so nothing is missed; another instance refreshing the same
// day finds the mark gone and does nothing.
func (s *Stats) refreshDay(ctx context.Context, day int64) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM stats_dirty WHERE day = $1`, day)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if err := writeDays(ctx, tx, day, day+1); err != nil {
		return err
	}
	return tx.Commit()
}

// writeDays replaces the counts of days [from, to) by a count of their
// tickets.
func writeDays(ctx context.Context, tx *Tx, from, to int64) error {
	for _, dim := range statDims {
		if _, err := tx.ExecContext(ctx, `DELETE FROM stats_daily WHERE dim = $1 AND day >= $2 AND day < $3`, dim, from, to); err != nil {
			return err
		}
	}
	sums, err := countTickets(ctx, tx, from, to)
	if err != nil {
		return err
	}
	insert := `INSERT INTO stats_daily (dim, day, dim_key, ` + strings.Join(report.Columns, ", ") + `) VALUES ($1, $2, $3`
	for i := range report.Columns {
		insert += fmt.Sprintf(", $%d", i+4)
	}
	insert += ")"
	for k, c := range sums {
		args := []any{k.dim, k.day, k.key}
		for _, f := range c.Fields() {
			args = append(args, *f)
		}
		if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
			return err
		}
	}
	return nil
}

type statKey struct {
	dim string
	day int64
	key string
}

// countTickets counts the tickets accepted on days [from, to) from
// scratch: the daily counts are this, kept.
func countTickets(ctx context.Context, q querier, from, to int64) (map[statKey]*report.Counts, error) {
	sums := map[statKey]*report.Counts{}
	err := eachTicket(ctx, q, from, to, func(day int64, t report.Ticket) {
		for _, c := range report.Contribute(t) {
			k := statKey{c.Dim, day, c.Key}
			if sums[k] == nil {
				sums[k] = &report.Counts{}
			}
			sums[k].Add(c.Counts)
		}
	})
	return sums, err
}

// eachTicket reads what the figures need of the tickets accepted on days
// [from, to): the rows, then their counted events.
func eachTicket(ctx context.Context, q querier, from, to int64, fn func(day int64, t report.Ticket)) error {
	span := []any{report.DayStart(from).UnixMilli(), report.DayStart(to).UnixMilli()}
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.created_at, t.status, t.channel, t.appeal_kind, t.urgency, t.category_id,
			COALESCE(t.location_unit_id, 0), COALESCE(t.lead_unit_id, 0), t.resolved_on_call, t.rating, t.resolved,
			t.callback_due_at IS NOT NULL, t.reopen_count, EXISTS (SELECT 1 FROM kb_ticket_links l WHERE l.ticket_id = t.id)
		FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2 ORDER BY t.id`, span...)
	if err != nil {
		return err
	}
	var ids []int64
	days := map[int64]int64{}
	byID := map[int64]*report.Ticket{}
	for rows.Next() {
		var id, created int64
		var t report.Ticket
		var resolved sql.NullBool
		if err := rows.Scan(&id, &created, &t.Status, &t.Channel, &t.Kind, &t.Urgency, &t.CategoryID, &t.LocationUnitID,
			&t.LeadUnitID, &t.ResolvedOnCall, &t.Rating, &resolved, &t.CallbackDue, &t.ReopenCount, &t.KBLinked); err != nil {
			rows.Close()
			return err
		}
		if resolved.Valid {
			t.Resolved = &resolved.Bool
		}
		ids, days[id], byID[id] = append(ids, id), report.Day(time.UnixMilli(created)), &t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	actions := make([]string, len(report.Counted))
	for i, a := range report.Counted {
		actions[i] = "'" + string(a) + "'"
	}
	rows, err = q.QueryContext(ctx, `SELECT e.ticket_id, e.action, e.created_at, e.payload FROM events e
		WHERE e.ticket_id IN (SELECT id FROM tickets WHERE created_at >= $1 AND created_at < $2)
		AND e.action IN (`+strings.Join(actions, ", ")+`) ORDER BY e.ticket_id, e.id`, span...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, at int64
		var ev report.Event
		var payload string
		if err := rows.Scan(&id, &ev.Action, &at, &payload); err != nil {
			return err
		}
		ev.At = fromMS(at)
		if err := readCountedPayload(&ev, payload); err != nil {
			return fmt.Errorf("ticket %d: %s event: %w", id, ev.Action, err)
		}
		if t := byID[id]; t != nil {
			t.Events = append(t.Events, ev)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		fn(days[id], *byID[id])
	}
	return nil
}

// readCountedPayload reads the unit and deadline of a dispatch and the
// decision of a return review.
func readCountedPayload(ev *report.Event, payload string) error {
	switch ev.Action {
	case hotline.ActionDispatch, hotline.ActionDesignate, hotline.ActionReviewReturn:
	default:
		return nil
	}
	var p struct {
		LeadUnitID int64     `json:"lead_unit_id"`
		AckDueAt   time.Time `json:"acknowledge_due_at"`
		Approve    bool      `json:"approve"`
	}
	if payload != "" {
		if err := json.Unmarshal([]byte(payload), &p); err != nil {
			return err
		}
	}
	ev.UnitID, ev.DueAt, ev.Approve = p.LeadUnitID, p.AckDueAt, p.Approve
	return nil
}

// Rebuild recounts every day from the first ticket to the last from
// scratch (`hotline stats rebuild`), a month per transaction, and returns
// the days counted. progress, if given, hears the days done of the total.
func (s *Stats) Rebuild(ctx context.Context, progress func(done, total int64)) (int64, error) {
	var lo, hi sql.NullInt64
	if err := s.db.write.QueryRowContext(ctx, `SELECT MIN(created_at), MAX(created_at) FROM tickets`).Scan(&lo, &hi); err != nil {
		return 0, err
	}
	if !lo.Valid {
		_, err := s.db.write.ExecContext(ctx, `DELETE FROM stats_dirty`)
		return 0, err
	}
	from, to := report.Day(time.UnixMilli(lo.Int64)), report.Day(time.UnixMilli(hi.Int64))+1
	if _, err := s.db.write.ExecContext(ctx, `DELETE FROM stats_daily WHERE day < $1 OR day >= $2`, from, to); err != nil {
		return 0, err
	}
	for d := from; d < to; d += 31 {
		end := min(d+31, to)
		tx, err := s.db.begin(ctx)
		if err != nil {
			return d - from, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM stats_dirty WHERE day >= $1 AND day < $2`, d, end); err != nil {
			tx.Rollback()
			return d - from, err
		}
		if err := writeDays(ctx, tx, d, end); err != nil {
			tx.Rollback()
			return d - from, err
		}
		if err := tx.Commit(); err != nil {
			return d - from, err
		}
		if progress != nil {
			progress(end-from, to-from)
		}
	}
	return to - from, nil
}

// Check compares the daily counts of every day with a recount from the
// tickets (`hotline stats check`) and describes each difference.
func (s *Stats) Check(ctx context.Context) ([]string, error) {
	if _, err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	var lo, hi sql.NullInt64
	if err := s.db.read.QueryRowContext(ctx, `SELECT MIN(created_at), MAX(created_at) FROM tickets`).Scan(&lo, &hi); err != nil || !lo.Valid {
		return nil, err
	}
	var diffs []string
	from, to := report.Day(time.UnixMilli(lo.Int64)), report.Day(time.UnixMilli(hi.Int64))+1
	for d := from; d < to; d += 31 {
		p := report.Period{Kind: report.PeriodCustom, From: report.DayStart(d), To: report.DayStart(min(d+31, to))}
		for _, dim := range statDims {
			kept, err := s.totals(ctx, dim, p)
			if err != nil {
				return diffs, err
			}
			counted, err := s.Recount(ctx, dim, p)
			if err != nil {
				return diffs, err
			}
			for k, c := range counted {
				if kept[k] != c {
					diffs = append(diffs, fmt.Sprintf("%s %s=%s: kept %+v, counted %+v", p.Key(), dim, k, kept[k], c))
				}
				delete(kept, k)
			}
			for k, c := range kept {
				if !c.Zero() {
					diffs = append(diffs, fmt.Sprintf("%s %s=%s: kept %+v, no tickets", p.Key(), dim, k, c))
				}
			}
		}
	}
	return diffs, nil
}
