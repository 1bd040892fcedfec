// Package sqldb stores the hotline in SQLite (embedded default) or
// PostgreSQL (production). Each exported method is one use case in one
// transaction; the domain package decides, sqldb records.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"hotline"
	"hotline/files"
	"hotline/keyring"
	"hotline/quality"
	"hotline/zhsearch"
)

//go:embed migrations
var migrations embed.FS

// DB is the hotline's database.
type DB struct {
	dialect dialect
	write   *sql.DB // SQLite: one connection, so writers queue in Go, not in busy loops
	read    *sql.DB // SQLite: a small pool of readers beside the writer (WAL)

	// Now is the clock; tests set it. Every transaction reads it once.
	Now func() time.Time
	// Rules are the centre's lifecycle rules.
	Rules hotline.Rules
	// Requesters seals and opens requester personal data (see requester.go).
	Requesters RequesterCodec
	// LookupLimits bound each user's caller-history lookups (caller.go).
	LookupLimits hotline.LookupLimits
	lookups      lookupGuard
	// Files keeps ticket attachments, sealed (ticket_attachments.go); nil:
	// uploads are refused. FilePolicy is what is accepted.
	Files      files.Store
	FilePolicy files.Policy
	// Recordings reads the recordings the telephony platform keeps and
	// names by reference; its zero value reads none.
	Recordings files.Refs
	// QualityLimits are the time limits of objections and rectifications.
	QualityLimits quality.Limits
	// PortalLimits bound what one phone may ask of the citizen channels
	// (DefaultPortalLimits when zero).
	PortalLimits PortalLimits
	// ReportDueWorkdays is when an operations report is due: that many
	// working days after its period (report.DefaultDueWorkdays when 0).
	ReportDueWorkdays int

	keys        *keyring.Keyring
	keysVersion atomic.Int64
	auditHash   func() hash.Hash

	// writeTurn queues SQLite writers first come, first served: waiters on
	// a channel are woken in order, whereas database/sql hands a free
	// connection to a random waiter, which makes tail latency explode
	// under concurrent writes. Nil on PostgreSQL.
	writeTurn chan struct{}
	sqliteDSN string // for one-off connections (backup)
	// SQLite's prepared statements, kept (see stmtcache.go); nil on
	// PostgreSQL.
	writeStmts, readStmts *stmtCache

	kbMu       sync.Mutex
	kbAnalyzer *zhsearch.Analyzer // loaded on first use: the dictionary takes a second
	dict       *zhsearch.Dictionary
	kbDF       dfCache      // PostgreSQL: document frequencies of query terms
	kbMem      kbMemory     // the knowledge base's index in memory
	dedupW     dedupWeights // bigram weights for similar tickets
	// dispatchModels are the switched-on dispatch models, loaded once.
	dispatchModels modelCache
	// ticketWindow is the first id range a PostgreSQL ticket search looks
	// at (ticketWindow in ticket_search.go; tests make it tiny).
	ticketWindow int64

	// beforeIndexWrite, set by tests, runs between reading tickets' text
	// and writing it to the search index.
	beforeIndexWrite func()

	hub        hub
	channel    string        // PostgreSQL NOTIFY channel of this database's schema
	listening  chan struct{} // closed once changes of other instances arrive
	listenOnce sync.Once
	stopListen context.CancelFunc

	calMu      sync.Mutex
	calVersion int64
	cal        *hotline.Calendar
}

// restrictFiles makes a SQLite database readable by its owner only (0600):
// a new file is created so, before SQLite opens it (SQLite gives the WAL
// and shared-memory files the database file's mode); the files of an
// existing installation are narrowed.
func restrictFiles(path string) error {
	if fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		fh.Close()
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Chmod(path+suffix, 0o600); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// Config is what Open needs besides the DSN.
type Config struct {
	// MasterKey wraps the data keys that encrypt personal data; it never
	// enters the database. 32 bytes.
	MasterKey []byte
	// Cipher is the suite for personal data: keyring.AES256GCM (default) or
	// keyring.SM4GCM.
	Cipher keyring.Algorithm
	// AuditHash chains the audit log: "sha256" (default) or "sm3".
	AuditHash string
	// Dictionary is the segmenter's dictionary (130 MB once loaded): one
	// per process, made in main; nil makes one for this database.
	Dictionary *zhsearch.Dictionary
}

// Open opens the database named by dsn: a postgres:// URL, or a SQLite file
// path (created if missing). It applies pending migrations and loads (on a
// new database, creates) the data keys.
func Open(ctx context.Context, dsn string, cfg Config) (*DB, error) {
	if cfg.Cipher == "" {
		cfg.Cipher = keyring.AES256GCM
	}
	keys, err := keyring.New(cfg.MasterKey, cfg.Cipher)
	if err != nil {
		return nil, err
	}
	auditHash, err := keyring.HashFunc(cfg.AuditHash)
	if err != nil {
		return nil, err
	}
	db := &DB{Now: time.Now, Rules: hotline.DefaultRules(), LookupLimits: hotline.DefaultLookupLimits(), FilePolicy: files.DefaultPolicy(), QualityLimits: quality.DefaultLimits(), keys: keys, auditHash: auditHash,
		listening: make(chan struct{}), ticketWindow: ticketWindow, dict: cfg.Dictionary}
	if db.dict == nil {
		db.dict = zhsearch.NewDictionary()
	}
	db.Requesters = keyringCodec{db}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.dialect = postgres
		// No JIT: it compiles for tens of milliseconds whenever the planner
		// guesses a query is big (a full-text search often), which costs
		// far more than it saves in a workload of short queries.
		if !strings.Contains(dsn, "jit=") {
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			dsn += sep + "jit=off"
		}
		if db.write, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		db.write.SetMaxOpenConns(40)
		db.write.SetMaxIdleConns(40)
		db.read = db.write
	} else {
		db.dialect = sqlite
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, err
			}
		}
		if err := restrictFiles(dsn); err != nil {
			return nil, err
		}
		// WAL lets readers run beside the writer; synchronous(FULL) fsyncs the
		// WAL on every commit, so a ticket acknowledged to a caller survives a
		// crash or power cut; foreign_keys is off by default in SQLite;
		// _txlock=immediate takes the write lock at BEGIN, so a transaction
		// never fails half-way on an upgrade from read to write; pages are
		// read through a memory map (up to 4 GB of file) rather than a
		// system call each: FTS5 merging a million tickets' index spent
		// half its time in pread, indexing at half the speed.
		base := "file:" + dsn + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=mmap_size(4294967296)"
		if db.write, err = sql.Open("sqlite", base+"&_txlock=immediate&_pragma=cache_size(-65536)"); err != nil {
			return nil, err
		}
		db.write.SetMaxOpenConns(1)
		db.writeTurn = make(chan struct{}, 1)
		db.sqliteDSN = base
		// Readers keep 32 MB of pages each: full-text searches walk posting
		// lists that would otherwise be read from the file again and again.
		if db.read, err = sql.Open("sqlite", base+"&_pragma=query_only(1)&_pragma=cache_size(-32768)"); err != nil {
			return nil, err
		}
		db.read.SetMaxOpenConns(4)
		db.writeStmts, db.readStmts = newStmtCache(db.write), newStmtCache(db.read)
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.dialect, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.bootstrapKeys(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.dialect.notifies() {
		var schema string
		if err := db.read.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			db.Close()
			return nil, err
		}
		db.channel = "hotline_changes_" + schema
		lctx, cancel := context.WithCancel(context.Background())
		db.stopListen = cancel
		go db.listen(lctx, dsn)
	} else {
		db.listenOnce.Do(func() { close(db.listening) }) // one process: every change is local
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	if db.stopListen != nil {
		db.stopListen()
	}
	if db.writeStmts != nil {
		db.writeStmts.close()
		db.readStmts.close()
	}
	if db.read != nil && db.read != db.write {
		db.read.Close()
	}
	if db.write != nil {
		return db.write.Close()
	}
	return nil
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return string(db.dialect) }

// migrate applies the embedded migrations of the dialect not yet recorded.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	unlock, err := db.dialect.lockMigrations(ctx, conn)
	if err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	defer unlock()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := MigrationNames(string(db.dialect))
	if err != nil {
		return err
	}
	for _, name := range names {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			continue
		}
		body, err := fs.ReadFile(migrations, "migrations/"+string(db.dialect)+"/"+name)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// MigrationNames lists the migration files of a dialect in order.
func MigrationNames(dialect string) ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+dialect)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Tx is a transaction with the one clock reading it runs under.
type Tx struct {
	*sql.Tx
	db      *DB
	now     time.Time
	turn    chan struct{} // held writer turn, released at the end
	changes []Change      // announced at commit
	cache   *stmtCache    // SQLite: prepared statements
	missed  []string      // queries to prepare when the transaction ends

	unsynced bool // SQLite: synchronous=NORMAL until the end (beginUnsynced)
}

// begin starts a write transaction.
func (db *DB) begin(ctx context.Context) (*Tx, error) { return db.beginWrite(ctx, false) }

// beginUnsynced starts a write transaction whose commit SQLite does not
// wait to reach the disk (synchronous=NORMAL for it alone): for derived
// data that a crash may lose and that is rebuilt from the tickets — the
// search index. Each acceptance's commit still syncs, and with it every
// frame written before. On PostgreSQL it is begin.
func (db *DB) beginUnsynced(ctx context.Context) (*Tx, error) {
	return db.beginWrite(ctx, db.dialect.unsyncedWrites())
}

func (db *DB) beginWrite(ctx context.Context, unsynced bool) (*Tx, error) {
	if db.writeTurn != nil {
		select {
		case db.writeTurn <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	t := &Tx{db: db, turn: db.writeTurn, cache: db.writeStmts}
	if unsynced {
		if _, err := db.write.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
			t.release()
			return nil, err
		}
		t.unsynced = true
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		t.release()
		return nil, err
	}
	t.Tx, t.now = tx, db.Now().UTC().Truncate(time.Millisecond)
	return t, nil
}

// Commit commits, announces the transaction's ticket changes and ends the
// writer's turn.
func (tx *Tx) Commit() error {
	if err := tx.announceBeforeCommit(); err != nil {
		tx.Rollback()
		return err
	}
	err := tx.Tx.Commit()
	tx.release()
	if err == nil {
		tx.announceAfterCommit()
	}
	return err
}

// Rollback rolls back (a no-op after Commit) and ends the writer's turn.
func (tx *Tx) Rollback() error {
	err := tx.Tx.Rollback()
	tx.release()
	return err
}

func (tx *Tx) release() {
	if len(tx.missed) > 0 {
		tx.cache.prepare(context.Background(), tx.missed)
		tx.missed = nil
	}
	if tx.unsynced {
		// Back to syncing every commit before another writer's turn; if
		// that fails the connection cannot be trusted: close it.
		if _, err := tx.db.write.Exec(`PRAGMA synchronous = FULL`); err != nil {
			tx.db.write.SetMaxIdleConns(0)
			tx.db.write.SetMaxIdleConns(1)
		}
		tx.unsynced = false
	}
	if tx.turn != nil {
		<-tx.turn
		tx.turn = nil
	}
}

// beginRead starts a read-only transaction (a consistent snapshot).
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.dialect.readOnlySnapshots()})
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Millisecond), cache: db.readStmts}, nil
}

// ms converts a time to storage (UTC milliseconds); nil stays NULL.
func ms(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds back to a UTC time.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// nullTime scans a nullable millisecond column into a *time.Time.
type nullTime struct{ dst **time.Time }

// Scan implements sql.Scanner.
func (n nullTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n.dst = nil
	case int64:
		t := fromMS(v)
		*n.dst = &t
	default:
		return fmt.Errorf("nullTime: unexpected %T", src)
	}
	return nil
}
