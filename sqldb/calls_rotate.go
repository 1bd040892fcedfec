package sqldb

import (
	"context"
	"fmt"

	"hotline/keyring"
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

// rotateStaff seals the staff records' names, phones and ID numbers
// again under the active key (keyID), in one transaction: the team is a
// few dozen records. A value already under keyID is left as it is.
func (db *DB) rotateStaff(ctx context.Context, keyID int64) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, phone, id_number FROM staff_members ORDER BY id`)
	if err != nil {
		return 0, err
	}
	type row struct {
		id     int64
		fields [3]string
	}
	var batch []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.fields[0], &r.fields[1], &r.fields[2]); err != nil {
			rows.Close()
			return 0, err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	done := 0
	for _, r := range batch {
		changed := false
		for i, field := range []string{"staff_name", "staff_phone", "staff_id_number"} {
			if r.fields[i] == "" || keyring.KeyID(r.fields[i]) == keyID {
				continue
			}
			plain, err := db.keys.Decrypt(field, r.fields[i])
			if err == nil {
				r.fields[i], err = db.keys.Encrypt(field, plain)
			}
			if err != nil {
				return done, fmt.Errorf("staff %d: %w", r.id, err)
			}
			changed = true
		}
		if !changed {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff_members SET name = $1, phone = $2, id_number = $3 WHERE id = $4`,
			r.fields[0], r.fields[1], r.fields[2], r.id); err != nil {
			return done, err
		}
		done++
	}
	return done, tx.Commit()
}
