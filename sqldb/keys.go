package sqldb

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"hotline"
	"hotline/keyring"
)

// bootstrapKeys loads the stored data keys and creates the index key and a
// first data key on a new database.
func (db *DB) bootstrapKeys(ctx context.Context) error {
	if err := db.loadKeys(ctx); err != nil {
		return err
	}
	for _, purpose := range []string{keyring.PurposeIndex, keyring.PurposeData} {
		if purpose == keyring.PurposeIndex && db.keys.HasIndexKey() || purpose == keyring.PurposeData && db.keys.ActiveKeyID() != 0 {
			continue
		}
		tx, err := db.begin(ctx)
		if err != nil {
			return err
		}
		if _, err := insertKey(ctx, tx, db.keys, purpose); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return db.loadKeys(ctx)
}

// insertKey makes and stores a new key; another instance racing to make the
// one index key loses quietly and loads the winner's.
func insertKey(ctx context.Context, tx *Tx, k *keyring.Keyring, purpose string) (int64, error) {
	w, err := k.NewKey(purpose)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO data_keys (purpose, algorithm, wrapped, active, created_at) VALUES ($1, $2, $3, TRUE, $4)
		ON CONFLICT DO NOTHING RETURNING id`, purpose, w.Algorithm, base64.StdEncoding.EncodeToString(w.Key), tx.now.UnixMilli()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err == nil {
		err = bumpCounter(ctx, tx, "keys")
	}
	return id, err
}

// loadKeys (re)reads every stored key into the keyring. It reads through
// the reader pool: the writer may be held by the caller's transaction.
func (db *DB) loadKeys(ctx context.Context) error {
	rows, err := db.read.QueryContext(ctx, `SELECT id, purpose, algorithm, wrapped, active FROM data_keys ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var keys []keyring.Wrapped
	for rows.Next() {
		var w keyring.Wrapped
		var b64 string
		if err := rows.Scan(&w.ID, &w.Purpose, &w.Algorithm, &b64, &w.Active); err != nil {
			return err
		}
		if w.Key, err = base64.StdEncoding.DecodeString(b64); err != nil {
			return fmt.Errorf("data key %d: %w", w.ID, err)
		}
		keys = append(keys, w)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return db.keys.Load(keys)
}

// RotationProgress reports a key rotation's progress.
type RotationProgress struct {
	KeyID       int64 `json:"key_id"`
	Done        int   `json:"done"`
	Remaining   int   `json:"remaining"`
	Attachments int   `json:"attachments"` // attachment files (and training photos) sealed again, after the tickets
	Calls       int   `json:"calls"`       // callers' numbers of call records sealed again
	Recordings  int   `json:"recordings"`  // uploaded call recordings sealed again
	Staff       int   `json:"staff"`       // staff records sealed again
}

// RotateBatch is how many tickets one rotation transaction re-encrypts.
const RotateBatch = 500

// RotateDataKey makes a new data key the active one and re-encrypts every
// requester under it (then the attachments, the callers of the call
// records, the uploaded recordings and the staff records), a batch per short transaction, so the service keeps
// running: readers open old and new values alike until the last old one is
// gone, then the old keys are retired. progress is called after each batch.
func (db *DB) RotateDataKey(ctx context.Context, actor hotline.Actor, progress func(RotationProgress)) (RotationProgress, error) {
	var p RotationProgress
	if !actor.Role.Has(hotline.PermRotateKeys) {
		return p, hotline.Errorf(hotline.EForbidden, "只有系统管理员可以轮换密钥")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return p, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE data_keys SET active = FALSE WHERE purpose = 'data'`); err != nil {
		tx.Rollback()
		return p, err
	}
	if p.KeyID, err = insertKey(ctx, tx, db.keys, keyring.PurposeData); err != nil {
		tx.Rollback()
		return p, err
	}
	if err := appendAudit(ctx, tx, actor, "keys.rotate", fmt.Sprintf("data_key:%d", p.KeyID), "开始轮换数据密钥"); err != nil {
		tx.Rollback()
		return p, err
	}
	if err := tx.Commit(); err != nil {
		return p, err
	}
	if err := db.loadKeys(ctx); err != nil {
		return p, err
	}
	for {
		n, remaining, err := db.rotateBatch(ctx, p.KeyID)
		if err != nil {
			return p, err
		}
		p.Done, p.Remaining = p.Done+n, remaining
		if progress != nil {
			progress(p)
		}
		if remaining == 0 {
			break
		}
	}
	n, err := db.resealAttachments(ctx, p.KeyID)
	p.Attachments = n
	if err != nil {
		return p, err
	}
	n, err = db.resealTrainingPhotos(ctx, p.KeyID)
	p.Attachments += n
	if err != nil {
		return p, err
	}
	if p.Calls, err = db.rotateCalls(ctx, p.KeyID); err != nil {
		return p, err
	}
	if p.Recordings, err = db.resealRecordings(ctx, p.KeyID); err != nil {
		return p, err
	}
	p.Staff, err = db.rotateStaff(ctx, p.KeyID)
	return p, err
}

func (db *DB) rotateBatch(ctx context.Context, keyID int64) (done, remaining int, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, requester_name, requester_phone, requester_address, requester_phone_key
		FROM tickets WHERE requester_key_id <> $1 ORDER BY id LIMIT $2`, keyID, RotateBatch)
	if err != nil {
		return 0, 0, err
	}
	type row struct {
		id int64
		s  SealedRequester
	}
	var batch []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.s.Name, &r.s.Phone, &r.s.Address, &r.s.PhoneKey); err != nil {
			rows.Close()
			return 0, 0, err
		}
		batch = append(batch, r)
	}
	rows.Close()
	for _, r := range batch {
		plain, err := db.Requesters.Open(r.s)
		if err != nil {
			return 0, 0, fmt.Errorf("ticket %d: %w", r.id, err)
		}
		s, err := db.Requesters.Seal(plain)
		if err != nil {
			return 0, 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET requester_name = $1, requester_phone = $2, requester_address = $3, requester_key_id = $4 WHERE id = $5`,
			s.Name, s.Phone, s.Address, s.KeyID, r.id); err != nil {
			return 0, 0, err
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE requester_key_id <> $1`, keyID).Scan(&remaining); err != nil {
		return 0, 0, err
	}
	// Old keys stay stored, inactive: an instance that has not yet seen the
	// rotation may still seal with one, and must not leave unreadable rows.
	return len(batch), remaining, tx.Commit()
}

// refreshKeys reloads the keyring when any instance has added a key since
// (the "keys" counter moves with each), so that new values are sealed with
// the newest active key.
func (tx *Tx) refreshKeys(ctx context.Context) error {
	var version int64
	err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'keys'`).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if tx.db.keysVersion.Load() == version {
		return nil
	}
	if err := tx.db.loadKeys(ctx); err != nil {
		return err
	}
	tx.db.keysVersion.Store(version)
	return nil
}
