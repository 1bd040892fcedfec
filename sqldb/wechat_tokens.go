package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// WeChatTokens keeps the official account's access token for every
// instance (wechat.TokenStore): refreshed early (five minutes before it
// runs out) by one instance at a time under a lease, sealed at rest.
type WeChatTokens struct{ db *DB }

// WeChatTokens returns the token store.
func (db *DB) WeChatTokens() *WeChatTokens { return &WeChatTokens{db: db} }

// tokenMargin is how early a token is refreshed.
const tokenMargin = 5 * time.Minute

func (s *WeChatTokens) current(ctx context.Context, appID string) (string, bool, error) {
	var sealed string
	var exp int64
	err := s.db.read.QueryRowContext(ctx, `SELECT token, expires_at FROM wechat_tokens WHERE app_id = $1`, appID).Scan(&sealed, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	if fromMS(exp).Add(-tokenMargin).Before(s.db.Now()) {
		return "", false, nil
	}
	token, err := s.db.keys.Decrypt("wechat_token", sealed)
	return token, err == nil, err
}

// Token implements wechat.TokenStore.
func (s *WeChatTokens) Token(ctx context.Context, appID string, fetch func(context.Context) (string, time.Duration, error)) (string, error) {
	for wait := 0; ; wait++ {
		if token, ok, err := s.current(ctx, appID); err != nil || ok {
			return token, err
		}
		release, ok, err := s.db.TryLease(ctx, "wechat-token:"+appID, 30*time.Second)
		if err != nil {
			return "", err
		}
		if ok {
			defer release()
			if token, ok, err := s.current(ctx, appID); err != nil || ok {
				return token, err // another instance just refreshed it
			}
			token, ttl, err := fetch(ctx)
			if err != nil {
				return "", err
			}
			sealed, err := s.db.keys.Encrypt("wechat_token", token)
			if err != nil {
				return "", err
			}
			return token, s.db.writeOnce(ctx, `INSERT INTO wechat_tokens (app_id, token, expires_at) VALUES ($1, $2, $3)
				ON CONFLICT (app_id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at`, appID, sealed, s.db.Now().Add(ttl).UnixMilli())
		}
		if wait >= 60 {
			return "", errors.New("wechat: the access token is being refreshed elsewhere")
		}
		select { // another instance is fetching it
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Invalidate implements wechat.TokenStore: the token is dropped if it is
// still the one kept.
func (s *WeChatTokens) Invalidate(ctx context.Context, appID, token string) error {
	current, ok, err := s.current(ctx, appID)
	if err != nil || !ok || current != token {
		return err
	}
	return s.db.writeOnce(ctx, `UPDATE wechat_tokens SET expires_at = 0 WHERE app_id = $1`, appID)
}
