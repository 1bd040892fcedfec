package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"hotline"
)

// MaxCallerHistory is how many of a caller's tickets a lookup returns.
const MaxCallerHistory = 20

// CallerHistory is a caller's earlier tickets, newest first, masked for
// the actor.
type CallerHistory struct {
	Phone   string            `json:"phone"` // masked: 138****5678
	Tickets []*hotline.Ticket `json:"items"`
	Total   int               `json:"total"`
}

// LookUpCaller finds a caller's earlier tickets by the exact normalised
// number, through the blind index (来电历史). Only roles that take or
// return calls may, within per-user limits (db.LookupLimits); every lookup
// is audited by the masked number and a prefix of its keyed hash, never
// the number; refusals and a burst of distinct numbers raise a security
// alert for the admins.
func (db *DB) LookUpCaller(ctx context.Context, actor hotline.Actor, phone string) (*CallerHistory, error) {
	phone = hotline.NormalizePhone(phone)
	if len(phone) < 5 || len(phone) > 20 {
		return nil, hotline.Invalid("phone", "请输入 5 到 20 位的电话号码")
	}
	if !actor.CanLookUpCallers() {
		db.lookupRefused(ctx, actor, "无权查询")
		return nil, hotline.Errorf(hotline.EForbidden, "%s无权查询来电历史", actor.Role.Label())
	}
	now := db.Now().UTC()
	if until := db.lookups.limitedUntil(actor.UserID); now.Before(until) {
		db.lookupRefused(ctx, actor, "超过查询上限")
		return nil, hotline.Errorf(hotline.ETooMany, "来电历史查询过于频繁，请 %d 秒后再试", int(until.Sub(now).Seconds())+1)
	}
	key := db.Requesters.PhoneKey(phone)
	limits := db.LookupLimits
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now = tx.now
	// One user's lookups in turn: on PostgreSQL two concurrent ones would
	// both count 29 and both pass; the no-op update locks the user's row
	// (SQLite's write transactions are in turn already).
	if _, err := tx.ExecContext(ctx, `UPDATE users SET must_change_password = must_change_password WHERE id = $1`, actor.UserID); err != nil {
		return nil, err
	}
	var c hotline.LookupCounts
	var oldestMinute, oldestDay sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN at > $2 THEN 1 ELSE 0 END), 0), COUNT(*),
			MIN(CASE WHEN at > $2 THEN at END), MIN(at)
		FROM caller_lookups WHERE user_id = $1 AND at > $3`,
		actor.UserID, now.Add(-time.Minute).UnixMilli(), now.Add(-24*time.Hour).UnixMilli()).
		Scan(&c.LastMinute, &c.LastDay, &oldestMinute, &oldestDay); err != nil {
		return nil, err
	}
	if err := limits.Allow(c); err != nil {
		until := time.UnixMilli(oldestMinute.Int64).Add(time.Minute)
		if c.LastDay >= limits.PerDay {
			until = time.UnixMilli(oldestDay.Int64).Add(24 * time.Hour)
		}
		tx.Rollback()
		db.lookups.limit(actor.UserID, until)
		db.lookupRefused(ctx, actor, "超过查询上限")
		return nil, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT phone_key) FROM caller_lookups
		WHERE user_id = $1 AND at > $2 AND phone_key <> $3`, actor.UserID, now.Add(-limits.BurstWindow).UnixMilli(), key).
		Scan(&c.Distinct); err != nil {
		return nil, err
	}
	c.Distinct++
	if _, err := tx.ExecContext(ctx, `INSERT INTO caller_lookups (user_id, at, phone_key) VALUES ($1, $2, $3)`,
		actor.UserID, now.UnixMilli(), key); err != nil {
		return nil, err
	}
	out := &CallerHistory{Phone: hotline.MaskPhone(phone), Tickets: []*hotline.Ticket{}}
	if err := appendAudit(ctx, tx, actor, "caller.lookup", lookupTarget(phone, key), ""); err != nil {
		return nil, err
	}
	if limits.Burst(c.Distinct) {
		if err := raiseAlert(ctx, tx, AlertLookupBurst, actor, fmt.Sprintf("%s 在 %d 分钟内查询了 %d 个不同号码的来电历史",
			actor.Name, int(limits.BurstWindow.Minutes()), c.Distinct)); err != nil {
			return nil, err
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE requester_phone_key = $1`, key).Scan(&out.Total); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE requester_phone_key = $1
		ORDER BY id DESC LIMIT `+fmt.Sprint(MaxCallerHistory), key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := db.scanTicket(rows)
		if err != nil {
			return nil, err
		}
		t.RedactFor(actor)
		out.Tickets = append(out.Tickets, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := loadCoUnits(ctx, tx, out.Tickets); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// lookupTarget names a looked-up number in the audit log without the
// number: the masked form and the first 12 characters of its keyed hash
// (which only the holder of the index key can link to a number).
func lookupTarget(phone, key string) string {
	if len(key) > 12 {
		key = key[:12]
	}
	return "phone:" + hotline.MaskPhone(phone) + " #" + key
}

// lookupRefused notes a refused lookup: the first of each minute goes to
// the audit log, and a run of them within the burst window raises an
// alert. Refusals are counted in memory (per instance) so that a flood of
// them costs no writes.
func (db *DB) lookupRefused(ctx context.Context, actor hotline.Actor, why string) {
	audit, alert, n := db.lookups.refused(actor.UserID, db.Now(), db.LookupLimits)
	if !audit && !alert {
		return
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return
	}
	defer tx.Rollback()
	if audit {
		if appendAudit(ctx, tx, actor, "caller.lookup_refused", fmt.Sprintf("user:%d", actor.UserID),
			fmt.Sprintf("%s；%d 分钟内第 %d 次被拒", why, int(db.LookupLimits.BurstWindow.Minutes()), n)) != nil {
			return
		}
	}
	if alert {
		if raiseAlert(ctx, tx, AlertLookupBurst, actor, fmt.Sprintf("%s（%s）在 %d 分钟内 %d 次来电历史查询被拒（%s）",
			actor.Name, actor.Role.Label(), int(db.LookupLimits.BurstWindow.Minutes()), n, why)) != nil {
			return
		}
	}
	tx.Commit()
}

// lookupGuard is the in-memory side of the lookup limits: who is limited
// until when, and recent refusals per user.
type lookupGuard struct {
	mu    sync.Mutex
	users map[int64]*lookupState
}

type lookupState struct {
	until     time.Time
	refusals  []time.Time
	lastAudit time.Time
	alerted   time.Time
}

func (g *lookupGuard) state(user int64) *lookupState {
	if g.users == nil {
		g.users = map[int64]*lookupState{}
	}
	st := g.users[user]
	if st == nil {
		st = &lookupState{}
		g.users[user] = st
	}
	return st
}

func (g *lookupGuard) limitedUntil(user int64) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.state(user).until
}

func (g *lookupGuard) limit(user int64, until time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.state(user).until = until
}

// refused counts one refusal and says whether to audit it (the first in a
// minute) and whether to raise an alert (a burst, at most once an hour).
func (g *lookupGuard) refused(user int64, now time.Time, l hotline.LookupLimits) (audit, alert bool, n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.state(user)
	keep := st.refusals[:0]
	for _, t := range st.refusals {
		if now.Sub(t) < l.BurstWindow {
			keep = append(keep, t)
		}
	}
	st.refusals = append(keep, now)
	n = len(st.refusals)
	if audit = now.Sub(st.lastAudit) >= time.Minute; audit {
		st.lastAudit = now
	}
	if alert = l.Burst(n) && now.Sub(st.alerted) >= time.Hour; alert {
		st.alerted = now
	}
	return audit, alert, n
}

// Security alert kinds.
const (
	AlertLookupBurst = "caller_lookup_burst" // many distinct or refused caller-history lookups
)

// Alert is a security alert for the admins' home page.
type Alert struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Kind     string    `json:"kind"`
	UserID   int64     `json:"user_id"`
	Detail   string    `json:"detail"`
	Resolved bool      `json:"resolved"`
}

// Label names the alert's kind in Chinese.
func (a *Alert) Label() string {
	if a.Kind == AlertLookupBurst {
		return "来电历史查询异常"
	}
	return a.Kind
}

// raiseAlert records an alert (and its audit entry) unless the same kind
// for the same user is already open from the last hour.
func raiseAlert(ctx context.Context, tx *Tx, kind string, actor hotline.Actor, detail string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM security_alerts WHERE kind = $1 AND user_id = $2 AND resolved_at IS NULL AND at > $3`,
		kind, actor.UserID, tx.now.Add(-time.Hour).UnixMilli()).Scan(&n); err != nil || n > 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO security_alerts (at, kind, user_id, detail) VALUES ($1, $2, $3, $4)`,
		tx.now.UnixMilli(), kind, nullID(actor.UserID), detail); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, "security.alert", fmt.Sprintf("user:%d", actor.UserID), kind+"："+detail)
}

// FindAlerts returns the open security alerts, newest first, for those who
// manage users or read the audit log.
func (db *DB) FindAlerts(ctx context.Context, actor hotline.Actor) ([]*Alert, error) {
	if !actor.Role.Has(hotline.PermManageUsers) && !actor.Role.Has(hotline.PermReadAudit) {
		return nil, hotline.Errorf(hotline.EForbidden, "无权查看安全告警")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, at, kind, COALESCE(user_id, 0), detail FROM security_alerts
		WHERE resolved_at IS NULL ORDER BY id DESC LIMIT 50`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Alert{}
	for rows.Next() {
		a := &Alert{}
		var at int64
		if err := rows.Scan(&a.ID, &at, &a.Kind, &a.UserID, &a.Detail); err != nil {
			return nil, err
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ResolveAlert closes an alert (an admin has looked into it), audited.
func (db *DB) ResolveAlert(ctx context.Context, actor hotline.Actor, id int64) error {
	if !actor.Role.Has(hotline.PermManageUsers) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以处理安全告警")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE security_alerts SET resolved_at = $1, resolved_by = $2 WHERE id = $3 AND resolved_at IS NULL`,
		tx.now.UnixMilli(), nullID(actor.UserID), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hotline.Errorf(hotline.ENotFound, "告警不存在或已处理")
	}
	if err := appendAudit(ctx, tx, actor, "security.alert_resolved", fmt.Sprintf("alert:%d", id), ""); err != nil {
		return err
	}
	return tx.Commit()
}
