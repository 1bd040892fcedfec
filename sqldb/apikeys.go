package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hotline"
)

// Integration key scopes: what a key may post.
const (
	ScopeCTI = "cti" // call events from the telephony platform
)

// APIKey is an integration key (a PBX, a partner platform) as listed: the
// key itself is shown once, when it is made, and only its hash is kept.
type APIKey struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Actor is the key as an actor in the audit log.
func (k *APIKey) Actor() hotline.Actor { return hotline.Actor{Name: "接口:" + k.Name} }

// AddAPIKey makes an integration key for scope (admin, or the command
// line as SystemActor) and returns it with the key to hand over.
func (db *DB) AddAPIKey(ctx context.Context, actor hotline.Actor, name, scope string) (*APIKey, string, error) {
	if !actor.Role.Has(hotline.PermManageUsers) {
		return nil, "", hotline.Errorf(hotline.EForbidden, "只有系统管理员可以创建接口密钥")
	}
	name = strings.TrimSpace(name)
	if err := hotline.CheckInput("name", name); err != nil {
		return nil, "", err
	} else if name == "" || utf8.RuneCountInString(name) > 64 {
		return nil, "", hotline.Invalid("name", "请填写接口名称（不超过64个字）")
	}
	if scope != ScopeCTI {
		return nil, "", hotline.Invalid("scope", "接口范围应为 %s", ScopeCTI)
	}
	key := "hk_" + randomToken()
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	k := &APIKey{Name: name, Scope: scope, CreatedAt: tx.now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO api_keys (name, scope, key_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		name, scope, tokenHash(key), tx.now.UnixMilli()).Scan(&k.ID); err != nil {
		return nil, "", err
	}
	if err := appendAudit(ctx, tx, actor, "apikey.add", fmt.Sprintf("api_key:%d", k.ID), name+" "+scope); err != nil {
		return nil, "", err
	}
	return k, key, tx.Commit()
}

// FindAPIKeys lists the integration keys, newest first.
func (db *DB) FindAPIKeys(ctx context.Context) ([]*APIKey, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, scope, created_at, revoked_at, last_used_at FROM api_keys ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*APIKey{}
	for rows.Next() {
		k := &APIKey{}
		var created int64
		if err := rows.Scan(&k.ID, &k.Name, &k.Scope, &created, nullTime{&k.RevokedAt}, nullTime{&k.LastUsedAt}); err != nil {
			return nil, err
		}
		k.CreatedAt = fromMS(created)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeAPIKey revokes a key at once.
func (db *DB) RevokeAPIKey(ctx context.Context, actor hotline.Actor, id int64) error {
	if !actor.Role.Has(hotline.PermManageUsers) {
		return hotline.Errorf(hotline.EForbidden, "只有系统管理员可以吊销接口密钥")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.now.UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return hotline.Errorf(hotline.ENotFound, "接口密钥 %d 不存在或已吊销", id)
	}
	if err := appendAudit(ctx, tx, actor, "apikey.revoke", fmt.Sprintf("api_key:%d", id), ""); err != nil {
		return err
	}
	return tx.Commit()
}

// AuthenticateAPIKey returns the unrevoked key of scope behind a presented
// key, noting its use at most once a minute.
func (db *DB) AuthenticateAPIKey(ctx context.Context, key, scope string) (*APIKey, error) {
	k := &APIKey{}
	var created int64
	err := db.read.QueryRowContext(ctx, `SELECT id, name, scope, created_at, last_used_at FROM api_keys
		WHERE key_hash = $1 AND scope = $2 AND revoked_at IS NULL`, tokenHash(key), scope).
		Scan(&k.ID, &k.Name, &k.Scope, &created, nullTime{&k.LastUsedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.EUnauthorized, "接口密钥无效或已吊销")
	} else if err != nil {
		return nil, err
	}
	k.CreatedAt = fromMS(created)
	if now := db.Now(); k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		tx, err := db.begin(ctx)
		if err != nil {
			return nil, err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, now.UnixMilli(), k.ID); err != nil {
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	return k, nil
}
