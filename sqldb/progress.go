package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// queued is the state of a job asked to run (again).
const queued = "排队中"

// StaleJob is how long a running job may go without reporting progress
// before another server may take it over (its server died).
const StaleJob = 30 * time.Minute

// Job names.
const (
	JobKBReindex = "kb-reindex"
)

// TrainJob names the training job of a dispatch-model target.
func TrainJob(target string) string { return "train-" + target }

// StartJob claims a background job for this server: true when it was idle
// (or its runner went silent for StaleJob), with the state set; false when
// another run is going on — then, with again, that run is asked to run
// once more when it ends.
func (db *DB) StartJob(ctx context.Context, name, state string, again bool) (bool, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	now := tx.now.UnixMilli()
	if _, err := tx.ExecContext(ctx, `INSERT INTO job_progress (name, state, running, updated_at) VALUES ($1, '', FALSE, $2)
		ON CONFLICT (name) DO NOTHING`, name, now); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE job_progress SET state = $1, running = TRUE, again = FALSE, updated_at = $2
		WHERE name = $3 AND (NOT running OR updated_at < $4)`, state, now, name, tx.now.Add(-StaleJob).UnixMilli())
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	if n == 0 && again {
		if _, err := tx.ExecContext(ctx, `UPDATE job_progress SET again = TRUE WHERE name = $1`, name); err != nil {
			return false, err
		}
	}
	return n == 1, tx.Commit()
}

// SetJobProgress records a running job's progress ("120/400").
func (db *DB) SetJobProgress(ctx context.Context, name, state string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE job_progress SET state = $1, updated_at = $2 WHERE name = $3`, state, tx.now.UnixMilli(), name); err != nil {
		return err
	}
	return tx.Commit()
}

// FinishJob records a job's outcome and releases it; it reports whether
// the job was asked to run again meanwhile (then it stays claimed).
func (db *DB) FinishJob(ctx context.Context, name, outcome string) (again bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT again FROM job_progress WHERE name = $1`, name).Scan(&again); err != nil {
		return false, err
	}
	if again {
		_, err = tx.ExecContext(ctx, `UPDATE job_progress SET state = $1, again = FALSE, updated_at = $2 WHERE name = $3`, queued, tx.now.UnixMilli(), name)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE job_progress SET state = $1, running = FALSE, updated_at = $2 WHERE name = $3`, outcome, tx.now.UnixMilli(), name)
	}
	if err != nil {
		return false, err
	}
	return again, tx.Commit()
}

// JobProgress returns a job's state ("" if it never ran) and whether it
// is running.
func (db *DB) JobProgress(ctx context.Context, name string) (string, bool, error) {
	var state string
	var running bool
	err := db.read.QueryRowContext(ctx, `SELECT state, running FROM job_progress WHERE name = $1`, name).Scan(&state, &running)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return state, running, err
}
