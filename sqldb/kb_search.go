package sqldb

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"hotline"
	"hotline/zhsearch"
)

// analyzer is the segmenter with the installation's own words and
// synonyms, loaded on first use and again after they change.
func (db *DB) analyzer(ctx context.Context) (*zhsearch.Analyzer, error) {
	db.kbMu.Lock()
	defer db.kbMu.Unlock()
	if db.kbAnalyzer != nil {
		return db.kbAnalyzer, nil
	}
	words, synonyms, err := db.FindDictionary(ctx)
	if err != nil {
		return nil, err
	}
	groups := append([][]string{}, zhsearch.DefaultSynonyms...)
	for _, s := range synonyms {
		groups = append(groups, strings.Fields(s))
	}
	a, err := zhsearch.New(words, groups)
	if err != nil {
		return nil, err
	}
	db.kbAnalyzer = a
	return a, nil
}

// indexArticle writes the article's segmented text into the full-text
// index, in the transaction that saves the article.
func (db *DB) indexArticle(ctx context.Context, tx *Tx, a *hotline.Article) error {
	an, err := db.analyzer(ctx)
	if err != nil {
		return err
	}
	title := an.IndexText(a.Title + " " + a.DocNumber)
	body := an.IndexText(a.Body + "\n" + a.Answer + "\n" + a.Source)
	if db.dialect == postgres {
		_, err = tx.ExecContext(ctx, `UPDATE kb_articles SET search = setweight(to_tsvector('simple', $1), 'A') || to_tsvector('simple', $2)
			WHERE id = $3`, title, body, a.ID)
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM kb_fts WHERE rowid = $1`, a.ID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO kb_fts (rowid, title, body) VALUES ($1, $2, $3)`, a.ID, title, body)
	return err
}

// ArticleSearch is a knowledge-base search. Without Q it lists articles,
// newest change first. Status "" means published; editors may ask for any
// status or "all".
type ArticleSearch struct {
	Q          string
	Kind       hotline.ArticleKind
	CategoryID int64
	UnitID     int64
	Status     string
	Page       int
	PageSize   int
}

// ArticleHit is one search result; Snippet is HTML with the query's terms
// in <mark>.
type ArticleHit struct {
	*hotline.Article
	Score     float64 `json:"score"`
	Snippet   string  `json:"snippet"`
	TitleHTML string  `json:"title_html"` // the title with the query's terms in <mark>
}

// SearchArticles finds articles by their words, ranked by the database's
// full-text engine (FTS5's BM25, title weighted 8:1; PostgreSQL's ts_rank
// with title weight A), filtered and paginated.
func (db *DB) SearchArticles(ctx context.Context, actor hotline.Actor, s ArticleSearch) ([]*ArticleHit, int, error) {
	s.Page, s.PageSize = max(s.Page, 1), min(max(s.PageSize, 1), 100)
	if s.Status == "" {
		s.Status = string(hotline.ArticlePublished)
	}
	if s.Status != string(hotline.ArticlePublished) && !actor.Role.Has(hotline.PermEditKB) {
		return nil, 0, hotline.Errorf(hotline.EForbidden, "只有知识库编辑可以查看未发布的文章")
	}
	if s.Status != "all" && !hotline.ArticleStatus(s.Status).Valid() {
		return nil, 0, hotline.Invalid("status", "没有状态“%s”", s.Status)
	}
	if s.Kind != "" && !s.Kind.Valid() {
		return nil, 0, hotline.Invalid("kind", "文章类型无效，应为 law、policy、duty、service 或 faq")
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var q zhsearch.Query
	if strings.TrimSpace(s.Q) != "" {
		an, err := db.analyzer(ctx)
		if err != nil {
			return nil, 0, err
		}
		if q = an.Query(s.Q); q.Empty() {
			return nil, 0, nil
		}
	}
	from, score, order := `kb_articles a`, `0`, `a.updated_at DESC, a.id DESC`
	switch {
	case q.Empty():
	case db.dialect == postgres:
		from = `kb_articles a, to_tsquery('simple', ` + arg(q.TSQuery()) + `) q`
		where = append(where, `a.search @@ q`)
		order = `score DESC, a.id`
	default:
		from = `kb_fts JOIN kb_articles a ON a.id = kb_fts.rowid`
		where = append(where, `kb_fts MATCH `+arg(q.FTS5()))
		score, order = `-bm25(kb_fts, 8.0, 1.0)`, `score DESC, a.id`
	}
	if s.Status != "all" {
		where = append(where, `a.status = `+arg(s.Status))
	}
	if s.Kind != "" {
		where = append(where, `a.kind = `+arg(s.Kind))
	}
	if s.UnitID != 0 {
		where = append(where, `a.unit_id = `+arg(s.UnitID))
	}
	if s.CategoryID != 0 {
		where = append(where, `EXISTS (SELECT 1 FROM kb_article_categories c WHERE c.article_id = a.id AND c.category_id = `+arg(s.CategoryID)+`)`)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+from+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	// The score's own arguments come after the count's.
	if db.dialect == postgres && !q.Empty() {
		groups := q.TSQueries()
		idfs, err := db.idfs(ctx, tx, groups)
		if err != nil {
			return nil, 0, err
		}
		var refs []string
		for _, g := range groups {
			refs = append(refs, arg(g))
		}
		score = pgScore(idfs, refs)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+articleCols("a.")+`, `+score+` AS score FROM `+from+cond+` ORDER BY `+order+
		fmt.Sprintf(` LIMIT %d OFFSET %d`, s.PageSize, (s.Page-1)*s.PageSize), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*ArticleHit
	for rows.Next() {
		h := &ArticleHit{}
		var score float64
		a, err := scanArticle(scanTail{rows, &score})
		if err != nil {
			return nil, 0, err
		}
		h.Article, h.Score = a, score
		h.Snippet = zhsearch.SnippetHTML(plainText(a.Body), q.Terms, 120)
		h.TitleHTML = zhsearch.SnippetHTML(a.Title, q.Terms, 200)
		out = append(out, h)
	}
	return out, total, rows.Err()
}

// scanTail scans a row into the article's columns and one more.
type scanTail struct {
	rows interface{ Scan(...any) error }
	last any
}

func (s scanTail) Scan(dst ...any) error { return s.rows.Scan(append(dst, s.last)...) }

var markdownMarks = regexp.MustCompile("(?m)^\\s{0,3}(#{1,6}|>|[-*+]|\\d+\\.)\\s+|[*_`]{1,3}|!?\\[([^\\]]*)\\]\\([^)]*\\)")

// plainText strips the commonest Markdown marks for snippets.
func plainText(md string) string {
	return markdownMarks.ReplaceAllStringFunc(md, func(m string) string {
		if strings.Contains(m, "](") {
			return m[strings.Index(m, "[")+1 : strings.Index(m, "]")]
		}
		return ""
	})
}
