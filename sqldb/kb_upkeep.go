package sqldb

import (
	"context"
	"strings"
	"time"

	"hotline"
	"hotline/zhsearch"
)

// FindDictionary returns the words and synonym groups (space-separated)
// admins added to the segmenter.
func (db *DB) FindDictionary(ctx context.Context) (words, synonyms []string, err error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kind, entry FROM kb_dictionary ORDER BY kind, entry`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, entry string
		if err := rows.Scan(&kind, &entry); err != nil {
			return nil, nil, err
		}
		if kind == "word" {
			words = append(words, entry)
		} else {
			synonyms = append(synonyms, entry)
		}
	}
	return words, synonyms, rows.Err()
}

// SaveDictionary replaces the user words and synonym groups. Synonyms take
// effect at once (they are applied to queries); new words change how text
// is cut, so articles are re-indexed afterwards (ReindexArticles).
func (db *DB) SaveDictionary(ctx context.Context, actor hotline.Actor, words, synonyms []string) error {
	if !actor.Role.Has(hotline.PermPublishKB) {
		return hotline.Errorf(hotline.EForbidden, "%s无权维护知识库词典", actor.Role.Label())
	}
	clean := func(list []string, field string, min int) ([]string, error) {
		seen := map[string]bool{}
		var out []string
		for i, e := range list {
			e = strings.Join(strings.Fields(zhsearch.Normalize(e)), " ")
			if e == "" || seen[e] {
				continue
			}
			if n := len(strings.Fields(e)); n < min || (min == 1 && n > 1) || len([]rune(e)) > 200 {
				return nil, hotline.Invalid(field, "第%d行：%s", i+1, map[int]string{1: "每行一个词，不含空格", 2: "每行至少两个同义词，用空格分隔"}[min])
			}
			seen[e] = true
			out = append(out, e)
		}
		return out, nil
	}
	words, err := clean(words, "words", 1)
	if err != nil {
		return err
	}
	if synonyms, err = clean(synonyms, "synonyms", 2); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM kb_dictionary`); err != nil {
		return err
	}
	for kind, list := range map[string][]string{"word": words, "synonyms": synonyms} {
		for _, e := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO kb_dictionary (kind, entry, created_at) VALUES ($1, $2, $3)`, kind, e, tx.now.UnixMilli()); err != nil {
				return err
			}
		}
	}
	if err := appendAudit(ctx, tx, actor, "kb.dictionary", "kb:dictionary", strings.Join(append(words, synonyms...), "；")); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.kbMu.Lock()
	db.kbAnalyzer = nil
	db.kbMu.Unlock()
	return nil
}

// ReindexArticles segments every article again (after the dictionary
// changed), 200 per transaction so that searches and saves go on;
// progress is called after each batch.
func (db *DB) ReindexArticles(ctx context.Context, progress func(done, total int)) error {
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM kb_articles`).Scan(&total); err != nil {
		return err
	}
	var after int64
	done := 0
	for {
		tx, err := db.begin(ctx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+articleColumns+` FROM kb_articles WHERE id > $1 ORDER BY id LIMIT 200`, after)
		if err != nil {
			tx.Rollback()
			return err
		}
		var batch []*hotline.Article
		for rows.Next() {
			a, err := scanArticle(rows)
			if err != nil {
				rows.Close()
				tx.Rollback()
				return err
			}
			batch = append(batch, a)
		}
		rows.Close()
		for _, a := range batch {
			if a.CategoryIDs, err = articleCategories(ctx, tx, a.ID); err != nil {
				tx.Rollback()
				return err
			}
			if err := db.indexArticle(ctx, tx, a, nil); err != nil {
				tx.Rollback()
				return err
			}
			after = a.ID
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		done += len(batch)
		if progress != nil {
			progress(done, total)
		}
		if len(batch) < 200 {
			return nil
		}
	}
}

// ReviewItem is an article that needs attention, and why.
type ReviewItem struct {
	*hotline.Article
	Why string `json:"why"`
}

// ReviewQueue lists what the knowledge-base editors must look at on day
// today: articles waiting for a publisher, published ones whose review date
// has come or that have expired, oldest first.
func (db *DB) ReviewQueue(ctx context.Context, actor hotline.Actor, today string, limit int) ([]*ReviewItem, error) {
	if !actor.Role.Has(hotline.PermEditKB) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s无权维护知识库", actor.Role.Label())
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+articleColumns+` FROM kb_articles
		WHERE status = 'in_review' OR (status = 'published' AND ((review_on <> '' AND review_on <= $1) OR (expires_on <> '' AND expires_on < $1)))
		ORDER BY CASE status WHEN 'in_review' THEN 0 ELSE 1 END, updated_at LIMIT $2`, today, max(limit, 1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ReviewItem
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		why := a.DueForReview(today)
		if a.Status == hotline.ArticleInReview {
			why = "待审核发布"
		}
		out = append(out, &ReviewItem{Article: a, Why: why})
	}
	return out, rows.Err()
}

// LinkArticle records that an article answered a ticket. Linking twice is
// not an error.
func (db *DB) LinkArticle(ctx context.Context, actor hotline.Actor, ticketID, articleID int64) error {
	if _, err := db.FindTicketByID(ctx, actor, ticketID); err != nil {
		return err
	}
	if _, err := db.FindArticle(ctx, actor, articleID); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := linkArticle(ctx, tx, actor, ticketID, articleID); err != nil {
		return err
	}
	return tx.Commit()
}

func linkArticle(ctx context.Context, tx *Tx, actor hotline.Actor, ticketID, articleID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM kb_ticket_links WHERE ticket_id = $1 AND article_id = $2`, ticketID, articleID).Scan(&n); err != nil || n > 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO kb_ticket_links (ticket_id, article_id, user_id, created_at) VALUES ($1, $2, $3, $4)`,
		ticketID, articleID, nullID(actor.UserID), tx.now.UnixMilli()); err != nil {
		return err
	}
	return markStatsDirty(ctx, tx, ticketID) // KB use counts
}

// TicketArticles returns the ids of the articles linked to a ticket.
func (db *DB) TicketArticles(ctx context.Context, ticketID int64) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT article_id FROM kb_ticket_links WHERE ticket_id = $1 ORDER BY created_at`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// KBMonth is the knowledge base's upkeep in one month (the assessment
// counts it) and how much it answered.
type KBMonth struct {
	Month          string  `json:"month"` // YYYY-MM
	Added          int     `json:"added"` // articles created
	Updated        int     `json:"updated"`
	Retired        int     `json:"retired"`
	Published      int     `json:"published"`       // published now
	Accepted       int     `json:"accepted"`        // tickets accepted in the month
	DirectAnswered int     `json:"direct_answered"` // of those, concluded on the call with a linked article
	DirectRate     float64 `json:"direct_rate"`     // 直接答复率
}

// KBMonthStats counts a month (YYYY-MM, China time).
func (db *DB) KBMonthStats(ctx context.Context, month string) (*KBMonth, error) {
	start, err := time.ParseInLocation("2006-01", month, hotline.ChinaZone)
	if err != nil {
		return nil, hotline.Invalid("month", "月份格式应为 YYYY-MM")
	}
	from, to := start.UnixMilli(), start.AddDate(0, 1, 0).UnixMilli()
	m := &KBMonth{Month: month}
	q := []struct {
		dst *int
		sql string
	}{
		{&m.Added, `SELECT COUNT(*) FROM kb_articles WHERE created_at >= $1 AND created_at < $2`},
		{&m.Updated, `SELECT COUNT(DISTINCT v.article_id) FROM kb_versions v JOIN kb_articles a ON a.id = v.article_id
			WHERE v.created_at >= $1 AND v.created_at < $2 AND a.created_at < $1`},
		{&m.Retired, `SELECT COUNT(*) FROM kb_articles WHERE retired_at >= $1 AND retired_at < $2`},
		{&m.Accepted, `SELECT COUNT(*) FROM tickets WHERE created_at >= $1 AND created_at < $2`},
		{&m.DirectAnswered, `SELECT COUNT(*) FROM tickets t WHERE t.created_at >= $1 AND t.created_at < $2
			AND EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = t.id AND e.action = 'resolve_on_call')
			AND EXISTS (SELECT 1 FROM kb_ticket_links l WHERE l.ticket_id = t.id)`},
	}
	for _, x := range q {
		if err := db.read.QueryRowContext(ctx, x.sql, from, to).Scan(x.dst); err != nil {
			return nil, err
		}
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM kb_articles WHERE status = 'published'`).Scan(&m.Published); err != nil {
		return nil, err
	}
	if m.Accepted > 0 {
		m.DirectRate = float64(m.DirectAnswered) / float64(m.Accepted)
	}
	return m, nil
}

// CountArticlesDue counts the published articles due for review or past
// expiry on day today: a unit's own (unitID), or all (0). It is the
// reminder on the home page of the articles' owners and editors.
func (db *DB) CountArticlesDue(ctx context.Context, unitID int64, today string) (int, error) {
	q := `SELECT COUNT(*) FROM kb_articles WHERE status = 'published'
		AND ((review_on <> '' AND review_on <= $1) OR (expires_on <> '' AND expires_on < $1))`
	args := []any{today}
	if unitID != 0 {
		q += ` AND unit_id = $2`
		args = append(args, unitID)
	}
	var n int
	err := db.read.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}
