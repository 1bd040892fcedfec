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

	"golang.org/x/crypto/argon2"

	"hotline"
)

// TokenLifetime is how long an API token stays valid.
const TokenLifetime = 12 * time.Hour

// argon2id parameters (RFC 9106's second recommended option, memory-light).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

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
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CreateUser adds a user with the given password.
func (db *DB) CreateUser(ctx context.Context, u *hotline.User, password string) error {
	u.Username = strings.TrimSpace(u.Username)
	if u.Username == "" || len(u.Username) > 64 || strings.ContainsAny(u.Username, " \t/") {
		return hotline.Invalid("username", "用户名必填，不超过64个字符，不能含空格")
	}
	if u.DisplayName = strings.TrimSpace(u.DisplayName); u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	if !u.Role.Valid() {
		return hotline.Invalid("role", "角色无效")
	}
	if (u.Role == hotline.RoleUnit) != (u.UnitID != 0) {
		return hotline.Invalid("unit_id", "承办单位用户必须且只能指定所属单位")
	}
	if len([]rune(password)) < 8 {
		return hotline.Invalid("password", "密码至少8位")
	}
	hash, err := HashPassword(password)
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
	return tx.Commit()
}

const userColumns = `id, username, display_name, role, COALESCE(unit_id, 0), active, created_at`

func scanUser(s interface{ Scan(...any) error }) (*hotline.User, error) {
	u := &hotline.User{}
	var created int64
	err := s.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitID, &u.Active, &created)
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

// Login checks a username and password and issues an API token.
func (db *DB) Login(ctx context.Context, username, password string) (token string, u *hotline.User, err error) {
	var hash string
	var created int64
	u = &hotline.User{}
	err = db.read.QueryRowContext(ctx, `SELECT id, username, display_name, role, COALESCE(unit_id, 0), active, created_at, password_hash FROM users WHERE username = $1`, username).
		Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitID, &u.Active, &created, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash, password) // same work as a real check: no user enumeration by timing
		return "", nil, hotline.Errorf(hotline.EUnauthorized, "用户名或密码错误")
	} else if err != nil {
		return "", nil, err
	}
	if !CheckPassword(hash, password) || !u.Active {
		return "", nil, hotline.Errorf(hotline.EUnauthorized, "用户名或密码错误")
	}
	u.CreatedAt = fromMS(created)
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(raw)
	tx, err := db.begin(ctx)
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		tokenHash(token), u.ID, tx.now.UnixMilli(), tx.now.Add(TokenLifetime).UnixMilli()); err != nil {
		return "", nil, err
	}
	return token, u, tx.Commit()
}

// dummyHash is checked against when the user does not exist.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// UserByToken returns the active user a valid, unrevoked token belongs to.
func (db *DB) UserByToken(ctx context.Context, token string) (*hotline.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT u.id, u.username, u.display_name, u.role, COALESCE(u.unit_id, 0), u.active, u.created_at
		FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active`, tokenHash(token), db.Now().UnixMilli()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.EUnauthorized, "登录已失效，请重新登录")
	}
	return u, err
}

// RevokeToken ends a token at once.
func (db *DB) RevokeToken(ctx context.Context, token string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL`, tx.now.UnixMilli(), tokenHash(token)); err != nil {
		return err
	}
	return tx.Commit()
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
