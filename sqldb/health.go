package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hotline"
)

// Ready reports whether the database answers and has every migration this
// binary knows applied: /readyz.
func (db *DB) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	names, err := MigrationNames(string(db.dialect))
	if err != nil {
		return err
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	if n < len(names) {
		return fmt.Errorf("%d of %d migrations applied", n, len(names))
	}
	return nil
}

// Pools returns the connection pools, for their statistics.
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"main": db.write}
	}
	return map[string]*sql.DB{"write": db.write, "read": db.read}
}

// TicketsByStatus counts the tickets in each state (for metrics).
func (db *DB) TicketsByStatus(ctx context.Context) (map[hotline.Status]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT status, COUNT(*) FROM tickets GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[hotline.Status]int{}
	for rows.Next() {
		var s hotline.Status
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// IndexBacklog is how many tickets wait for the search index.
func (db *DB) IndexBacklog(ctx context.Context) (int, error) {
	var upto, last int64
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM search_state WHERE name = 'tickets'), 0)`).Scan(&upto); err != nil {
		return 0, err
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM tickets`).Scan(&last); err != nil {
		return 0, err
	}
	return int(max(0, last-upto)), nil
}
