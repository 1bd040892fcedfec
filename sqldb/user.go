package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"

	"hotline"
)

// Session and token lifetimes.
const (
	TokenLifetime      = 12 * time.Hour   // API tokens and sessions: absolute
	SessionIdleTimeout = 30 * time.Minute // sessions: idle
	LockoutThreshold   = 5                // failed logins before a lockout
	LockoutBase        = time.Minute      // first lockout; doubles per further failure
	LockoutMax         = time.Hour
)

// argon2id parameters (RFC 9106's second recommended option, memory-light).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// newPasswordHash checks a new password against the policy and hashes it.
func newPasswordHash(username, password string) (string, error) {
	if err := ValidatePassword(username, password); err != nil {
		return "", err
	}
	return HashPassword(password)
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches an argon2id hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// ValidatePassword applies the password policy: at least 8 characters with
// letters and digits, not containing the username, not a well-known one.
func ValidatePassword(username, password string) error {
	if len([]rune(password)) < 8 || len(password) > 256 {
		return hotline.Invalid("password", "密码长度应为 8 到 256 个字符")
	}
	var letter, digit bool
	for _, r := range password {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if !letter || !digit {
		return hotline.Invalid("password", "密码须同时包含字母和数字")
	}
	lower := strings.ToLower(password)
	if username != "" && strings.Contains(lower, strings.ToLower(username)) {
		return hotline.Invalid("password", "密码不能包含用户名")
	}
	for _, weak := range []string{"password1", "passw0rd", "12345678a", "a12345678", "qwerty123", "abc12345", "admin123", "1qaz2wsx"} {
		if lower == weak {
			return hotline.Invalid("password", "密码过于常见，请换一个")
		}
	}
	return nil
}

// SystemActor is who acts for the command line and the demo loader.
var SystemActor = hotline.Actor{Name: "命令行", Role: hotline.RoleAdmin}

// CreateUser adds a user with the given password.
func (db *DB) CreateUser(ctx context.Context, actor hotline.Actor, u *hotline.User, password string) error {
	if !actor.Role.Has(hotline.PermManageUsers) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以添加用户")
	}
	if err := hotline.CheckInput("username", u.Username); err != nil {
		return err
	}
	u.Username = hotline.TrimText(u.Username)
	if u.Username == "" || len(u.Username) > 64 || strings.ContainsAny(u.Username, " \t/") {
		return hotline.Invalid("username", "用户名必填，不超过64个字符，不能含空格")
	}
	if hotline.Blank(u.DisplayName) {
		u.DisplayName = u.Username
	}
	if err := u.Validate(); err != nil {
		return err
	}
	hash, err := newPasswordHash(u.Username, password)
	if err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return hotline.Invalid("username", "用户名“%s”已存在", u.Username)
	}
	if u.UnitID != 0 {
		if err := checkExists(ctx, tx, "units", u.UnitID, "unit_id", "单位"); err != nil {
			return err
		}
	}
	u.Active, u.CreatedAt = true, tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, password_hash, role, unit_id, active, created_at)
		VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id`, u.Username, u.DisplayName, hash, u.Role, nullID(u.UnitID), tx.now.UnixMilli()).Scan(&u.ID); err != nil {
		return err
	}
	if err := bumpCounter(ctx, tx, referenceCounter); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "user.create", fmt.Sprintf("user:%d %s", u.ID, u.Username), fmt.Sprintf("role=%s unit=%d", u.Role, u.UnitID)); err != nil {
		return err
	}
	return tx.Commit()
}

const userColumns = `id, username, display_name, role, COALESCE(unit_id, 0), active, created_at, must_change_password`

func scanUser(s interface{ Scan(...any) error }) (*hotline.User, error) {
	u := &hotline.User{}
	var created int64
	err := s.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitID, &u.Active, &created, &u.MustChangePassword)
	u.CreatedAt = fromMS(created)
	return u, err
}

// FindUserByID returns a user.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*hotline.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "用户不存在")
	}
	return u, err
}

// FindUsers returns every user.
func (db *DB) FindUsers(ctx context.Context) ([]*hotline.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hotline.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func randomToken() string {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(raw)
}
