package sqldb

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// dialect holds the few differences between SQLite and PostgreSQL; all
// other SQL is written once with $N placeholders.
type dialect string

const (
	sqlite   dialect = "sqlite"
	postgres dialect = "postgres"
)

// forUpdate locks the selected rows until commit. SQLite needs none: its
// write transactions are serialised by BEGIN IMMEDIATE.
func (d dialect) forUpdate() string {
	if d == postgres {
		return " FOR UPDATE"
	}
	return ""
}

// lockMigrations keeps two instances from migrating one PostgreSQL at once.
func (d dialect) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if d != postgres {
		return func() {}, nil
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(12345)`); err != nil {
		return nil, err
	}
	return func() { conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(12345)`) }, nil
}

// nextTicketSerial returns the next ticket serial number (never reused).
func (d dialect) nextTicketSerial(ctx context.Context, tx *Tx) (int64, error) {
	if d == postgres {
		var v int64
		err := tx.QueryRowContext(ctx, `SELECT nextval('ticket_serial')`).Scan(&v)
		return v, err
	}
	return nextCounter(ctx, tx, "ticket")
}

// pgconnNotification is a PostgreSQL notification.
type pgconnNotification = pgconn.Notification

func waitNotification(ctx context.Context, conn *pgx.Conn) (*pgconn.Notification, error) {
	return conn.WaitForNotification(ctx)
}
