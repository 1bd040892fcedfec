package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"hotline"
)

// SeedCalendar loads the shipped official schedule into an empty calendar.
func (db *DB) SeedCalendar(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM calendar_days`).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, d := range hotline.OfficialDays() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)`, d.Day, d.Kind, d.Name); err != nil {
			return err
		}
	}
	if err := bumpCounter(ctx, tx, "calendar"); err != nil {
		return err
	}
	return tx.Commit()
}

// SetCalendarDay adds, changes (kind "holiday" or "workday") or removes
// (kind "") one override day.
func (db *DB) SetCalendarDay(ctx context.Context, actor hotline.Actor, d hotline.CalendarDay) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以修改工作日历")
	}
	if _, err := time.Parse("2006-01-02", d.Day); err != nil {
		return hotline.Invalid("day", "日期格式应为 YYYY-MM-DD")
	}
	if d.Kind != "" && d.Kind != hotline.DayHoliday && d.Kind != hotline.DayWorkday {
		return hotline.Invalid("kind", "类型应为 holiday（放假）或 workday（调休上班），留空表示删除")
	}
	if err := hotline.CheckInput("name", d.Name); err != nil {
		return err
	}
	if d.Name = hotline.TrimText(d.Name); utf8.RuneCountInString(d.Name) > 50 {
		return hotline.Invalid("name", "名称不能超过%d个字", 50)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_days WHERE day = $1`, d.Day); err != nil {
		return err
	}
	if d.Kind != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)`, d.Day, d.Kind, d.Name); err != nil {
			return err
		}
	}
	if err := bumpCounter(ctx, tx, "calendar"); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "config.calendar", "calendar:"+d.Day, fmt.Sprintf("kind=%s name=%s", d.Kind, d.Name)); err != nil {
		return err
	}
	return tx.Commit()
}

// Calendar returns the working calendar as stored now.
func (db *DB) Calendar(ctx context.Context) (*hotline.Calendar, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return tx.calendar(ctx)
}

// calendar returns the cached calendar, reloading it when any instance has
// changed it since (the "calendar" counter moves with every edit).
func (tx *Tx) calendar(ctx context.Context) (*hotline.Calendar, error) {
	var version int64
	err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'calendar'`).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	db := tx.db
	db.calMu.Lock()
	defer db.calMu.Unlock()
	if db.cal != nil && db.calVersion == version {
		return db.cal, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT day, kind, name FROM calendar_days`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []hotline.CalendarDay
	for rows.Next() {
		var d hotline.CalendarDay
		if err := rows.Scan(&d.Day, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	db.cal, db.calVersion = hotline.NewCalendar(days), version
	return db.cal, nil
}

// bumpCounter increments a named counter and returns its new value.
func bumpCounter(ctx context.Context, tx *Tx, name string) error {
	_, err := nextCounter(ctx, tx, name)
	return err
}

func nextCounter(ctx context.Context, tx *Tx, name string) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&v)
	return v, err
}

// SeedSLAPolicies stores the default policies if there are none.
func (db *DB) SeedSLAPolicies(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sla_policies`).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, p := range hotline.DefaultSLAPolicies() {
		if err := upsertPolicy(ctx, tx, &p); err != nil {
			return err
		}
	}
	return tx.Commit()
}

const policyColumns = `id, appeal_kind, urgency, category_id, ack_value, ack_unit, reply_value, reply_unit, callback_value, callback_unit, warning_share`

func scanPolicy(s interface{ Scan(...any) error }) (*hotline.SLAPolicy, error) {
	p := &hotline.SLAPolicy{}
	err := s.Scan(&p.ID, &p.AppealKind, &p.Urgency, &p.CategoryID, &p.Acknowledge.Value, &p.Acknowledge.Unit,
		&p.Reply.Value, &p.Reply.Unit, &p.Callback.Value, &p.Callback.Unit, &p.WarningShare)
	return p, err
}

// FindSLAPolicies returns every policy.
func (db *DB) FindSLAPolicies(ctx context.Context) ([]*hotline.SLAPolicy, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+policyColumns+` FROM sla_policies ORDER BY appeal_kind, urgency, category_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hotline.SLAPolicy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetSLAPolicy creates or replaces the policy for its kind × urgency
// (× category); it applies to deadlines set from now on.
func (db *DB) SetSLAPolicy(ctx context.Context, actor hotline.Actor, p *hotline.SLAPolicy) error {
	if !actor.Role.Has(hotline.PermManageConfig) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以修改时限规则")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if p.CategoryID != 0 {
		if err := checkExists(ctx, tx, "categories", p.CategoryID, "category_id", "诉求分类"); err != nil {
			return err
		}
	}
	if err := upsertPolicy(ctx, tx, p); err != nil {
		return err
	}
	detail, _ := json.Marshal(p)
	if err := appendAudit(ctx, tx, actor, "config.sla_policy", fmt.Sprintf("sla_policy:%d", p.ID), string(detail)); err != nil {
		return err
	}
	return tx.Commit()
}

func upsertPolicy(ctx context.Context, tx *Tx, p *hotline.SLAPolicy) error {
	return tx.QueryRowContext(ctx, `INSERT INTO sla_policies (appeal_kind, urgency, category_id, ack_value, ack_unit, reply_value, reply_unit, callback_value, callback_unit, warning_share)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (appeal_kind, urgency, category_id) DO UPDATE SET ack_value = $4, ack_unit = $5, reply_value = $6, reply_unit = $7,
			callback_value = $8, callback_unit = $9, warning_share = $10
		RETURNING id`, p.AppealKind, p.Urgency, p.CategoryID, p.Acknowledge.Value, p.Acknowledge.Unit,
		p.Reply.Value, p.Reply.Unit, p.Callback.Value, p.Callback.Unit, p.WarningShare).Scan(&p.ID)
}

// policyFor returns the policy of a ticket: its category's own if one is
// set, else its kind × urgency default.
func (tx *Tx) policyFor(ctx context.Context, t *hotline.Ticket) (hotline.SLAPolicy, error) {
	p, err := scanPolicy(tx.QueryRowContext(ctx, `SELECT `+policyColumns+` FROM sla_policies
		WHERE appeal_kind = $1 AND urgency = $2 AND category_id IN (0, $3) ORDER BY category_id DESC LIMIT 1`,
		t.AppealKind, t.Urgency, t.CategoryID))
	if errors.Is(err, sql.ErrNoRows) {
		return hotline.SLAPolicy{}, hotline.Errorf(hotline.EInternal, "没有 %s/%s 的时限规则", t.AppealKind, t.Urgency)
	} else if err != nil {
		return hotline.SLAPolicy{}, err
	}
	return *p, nil
}

// env builds the domain environment for one ticket in this transaction.
func (tx *Tx) env(ctx context.Context, t *hotline.Ticket) (hotline.Env, error) {
	cal, err := tx.calendar(ctx)
	if err != nil {
		return hotline.Env{}, err
	}
	p, err := tx.policyFor(ctx, t)
	if err != nil {
		return hotline.Env{}, err
	}
	return hotline.Env{Now: tx.now, Calendar: cal, Policy: p, Rules: tx.db.Rules}, nil
}

// correctedPolicy is the policy a ticket will have once corrected: its
// kind, urgency and category may change (invalid values are the domain's
// to refuse).
func (tx *Tx) correctedPolicy(ctx context.Context, t *hotline.Ticket, c hotline.Correction) (*hotline.SLAPolicy, error) {
	n := *t
	if c.AppealKind.Valid() {
		n.AppealKind = c.AppealKind
	}
	if c.Urgency.Valid() {
		n.Urgency = c.Urgency
	}
	if c.CategoryID > 0 {
		n.CategoryID = c.CategoryID
	}
	p, err := tx.policyFor(ctx, &n)
	if err != nil {
		return nil, err
	}
	return &p, nil
}
