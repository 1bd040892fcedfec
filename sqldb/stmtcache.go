package sqldb

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds a statement cache: queries built with a
// variable number of placeholders or terms are not worth keeping forever.
const maxCachedStatements = 400

// stmtCache keeps SQLite's prepared statements for reuse across
// transactions. The SQLite driver parses a statement on every call
// otherwise, and parsing was a sixth of the CPU time of accepting a
// ticket. (pgx caches PostgreSQL's statements itself.)
//
// A statement can only be prepared on the pool, not inside a transaction
// (the writer has a single connection, which the transaction holds), so
// a transaction notes the queries it missed and they are prepared when it
// ends, before the writer's turn passes on.
type stmtCache struct {
	pool  *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}}
}

func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// prepare prepares the queries not cached yet; errors are left to the
// next use of the query, which runs unprepared.
func (c *stmtCache) prepare(ctx context.Context, queries []string) {
	for _, q := range queries {
		c.mu.Lock()
		_, ok := c.stmts[q]
		full := len(c.stmts) >= maxCachedStatements
		c.mu.Unlock()
		if ok || full {
			continue
		}
		st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.stmts[q]; ok {
			st.Close()
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// stmt returns the transaction's handle on the cached statement for
// query, or nil after noting the miss.
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.cache == nil {
		return nil
	}
	if st := tx.cache.get(query); st != nil {
		return tx.Tx.StmtContext(ctx, st)
	}
	tx.missed = append(tx.missed, query)
	return nil
}

// ExecContext runs a statement in the transaction, prepared once.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction, prepared once.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query in the transaction, prepared once.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}
