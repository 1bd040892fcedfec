package sqldb

import (
	"context"
	"fmt"
)

// rotateCalls seals the callers' numbers of the calls again under keyID,
// a batch per short transaction, as rotateBatch does the requesters.
func (db *DB) rotateCalls(ctx context.Context, keyID int64) (int, error) {
	done := 0
	for {
		tx, err := db.begin(ctx)
		if err != nil {
			return done, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, caller_phone FROM calls WHERE key_id <> $1 AND caller_phone <> '' ORDER BY id LIMIT $2`, keyID, RotateBatch)
		if err != nil {
			tx.Rollback()
			return done, err
		}
		type row struct {
			id     int64
			sealed string
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.sealed); err != nil {
				rows.Close()
				tx.Rollback()
				return done, err
			}
			batch = append(batch, r)
		}
		rows.Close()
		for _, r := range batch {
			plain, err := db.keys.Decrypt("caller_phone", r.sealed)
			if err == nil {
				r.sealed, err = db.keys.Encrypt("caller_phone", plain)
			}
			if err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE calls SET caller_phone = $1, key_id = $2 WHERE id = $3`, r.sealed, keyID, r.id)
			}
			if err != nil {
				tx.Rollback()
				return done, fmt.Errorf("call %d: %w", r.id, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return done, err
		}
		done += len(batch)
		if len(batch) < RotateBatch {
			return done, nil
		}
	}
}

// resealRecordings seals the uploaded recordings again under keyID
// (resealFiles).
func (db *DB) resealRecordings(ctx context.Context, keyID int64) (int, error) {
	return db.resealFiles(ctx, keyID, "recording of call",
		`SELECT id, recording_key FROM calls WHERE recording_key <> '' AND recording_key_id <> $1 ORDER BY id LIMIT 100`,
		[]string{recordingField}, `UPDATE calls SET recording_key_id = $1 WHERE id = $2`)
}
