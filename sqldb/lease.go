package sqldb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// TryLease takes the lease name for d unless another holder's lease on
// it is still running: a job that must run on one server at a time (the
// scheduled retraining) takes it first, on any database and across
// processes. It returns a function that gives the lease back, or ok
// false when someone else holds it.
func (db *DB) TryLease(ctx context.Context, name string, d time.Duration) (release func(), ok bool, err error) {
	b := make([]byte, 8)
	rand.Read(b)
	holder := hex.EncodeToString(b)
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE job_leases.expires_at < $4`, name, holder, tx.now.Add(d).UnixMilli(), tx.now.UnixMilli())
	if err != nil {
		return nil, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return nil, false, err
	}
	if err := tx.Commit(); err != nil {
		return nil, false, err
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		tx, err := db.begin(ctx)
		if err != nil {
			return // the lease runs out
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `DELETE FROM job_leases WHERE name = $1 AND holder = $2`, name, holder); err == nil {
			tx.Commit()
		}
	}, true, nil
}
