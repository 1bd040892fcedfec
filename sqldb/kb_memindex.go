package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"

	"hotline/zhsearch"
)

// kbMemory is the knowledge base's index held in memory (zhsearch.Index):
// a copy of what indexArticle writes to the database, read back from it.
// Before every search, the "kb" mark (the number of the latest change)
// tells whether articles changed since the copy was read, on this server
// or another; the changed ones are read again by their index_seq. Until
// a big base is loaded, and while a big change (a re-index) is read
// again, searches use the database's own index.
type kbMemory struct {
	mu      sync.Mutex // one reader of changes at a time
	idx     atomic.Pointer[zhsearch.Index]
	version int64 // the change the index has read up to; under mu
	loading atomic.Bool
	off     bool // tests: search with the database's index
}

// kbLoadInline is how many articles, at most, a search loads itself (a
// few milliseconds per thousand); bigger bases and bigger changes load in
// the background.
const kbLoadInline = 20000

// LoadKBIndex reads the knowledge base's index into memory now rather
// than on the first search (the server calls it at start: a 100,000-article
// base takes seconds).
// Searches use the database's index meanwhile.
func (db *DB) LoadKBIndex(ctx context.Context) error {
	m := &db.kbMem
	if !m.loading.CompareAndSwap(false, true) {
		return nil // already loading
	}
	defer m.loading.Store(false)
	m.mu.Lock()
	defer m.mu.Unlock()
	return db.rebuildKBIndex(ctx)
}

// rebuildKBIndex reads the whole index; under m.mu.
func (db *DB) rebuildKBIndex(ctx context.Context) error {
	m := &db.kbMem
	mark, err := db.kbMark(ctx, db.read)
	if err != nil {
		return err
	}
	idx := zhsearch.NewIndex()
	seen, err := db.readKBIndex(ctx, idx, -1)
	if err != nil {
		return err
	}
	m.idx.Store(idx)
	m.version = max(mark, seen)
	return nil
}

type queryRower interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func (db *DB) kbMark(ctx context.Context, q queryRower) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT value FROM search_state WHERE name = 'kb'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// kbIndex returns the in-memory index, up to date with the mark that tx
// sees, or nil when the search must use the database's index.
func (db *DB) kbIndex(ctx context.Context, tx *Tx) (*zhsearch.Index, error) {
	m := &db.kbMem
	if m.loading.Load() || m.off {
		return nil, nil
	}
	mark, err := db.kbMark(ctx, tx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loading.Load() {
		return nil, nil
	}
	idx := m.idx.Load()
	if idx != nil && m.version >= mark {
		return idx, nil
	}
	var changed int
	var row *sql.Row
	if idx == nil {
		row = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM kb_articles`)
	} else {
		row = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM kb_articles WHERE index_seq > $1`, m.version)
	}
	if err := row.Scan(&changed); err != nil {
		return nil, err
	}
	if idx == nil && changed <= kbLoadInline {
		err := db.rebuildKBIndex(ctx)
		return m.idx.Load(), err
	}
	if idx == nil || changed > kbLoadInline || idx.Garbage()+changed > idx.Len()+1000 {
		db.rebuildKBIndexInBackground()
		return nil, nil
	}
	seen, err := db.readKBIndex(ctx, idx, m.version)
	if err != nil {
		return nil, err
	}
	m.version = max(m.version, mark, seen)
	return idx, nil
}

// rebuildKBIndexInBackground reads the whole index again while searches
// use the database; the new copy then catches up with what changed while
// it was read.
func (db *DB) rebuildKBIndexInBackground() {
	m := &db.kbMem
	if !m.loading.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer m.loading.Store(false)
		ctx := context.Background()
		m.mu.Lock()
		defer m.mu.Unlock()
		if err := db.rebuildKBIndex(ctx); err != nil {
			m.idx.Store(nil) // the next search tries again
		}
	}()
}

// readKBIndex puts into idx every article changed after the change
// number after, as the database's index has it, and returns the highest
// change number read. SQLite's index keeps the tokens of each column;
// PostgreSQL's vectors keep each token once (stripped), so there a token
// counts once however often it occurs.
func (db *DB) readKBIndex(ctx context.Context, idx *zhsearch.Index, after int64) (int64, error) {
	return db.dialect.readArticleIndex(ctx, db.read, after, idx.Put)
}

// tsvectorLexemes reads the lexemes of a tsvector's text form ('a' 'b'
// 'it”s'; stripped, so without positions).
func tsvectorLexemes(v string) []string {
	var out []string
	var b strings.Builder
	in := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case !in && c == '\'':
			in = true
			b.Reset()
		case in && c == '\'' && i+1 < len(v) && v[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case in && c == '\'':
			in = false
			out = append(out, b.String())
		case in && c == '\\' && i+1 < len(v):
			b.WriteByte(v[i+1])
			i++
		case in:
			b.WriteByte(c)
		}
	}
	return out
}
