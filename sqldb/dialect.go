package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"hotline/zhsearch"
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

// announce runs at commit: on PostgreSQL as NOTIFY inside the transaction
// (delivered to every listening instance only if it commits), on SQLite —
// a single process — straight to the local subscribers after commit.
func (tx *Tx) announceBeforeCommit() error {
	if tx.db.dialect != postgres {
		return nil
	}
	for _, c := range tx.changes {
		b, _ := json.Marshal(c)
		if _, err := tx.Tx.Exec(`SELECT pg_notify($1, $2)`, tx.db.channel, string(b)); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) announceAfterCommit() {
	if tx.db.dialect == postgres {
		return
	}
	for _, c := range tx.changes {
		tx.db.publish(c)
	}
}

// fileBackup: SQLite backs up into a file while serving (VACUUM INTO);
// PostgreSQL has pg_dump.
func (d dialect) fileBackup() bool { return d == sqlite }

// notifies: PostgreSQL carries changes between servers (LISTEN/NOTIFY);
// a SQLite database has one server.
func (d dialect) notifies() bool { return d == postgres }

// unsyncedWrites: SQLite can commit derived data without waiting for the
// disk (synchronous=NORMAL for one transaction); PostgreSQL commits as
// usual.
func (d dialect) unsyncedWrites() bool { return d == sqlite }

// readOnlySnapshots: PostgreSQL read transactions are declared read-only
// (a replica could serve them); SQLite's reader pool is query-only.
func (d dialect) readOnlySnapshots() bool { return d == postgres }

// Full text: SQLite indexes with FTS5 tables beside the rows (kb_fts,
// ticket_fts, rowid = the row's id); PostgreSQL with tsvector columns on
// the rows (GIN, the simple configuration). The queries are zhsearch's,
// written in each engine's syntax.

// writeArticleIndex stores an article's index text and its change number.
func (d dialect) writeArticleIndex(ctx context.Context, tx *Tx, id, seq int64, title, body, tags string) error {
	if d == postgres { // the tags are read from the row itself
		_, err := tx.ExecContext(ctx, `UPDATE kb_articles SET search = strip(to_tsvector('simple', $1 || ' ' || $2)),
			search_title = strip(to_tsvector('simple', $1)), index_seq = $4 WHERE id = $3`, title, body, id, seq)
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE kb_articles SET index_seq = $1 WHERE id = $2`, seq, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM kb_fts WHERE rowid = $1`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO kb_fts (rowid, title, body, tags) VALUES ($1, $2, $3, $4)`, id, title, body, tags)
	return err
}

// writeTicketIndex stores a ticket's index text (the title weighs more).
func (d dialect) writeTicketIndex(ctx context.Context, tx *Tx, id int64, title, body string) error {
	if d == postgres {
		_, err := tx.ExecContext(ctx, `UPDATE tickets SET search = setweight(to_tsvector('simple', $1), 'A') || to_tsvector('simple', $2)
			WHERE id = $3`, title, body, id)
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_fts WHERE rowid = $1`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ticket_fts (rowid, title, body) VALUES ($1, $2, $3)`, id, title, body)
	return err
}

// ticketMatches is the tickets that match q (at least need of its groups)
// as a FROM clause, the WHERE condition it needs, and the newest-first
// order. On SQLite the matches drive the query in the index's rowid order
// (m.fid), so that newest first walks the index backwards and stops at
// the page; on PostgreSQL the condition goes beside the others.
func (d dialect) ticketMatches(q zhsearch.Query, need int, arg func(any) string) (from, cond, order string) {
	if d == postgres {
		return "tickets", "search @@ CAST(" + arg(q.TSQuery(need)) + " AS tsquery)", "id DESC"
	}
	return "(SELECT rowid AS fid FROM ticket_fts WHERE ticket_fts MATCH " + arg(q.FTS5(need)) + ") m JOIN tickets ON tickets.id = m.fid", "", "m.fid DESC"
}

// anyArticleMatches reports whether some article matches q.
func (d dialect) anyArticleMatches(ctx context.Context, tx *Tx, q zhsearch.Query) (bool, error) {
	var x int
	var err error
	if d == postgres {
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM kb_articles WHERE search @@ CAST($1 AS tsquery) LIMIT 1`, q.TSQuery(1)).Scan(&x)
	} else {
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM kb_fts WHERE kb_fts MATCH $1 LIMIT 1`, q.FTS5(1)).Scan(&x)
	}
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// analyze refreshes a table's planner statistics after a bulk load
// (PostgreSQL would otherwise guess how many rows a word is in and scan
// the table instead of the index); SQLite's planner needs none here.
func (d dialect) analyze(ctx context.Context, db *sql.DB, table string) error {
	if d != postgres {
		return nil
	}
	_, err := db.ExecContext(ctx, `ANALYZE `+pgx.Identifier{table}.Sanitize())
	return err
}
