package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hotline"
	"hotline/hotspot"
)

// openStatuses lists, for SQL, the statuses of a ticket not yet concluded.
const openStatuses = `('accepted', 'pending_dispatch', 'dispatched', 'handling', 'suspended', 'replied')`

// hardIssues finds the hard issues (难点): tickets open past the rule's
// days, reopened or returned again and again, and callers who keep
// calling about something still open.
func (s *Stats) hardIssues(ctx context.Context, now time.Time, rule hotspot.HardRule) ([]raised, error) {
	var out []raised
	each := func(reason, query string, args ...any) error {
		rows, err := s.db.read.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, figure int64
			var number string
			if err := rows.Scan(&id, &number, &figure); err != nil {
				return err
			}
			if reason == hotspot.HardOpenLong {
				figure = int64(now.Sub(fromMS(figure)).Hours() / 24)
			}
			title, evidence := hotspot.HardText(reason, number, int(figure), nil)
			out = append(out, raised{kind: hotspot.WarnHardIssue, subject: "hard:" + reason + ":" + strconv.FormatInt(id, 10),
				title: title, evidence: evidence, ticketIDs: []int64{id}})
		}
		return rows.Err()
	}
	since := now.Add(-90 * 24 * time.Hour).UnixMilli()
	if err := each(hotspot.HardOpenLong, `SELECT id, number, created_at FROM tickets WHERE status IN `+openStatuses+` AND created_at < $1 ORDER BY id`,
		now.Add(-time.Duration(rule.OpenDays)*24*time.Hour).UnixMilli()); err != nil {
		return nil, err
	}
	if err := each(hotspot.HardReopened, `SELECT id, number, reopen_count FROM tickets WHERE created_at >= $1 AND reopen_count >= $2 ORDER BY id`,
		since, rule.Reopens); err != nil {
		return nil, err
	}
	if err := each(hotspot.HardReturned, `SELECT id, number, return_count FROM tickets WHERE created_at >= $1 AND return_count >= $2 AND status IN `+openStatuses+` ORDER BY id`,
		since, rule.Returns); err != nil {
		return nil, err
	}
	// Repeat callers: by the phone's blind index, never the number.
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, number, requester_phone_key, status FROM tickets
		WHERE created_at >= $1 AND requester_phone_key IN (SELECT requester_phone_key FROM tickets
			WHERE created_at >= $1 AND requester_phone_key <> '' AND status <> 'cancelled' GROUP BY requester_phone_key HAVING COUNT(*) >= $2)
		AND status <> 'cancelled' ORDER BY id`, now.Add(-time.Duration(rule.RepeatDays)*24*time.Hour).UnixMilli(), rule.RepeatCalls)
	if err != nil {
		return nil, err
	}
	type caller struct {
		ids     []int64
		numbers []string
		open    bool
	}
	callers, order := map[string]*caller{}, []string{}
	for rows.Next() {
		var id int64
		var number, key string
		var status hotline.Status
		if err := rows.Scan(&id, &number, &key, &status); err != nil {
			rows.Close()
			return nil, err
		}
		c := callers[key]
		if c == nil {
			c = &caller{}
			callers[key] = c
			order = append(order, key)
		}
		c.ids, c.numbers, c.open = append(c.ids, id), append(c.numbers, number), c.open || status.Open()
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, key := range order {
		if c := callers[key]; c.open {
			title, evidence := hotspot.HardText(hotspot.HardRepeat, "", len(c.ids), c.numbers)
			out = append(out, raised{kind: hotspot.WarnHardIssue, subject: "hard:" + hotspot.HardRepeat + ":" + strconv.FormatInt(c.ids[0], 10),
				title: title, evidence: evidence, ticketIDs: c.ids})
		}
	}
	return out, nil
}

// WarningFilter selects early warnings: by state and kind ("" for
// all), at most Limit (1–500; 500 when 0).
type WarningFilter struct {
	Status, Kind string
	Limit        int
}

// Warnings lists the early warnings the filter selects, newest first.
func (s *Stats) Warnings(ctx context.Context, actor hotline.Actor, f WarningFilter) ([]Warning, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	if f.Status != "" && !validWarnStatus(f.Status) {
		return nil, hotline.Invalid("status", "预警状态应为 open、acknowledged 或 closed")
	}
	if _, ok := hotspot.WarnKindNames[f.Kind]; f.Kind != "" && !ok {
		return nil, hotline.Invalid("kind", "预警类型应为 surge、hotspot 或 hard_issue")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	q := `SELECT id, kind, title, evidence, ticket_ids, status, note, created_at, updated_at, handled_at FROM early_warnings
		WHERE ($2 = '' OR status = $2) AND ($3 = '' OR kind = $3) ORDER BY created_at DESC, id DESC LIMIT $1`
	rows, err := s.db.read.QueryContext(ctx, q, f.Limit, f.Status, f.Kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Warning{}
	for rows.Next() {
		w, err := scanWarning(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// WarningCounts counts the warnings in a state ("" for all) by kind.
func (s *Stats) WarningCounts(ctx context.Context, actor hotline.Actor, status string) (map[string]int, error) {
	if err := canSeeStats(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT kind, COUNT(*) FROM early_warnings WHERE $1 = '' OR status = $1 GROUP BY kind`, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, err
		}
		out[kind] = n
	}
	return out, rows.Err()
}

// OpenWarnings counts the warnings not yet acknowledged.
func (s *Stats) OpenWarnings(ctx context.Context, actor hotline.Actor) (int, error) {
	if err := canSeeStats(actor); err != nil {
		return 0, err
	}
	var n int
	err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM early_warnings WHERE status = $1`, hotspot.WarnOpen).Scan(&n)
	return n, err
}

// HandleWarning moves a warning on: acknowledged (已知悉) or closed
// (已处置, with a note of what was done); audited.
func (s *Stats) HandleWarning(ctx context.Context, actor hotline.Actor, id int64, to, note string) (*Warning, error) {
	if !actor.Role.Has(hotline.PermHandleWarnings) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能处理预警", actor.Role.Label())
	}
	if !validWarnStatus(to) || to == hotspot.WarnOpen {
		return nil, hotline.Invalid("status", "预警只能改为 acknowledged 或 closed")
	}
	note = strings.TrimSpace(note)
	if to == hotspot.WarnClosed && note == "" {
		return nil, hotline.Invalid("note", "关闭预警须写明处置情况")
	}
	if utf8.RuneCountInString(note) > 500 {
		return nil, hotline.Invalid("note", "处置情况不超过500字")
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var from string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM early_warnings WHERE id = $1`, id).Scan(&from); errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "预警 %d 不存在", id)
	} else if err != nil {
		return nil, err
	}
	if !hotspot.WarnNext(from, to) {
		return nil, hotline.Errorf(hotline.EConflict, "预警已是%s状态，不能改为%s", from, to)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE early_warnings SET status = $1, note = CASE WHEN $2 = '' THEN note ELSE $2 END, handled_by = $3, handled_at = $4, updated_at = $4 WHERE id = $5`,
		to, note, nullID(actor.UserID), tx.now.UnixMilli(), id); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "warning."+to, "warning:"+strconv.FormatInt(id, 10), ""); err != nil {
		return nil, err
	}
	w, err := scanWarning(tx.QueryRowContext(ctx, `SELECT id, kind, title, evidence, ticket_ids, status, note, created_at, updated_at, handled_at FROM early_warnings WHERE id = $1`, id))
	if err != nil {
		return nil, err
	}
	tx.changed(Change{Warning: true})
	return &w, tx.Commit()
}

func validWarnStatus(s string) bool {
	for _, x := range hotspot.WarnStatuses {
		if s == x {
			return true
		}
	}
	return false
}

func scanWarning(r interface{ Scan(...any) error }) (Warning, error) {
	var w Warning
	var ids string
	var created, updated int64
	var handled sql.NullInt64
	if err := r.Scan(&w.ID, &w.Kind, &w.Title, &w.Evidence, &ids, &w.Status, &w.Note, &created, &updated, &handled); err != nil {
		return w, err
	}
	w.CreatedAt, w.UpdatedAt, w.TicketIDs = fromMS(created), fromMS(updated), []int64{}
	if handled.Valid {
		t := fromMS(handled.Int64)
		w.HandledAt = &t
	}
	for _, x := range strings.Split(ids, ",") {
		if id, err := strconv.ParseInt(x, 10, 64); err == nil {
			w.TicketIDs = append(w.TicketIDs, id)
		}
	}
	return w, nil
}
