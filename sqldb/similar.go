package sqldb

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline"
	"hotline/dedup"
)

// SimilarTicket is an open ticket that may be about the same place and
// problem as an appeal, and how similar it is (0–1).
type SimilarTicket struct {
	*hotline.Ticket
	Similarity float64 `json:"similarity"`
}

// SimilarWindow is how far back open tickets are compared with an appeal.
const SimilarWindow = 30 * 24 * time.Hour

// Weights for similarity: the document frequencies of bigrams in the
// newest dedupSample tickets, read again after dedupRefresh (after
// dedupRefreshSmall while the hotline has fewer tickets than that).
const (
	dedupSample       = 2000
	dedupRefresh      = time.Hour
	dedupRefreshSmall = 5 * time.Minute
)

// dedupWeights caches the weights for similarity (dedup.Weights).
type dedupWeights struct {
	mu       sync.Mutex
	w        *dedup.Weights
	at       time.Time
	building bool
}

// similarityWeights returns the cached weights. The first call reads the
// newest tickets; later ones, once the weights are stale, get the old
// weights while they are read again in the background (about 0.2 s).
func (db *DB) similarityWeights(ctx context.Context) (*dedup.Weights, error) {
	c := &db.dedupW
	c.mu.Lock()
	w, at := c.w, c.at
	if w != nil {
		age := time.Since(at)
		stale := age >= dedupRefresh || (w.Len() < dedupSample && age >= dedupRefreshSmall)
		if stale && !c.building {
			c.building = true
			go func() {
				fresh, err := db.readSimilarityWeights(context.Background())
				c.mu.Lock()
				defer c.mu.Unlock()
				c.building = false
				if err == nil {
					c.w, c.at = fresh, time.Now()
				}
			}()
		}
		c.mu.Unlock()
		return w, nil
	}
	defer c.mu.Unlock()
	w, err := db.readSimilarityWeights(ctx)
	if err != nil {
		return nil, err
	}
	c.w, c.at = w, time.Now()
	return w, nil
}

// readSimilarityWeights counts the bigrams of the newest dedupSample
// tickets.
func (db *DB) readSimilarityWeights(ctx context.Context) (*dedup.Weights, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT title, content FROM tickets ORDER BY id DESC LIMIT `+strconv.Itoa(dedupSample))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	w := &dedup.Weights{}
	for rows.Next() {
		var title, content string
		if err := rows.Scan(&title, &content); err != nil {
			return nil, err
		}
		w.Add(dedup.Of(title, content))
	}
	return w, rows.Err()
}

// FindSimilarTickets proposes merges (并单): open tickets of the last
// SimilarWindow that share at least two words with the appeal (through the
// full-text index), compared by dedup.Similarity with the weights of the
// newest tickets (similarityWeights), with a bonus when they
// happened in the same district or township and a malus when both have
// categories of different top-level classes; those at dedup.Threshold or
// above, most similar first, at most limit. The centre only.
func (db *DB) FindSimilarTickets(ctx context.Context, actor hotline.Actor, q SimilarQuery, limit int) ([]*SimilarTicket, error) {
	return db.findSimilar(ctx, actor, q, limit, 300)
}

// SimilarQuery is the appeal similar tickets are looked for: its text, and
// where known its district or township, its category and its own ticket.
type SimilarQuery struct {
	Title, Content                     string
	LocationUnitID, CategoryID, Except int64
}

// Adjustments of the text similarity: the same district or township makes
// a duplicate likelier; categories of different top-level classes (供水
// and 食品安全 at one address) mean different problems.
const (
	samePlaceBonus     = 0.1
	otherCategoryMalus = 0.1
)

// findSimilar is FindSimilarTickets comparing at most the newest
// candidates tickets that share two words: only their text is read, and
// only the best limit are read in full (decrypting the requester).
func (db *DB) findSimilar(ctx context.Context, actor hotline.Actor, sq SimilarQuery, limit, candidates int) ([]*SimilarTicket, error) {
	if !actor.Centre() {
		return nil, hotline.Errorf(hotline.EForbidden, "%s无权查看相似工单", actor.Role.Label())
	}
	an, err := db.analyzer(ctx)
	if err != nil {
		return nil, err
	}
	title, content := sq.Title, sq.Content
	q := an.Query(title + " " + content)
	if q.Empty() {
		return nil, nil
	}
	need := min(2, len(q.Groups))
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	// Newest first. On SQLite the matches drive the query in the index's
	// rowid order, so that it stops at the candidates: a burst of calls
	// about one outage has thousands of matches.
	from, match, order := db.dialect.ticketMatches(q, need, arg)
	if from += " WHERE "; match != "" {
		from += match + " AND "
	}
	myClass := ""
	if sq.CategoryID != 0 {
		if err := db.read.QueryRowContext(ctx, `SELECT path FROM categories WHERE id = $1`, sq.CategoryID).Scan(&myClass); err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		myClass = topClass(myClass)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, title, content, COALESCE(location_unit_id, 0),
		COALESCE((SELECT path FROM categories WHERE categories.id = tickets.category_id), '') FROM `+from+`
		status NOT IN ('concluded', 'archived', 'merged', 'cancelled') AND created_at >= `+arg(db.Now().Add(-SimilarWindow).UnixMilli())+`
		AND id <> `+arg(sq.Except)+` ORDER BY `+order+` LIMIT `+strconv.Itoa(candidates), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	weights, err := db.similarityWeights(ctx)
	if err != nil {
		return nil, err
	}
	me := weights.Weigh(dedup.Of(title, content))
	type scored struct {
		id  int64
		sim float64
	}
	var best []scored
	for rows.Next() {
		var c scored
		var ctitle, ccontent, cpath string
		var unit int64
		if err := rows.Scan(&c.id, &ctitle, &ccontent, &unit, &cpath); err != nil {
			return nil, err
		}
		c.sim = dedup.Similarity(me, weights.Weigh(dedup.Of(ctitle, ccontent)))
		if sq.LocationUnitID != 0 && unit == sq.LocationUnitID {
			c.sim = min(1, c.sim+samePlaceBonus)
		}
		if other := topClass(cpath); myClass != "" && other != "" && other != myClass {
			c.sim = max(0, c.sim-otherCategoryMalus)
		}
		if c.sim >= dedup.Threshold {
			best = append(best, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	sort.SliceStable(best, func(i, j int) bool { return best[i].sim > best[j].sim })
	if len(best) > limit {
		best = best[:limit]
	}
	out := []*SimilarTicket{}
	for _, c := range best {
		t, err := db.scanTicket(db.read.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = $1`, c.id))
		if err != nil {
			return nil, err
		}
		t.RedactFor(actor)
		out = append(out, &SimilarTicket{Ticket: t, Similarity: c.sim})
	}
	return out, nil
}

// topClass is the top-level class of a category path (城乡建设 of
// 城乡建设/物业管理/维修基金).
func topClass(path string) string {
	if i := strings.IndexByte(path, '/'); i >= 0 {
		return path[:i]
	}
	return path
}

// concludeMerged gives the tickets merged into main its reply and
// concludes them, in main's transaction, so that each requester is called
// back.
func (db *DB) concludeMerged(ctx context.Context, tx *Tx, main *hotline.Ticket) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM tickets WHERE merged_into = $1 AND status = 'merged' ORDER BY id`, main.ID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		m, err := findTicket(ctx, tx, id, true)
		if err != nil {
			return err
		}
		env, err := tx.env(ctx, m)
		if err != nil {
			return err
		}
		ev, err := m.ConcludeMerged(main, env)
		if err != nil {
			return err
		}
		if err := updateTicket(ctx, tx, m); err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, ev); err != nil {
			return err
		}
		if err := db.indexTicket(ctx, tx, m); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, SystemActor, "ticket.merged_reply", ticketTarget(m), main.Number); err != nil {
			return err
		}
		tx.changed(changeOf(m, hotline.ActionMergedReply))
	}
	return nil
}
