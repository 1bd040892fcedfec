package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// WeChatReplies keeps the official account's answers, one per message
// (wechat.Replies).
type WeChatReplies struct{ db *DB }

// WeChatReplies returns the account's answer store.
func (db *DB) WeChatReplies() *WeChatReplies { return &WeChatReplies{db: db} }

// Once returns the answer to the message with key: the first caller
// computes it (and it is kept), any other — on this instance or another,
// before or after it is ready — gets the same, waiting for it until ctx
// ends ("" then: WeChat is answered "success" and retries).
func (r *WeChatReplies) Once(ctx context.Context, key string, answer func() (string, error)) (string, error) {
	tx, err := r.db.begin(ctx)
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM wechat_replies WHERE created_at < $1`, tx.now.Add(-24*time.Hour).UnixMilli()); err != nil {
		tx.Rollback()
		return "", err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO wechat_replies (msg_key, status, created_at) VALUES ($1, 'working', $2) ON CONFLICT DO NOTHING`,
		key, tx.now.UnixMilli())
	if err == nil {
		err = tx.Commit()
	}
	tx.Rollback()
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		text, aerr := answer()
		if aerr != nil {
			// Let a retry try again.
			r.db.writeOnce(context.WithoutCancel(ctx), `DELETE FROM wechat_replies WHERE msg_key = $1`, key)
			return "", aerr
		}
		return text, r.db.writeOnce(context.WithoutCancel(ctx), `UPDATE wechat_replies SET status = 'done', reply = $1 WHERE msg_key = $2`, text, key)
	}
	for {
		var status, reply string
		err := r.db.read.QueryRowContext(ctx, `SELECT status, reply FROM wechat_replies WHERE msg_key = $1`, key).Scan(&status, &reply)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil // the first gave up: WeChat will retry
		} else if err != nil {
			return "", err
		}
		if status == "done" {
			return reply, nil
		}
		select {
		case <-ctx.Done():
			return "", nil
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// writeOnce runs one statement in its own transaction.
func (db *DB) writeOnce(ctx context.Context, query string, args ...any) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return err
	}
	return tx.Commit()
}
