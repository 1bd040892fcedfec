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

// resealRecordings seals the uploaded recordings again under keyID, one
// file at a time: written back under its key, then the row says so.
func (db *DB) resealRecordings(ctx context.Context, keyID int64) (int, error) {
	if db.Files == nil {
		return 0, nil
	}
	done := 0
	for {
		rows, err := db.read.QueryContext(ctx, `SELECT id, recording_key FROM calls WHERE recording_key <> '' AND recording_key_id <> $1 ORDER BY id LIMIT 100`, keyID)
		if err != nil {
			return done, err
		}
		type file struct {
			id  int64
			key string
		}
		var batch []file
		for rows.Next() {
			var f file
			if err := rows.Scan(&f.id, &f.key); err != nil {
				rows.Close()
				return done, err
			}
			batch = append(batch, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(batch) == 0 {
			return done, err
		}
		for _, f := range batch {
			sealed, err := db.Files.Get(ctx, f.key)
			if err != nil {
				return done, fmt.Errorf("recording of call %d: %w", f.id, err)
			}
			plain, err := db.keys.DecryptBytes(recordingField, sealed)
			if err != nil {
				return done, fmt.Errorf("recording of call %d: %w", f.id, err)
			}
			if sealed, err = db.keys.EncryptBytes(recordingField, plain); err != nil {
				return done, err
			}
			if err := db.Files.Put(ctx, f.key, sealed); err != nil {
				return done, err
			}
			tx, err := db.begin(ctx)
			if err != nil {
				return done, err
			}
			_, err = tx.ExecContext(ctx, `UPDATE calls SET recording_key_id = $1 WHERE id = $2 AND recording_key = $3`, keyID, f.id, f.key)
			if err == nil {
				err = tx.Commit()
			}
			tx.Rollback()
			if err != nil {
				return done, err
			}
			done++
		}
	}
}
