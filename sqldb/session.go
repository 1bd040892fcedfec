package sqldb

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hotline"
)

// Token kinds: API bearer tokens, and browser sessions (cookie + CSRF).
const (
	KindAPI     = "api"
	KindSession = "session"
)

// LoginRequest is one login attempt.
type LoginRequest struct {
	Username, Password string
	IP                 string
	Kind               string // KindAPI or KindSession
	Name               string // label of an API token
}

// Session is what a successful login issues. Token is shown once; only its
// hash is stored.
type Session struct {
	ID        int64         `json:"id"`
	Token     string        `json:"token,omitempty"`
	CSRF      string        `json:"csrf,omitempty"`
	Kind      string        `json:"kind"`
	Name      string        `json:"name"`
	UserID    int64         `json:"user_id"`
	User      *hotline.User `json:"user,omitempty"`
	IP        string        `json:"ip"`
	CreatedAt time.Time     `json:"created_at"`
	LastSeen  time.Time     `json:"last_seen_at"`
	ExpiresAt time.Time     `json:"expires_at"`
}

// dummyHash is checked against when the user does not exist, so that a
// missing user costs the same time as a wrong password.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// Login checks a username and password and issues a token or session.
// Repeated failures lock the username out, for a time that doubles with
// each further failure; every attempt is audited.
func (db *DB) Login(ctx context.Context, req LoginRequest) (*Session, error) {
	if req.Kind == "" {
		req.Kind = KindAPI
	}
	now := db.Now().UTC()
	var lockedUntil int64
	err := db.read.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE username = $1`, req.Username).Scan(&lockedUntil)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	actor := hotline.Actor{Name: req.Username, IP: req.IP}
	if wait := time.UnixMilli(lockedUntil).Sub(now); wait > 0 {
		if err := db.audit(ctx, actor, "auth.locked", "user:"+req.Username, "账号锁定期间尝试登录"); err != nil {
			return nil, err
		}
		return nil, hotline.Errorf(hotline.ETooMany, "登录失败次数过多，账号已锁定，请 %s 后再试", wait.Round(time.Second))
	}
	var hash string
	u := &hotline.User{}
	var created int64
	err = db.read.QueryRowContext(ctx, `SELECT id, username, display_name, role, COALESCE(unit_id, 0), active, created_at, must_change_password, password_hash FROM users WHERE username = $1`, req.Username).
		Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitID, &u.Active, &created, &u.MustChangePassword, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		hash = dummyHash
	} else if err != nil {
		return nil, err
	}
	if !CheckPassword(hash, req.Password) || !u.Active || u.ID == 0 {
		return nil, db.loginFailed(ctx, actor, now)
	}
	u.CreatedAt = fromMS(created)
	actor = hotline.ActorOf(u)
	actor.IP = req.IP
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, req.Username); err != nil {
		return nil, err
	}
	s := &Session{Token: randomToken(), Kind: req.Kind, Name: req.Name, UserID: u.ID, User: u, IP: req.IP,
		CreatedAt: tx.now, LastSeen: tx.now, ExpiresAt: tx.now.Add(TokenLifetime)}
	if req.Kind == KindSession {
		s.CSRF = randomToken()
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO tokens (token_hash, user_id, created_at, expires_at, kind, name, csrf, last_seen_at, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $3, $8) RETURNING id`, tokenHash(s.Token), u.ID, tx.now.UnixMilli(), s.ExpiresAt.UnixMilli(),
		s.Kind, s.Name, s.CSRF, s.IP).Scan(&s.ID); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "auth.login", fmt.Sprintf("user:%d %s", u.ID, u.Username), req.Kind); err != nil {
		return nil, err
	}
	return s, tx.Commit()
}

// loginFailed records a failure (and a lockout from the threshold on) and
// returns the error to show: the same for a wrong user as a wrong password.
func (db *DB) loginFailed(ctx context.Context, actor hotline.Actor, now time.Time) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var failures int
	if err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (username, failures, locked_until, last_at) VALUES ($1, 1, 0, $2)
		ON CONFLICT (username) DO UPDATE SET failures = login_failures.failures + 1, last_at = $2 RETURNING failures`,
		actor.Name, now.UnixMilli()).Scan(&failures); err != nil {
		return err
	}
	var lock time.Duration
	if failures >= LockoutThreshold {
		lock = min(LockoutBase<<min(failures-LockoutThreshold, 10), LockoutMax)
		if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET locked_until = $1 WHERE username = $2`, now.Add(lock).UnixMilli(), actor.Name); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, "auth.login_failed", "user:"+actor.Name, fmt.Sprintf("第 %d 次失败", failures)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if lock > 0 {
		return hotline.Errorf(hotline.ETooMany, "登录失败次数过多，账号已锁定 %s", lock)
	}
	return hotline.Errorf(hotline.EUnauthorized, "用户名或密码错误")
}

// audit appends one entry in a transaction of its own.
func (db *DB) audit(ctx context.Context, actor hotline.Actor, action, target, detail string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := appendAudit(ctx, tx, actor, action, target, detail); err != nil {
		return err
	}
	return tx.Commit()
}

// Authenticate returns the session behind a token of the given kind: valid,
// unrevoked, not expired, and for browser sessions not idle too long. It
// notes the session's use at most once a minute.
func (db *DB) Authenticate(ctx context.Context, token, kind string) (*Session, error) {
	now := db.Now().UTC()
	s := &Session{User: &hotline.User{}}
	var created, expires, seen int64
	var ucreated int64
	u := s.User
	err := db.read.QueryRowContext(ctx, `SELECT t.id, t.kind, t.name, t.csrf, t.ip, t.created_at, t.expires_at, t.last_seen_at,
		u.id, u.username, u.display_name, u.role, COALESCE(u.unit_id, 0), u.active, u.created_at, u.must_change_password
		FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.kind = $2 AND t.revoked_at IS NULL AND t.expires_at > $3 AND u.active`,
		tokenHash(token), kind, now.UnixMilli()).
		Scan(&s.ID, &s.Kind, &s.Name, &s.CSRF, &s.IP, &created, &expires, &seen, &u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitID, &u.Active, &ucreated, &u.MustChangePassword)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.EUnauthorized, "登录已失效，请重新登录")
	} else if err != nil {
		return nil, err
	}
	s.UserID, s.CreatedAt, s.ExpiresAt, s.LastSeen, u.CreatedAt = u.ID, fromMS(created), fromMS(expires), fromMS(seen), fromMS(ucreated)
	if kind == KindSession && now.Sub(s.LastSeen) > SessionIdleTimeout {
		return nil, hotline.Errorf(hotline.EUnauthorized, "长时间未操作，请重新登录")
	}
	if now.Sub(s.LastSeen) > time.Minute {
		tx, err := db.begin(ctx)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `UPDATE tokens SET last_seen_at = $1 WHERE id = $2`, now.UnixMilli(), s.ID); err != nil {
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// CheckCSRF reports whether a form's CSRF token matches the session's.
func (s *Session) CheckCSRF(token string) bool {
	return s.CSRF != "" && subtle.ConstantTimeCompare([]byte(s.CSRF), []byte(token)) == 1
}

// FindSessions lists a user's live tokens and sessions; admins may list
// anyone's, others only their own.
func (db *DB) FindSessions(ctx context.Context, actor hotline.Actor, userID int64) ([]*Session, error) {
	if userID != actor.UserID && !actor.Role.Has(hotline.PermManageUsers) {
		return nil, hotline.Errorf(hotline.EForbidden, "只能查看自己的登录令牌")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, name, ip, created_at, expires_at, last_seen_at FROM tokens
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY id`, userID, db.Now().UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Session{}
	for rows.Next() {
		s := &Session{UserID: userID}
		var created, expires, seen int64
		if err := rows.Scan(&s.ID, &s.Kind, &s.Name, &s.IP, &created, &expires, &seen); err != nil {
			return nil, err
		}
		s.CreatedAt, s.ExpiresAt, s.LastSeen = fromMS(created), fromMS(expires), fromMS(seen)
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeSessions ends tokens at once: one by id (0: all of the user's, the
// "log out everywhere"). Users revoke their own; admins anyone's.
func (db *DB) RevokeSessions(ctx context.Context, actor hotline.Actor, userID, id int64) (int, error) {
	if userID != actor.UserID && !actor.Role.Has(hotline.PermManageUsers) {
		return 0, hotline.Errorf(hotline.EForbidden, "只能注销自己的登录令牌")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	q, args := `UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, []any{tx.now.UnixMilli(), userID}
	if id != 0 {
		q, args = q+` AND id = $3`, append(args, id)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if id != 0 && n == 0 {
		return 0, hotline.Errorf(hotline.ENotFound, "令牌不存在或已注销")
	}
	target := fmt.Sprintf("user:%d", userID)
	if id != 0 {
		target = fmt.Sprintf("token:%d", id)
	}
	if err := appendAudit(ctx, tx, actor, "auth.revoke", target, fmt.Sprintf("%d 个令牌", n)); err != nil {
		return 0, err
	}
	tx.changed(Change{UserID: userID}) // open event streams re-check their session
	return int(n), tx.Commit()
}

// Logout ends the session or token itself.
func (db *DB) Logout(ctx context.Context, actor hotline.Actor, sessionID int64) error {
	_, err := db.RevokeSessions(ctx, actor, actor.UserID, sessionID)
	return err
}
