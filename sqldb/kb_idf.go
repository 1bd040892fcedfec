package sqldb

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// PostgreSQL's ts_rank knows term frequency and document length but not
// how rare a term is, so a query's common word (公司) would weigh as much as
// its rare one (辞退). The score is therefore a sum over the query's groups
// of BM25's idf times ts_rank of that group alone. Document frequencies are
// counted through the GIN index, capped at dfCap (beyond it idf hardly
// changes) and cached for a while: a few milliseconds on a new term, none
// after.
const (
	dfCap = 5000
	dfTTL = 10 * time.Minute
)

type dfEntry struct {
	n  int
	at time.Time
}

type dfCache struct {
	mu    sync.Mutex
	total dfEntry
	terms map[string]dfEntry
}

// idfs returns the idf of each group's tsquery.
func (db *DB) idfs(ctx context.Context, tx *Tx, groups []string) ([]float64, error) {
	c := &db.kbDF
	now := time.Now()
	c.mu.Lock()
	if c.terms == nil {
		c.terms = map[string]dfEntry{}
	}
	total, fresh := c.total, now.Sub(c.total.at) < dfTTL
	c.mu.Unlock()
	if !fresh {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM kb_articles`).Scan(&total.n); err != nil {
			return nil, err
		}
		total.at = now
		c.mu.Lock()
		c.total = total
		c.mu.Unlock()
	}
	out := make([]float64, len(groups))
	for i, g := range groups {
		c.mu.Lock()
		e, ok := c.terms[g]
		c.mu.Unlock()
		if !ok || now.Sub(e.at) > dfTTL {
			if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM kb_articles WHERE search @@ CAST($1 AS tsquery) LIMIT %d) x`, dfCap), g).Scan(&e.n); err != nil {
				return nil, err
			}
			e.at = now
			c.mu.Lock()
			if len(c.terms) > 100000 {
				c.terms = map[string]dfEntry{}
			}
			c.terms[g] = e
			c.mu.Unlock()
		}
		n, df := float64(max(total.n, e.n)), float64(e.n)
		out[i] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	return out, nil
}

// pgScore is the SQL of the PostgreSQL score: Σ idf × (ts_rank + 4 if
// the title has it) per group. The vectors have no positions (see the
// migration), so ts_rank counts matching lexemes against the length.
func pgScore(idfs []float64, args []string) string {
	var parts []string
	for i, idf := range idfs {
		parts = append(parts, fmt.Sprintf(`%.4f * (ts_rank(a.search, %s, 1) + CASE WHEN a.search_title @@ %s THEN 4 ELSE 0 END)`, idf, args[i], args[i]))
	}
	return "(" + strings.Join(parts, " + ") + ")"
}
