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
	a, err := zhsearch.New(db.dict, words, groups)
	if err != nil {
		return nil, err
	}
	db.kbAnalyzer = a
	return a, nil
}

// SegmentWords cuts a text into words with the search dictionary (the
// segmenter's and the centre's own words).
func (db *DB) SegmentWords(ctx context.Context, text string) ([]string, error) {
	an, err := db.analyzer(ctx)
	if err != nil {
		return nil, err
	}
	return an.Words(text), nil
}

// LoadAnalyzer loads the segmenter's dictionary (a second of CPU and
// 130 MB) now rather than on the first search; the server calls it at
// start.
func (db *DB) LoadAnalyzer(ctx context.Context) error {
	_, err := db.analyzer(ctx)
	return err
}

// articleTags are the tokens that let the SQLite index filter by status,
// kind, unit and category without looking at the table: letters and
// digits only, prefixed so that no text makes them. Published articles,
// nearly all of them, carry no status tag (a token in every document
// would make every search walk its whole posting list); the others carry
// zzunpublished, which published searches exclude.
func articleTags(a *hotline.Article) string {
	tags := []string{"zzkind" + string(a.Kind)}
	if a.Status != hotline.ArticlePublished {
		tags = append(tags, "zzunpublished", "zzstatus"+strings.ReplaceAll(string(a.Status), "_", ""))
	}
	if a.UnitID != 0 {
		tags = append(tags, fmt.Sprintf("zzunit%d", a.UnitID))
	}
	for _, c := range a.CategoryIDs {
		tags = append(tags, fmt.Sprintf("zzcat%d", c))
	}
	return strings.Join(tags, " ")
}

// articleIndex is an article's segmented text, ready to be written.
type articleIndex struct{ title, body, tags string }

func (db *DB) articleIndexText(ctx context.Context, a *hotline.Article) (*articleIndex, error) {
	an, err := db.analyzer(ctx)
	if err != nil {
		return nil, err
	}
	return &articleIndex{title: an.IndexText(a.Title + " " + a.DocNumber), body: an.IndexText(a.Body + "\n" + a.Answer + "\n" + a.Source),
		tags: articleTags(a)}, nil
}

// indexArticle writes the article's segmented text and its filter tags
// into the full-text index, in the transaction that saves the article;
// idx is the text segmented beforehand, or nil.
func (db *DB) indexArticle(ctx context.Context, tx *Tx, a *hotline.Article, idx *articleIndex) error {
	if idx == nil {
		var err error
		if idx, err = db.articleIndexText(ctx, a); err != nil {
			return err
		}
	}
	idx.tags = articleTags(a) // the status may have changed since
	// The next change number (kb_memindex.go); the row stays locked to
	// the commit, so numbers become visible in order.
	var seq int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO search_state (name, value) VALUES ('kb', 1)
		ON CONFLICT (name) DO UPDATE SET value = search_state.value + 1 RETURNING value`).Scan(&seq); err != nil {
		return err
	}
	return db.dialect.writeArticleIndex(ctx, tx, a.ID, seq, idx.title, idx.body, idx.tags)
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
	DueOn      string // with a day (YYYY-MM-DD): only articles due for review or expired then (a list, without Q)
	Page       int
	PageSize   int
}

// MaxArticleHits caps the total a search reports.
const MaxArticleHits = 1000

// ArticleHit is one search result; Snippet is HTML with the query's terms
// in <mark>.
type ArticleHit struct {
	*hotline.Article
	Score     float64 `json:"score"`
	Snippet   string  `json:"snippet"`
	TitleHTML string  `json:"title_html"` // the title with the query's terms in <mark>
}

// SearchArticles finds articles by their words, ranked by FTS5's BM25
// with the title weighted 8:1 over the index held in memory
// (kb_memindex.go), or by the database's own full-text engine while that
// loads (FTS5; in PostgreSQL Σ idf × ts_rank, see kb_idf.go), filtered
// and paginated. The articles
// searched are those with every word of the query if there are enough of
// them (at least min(5, page size)), else those with any two words, else
// any one: ranking every article with one common word is what makes a
// full-text search slow. Without words it lists articles, latest change
// first.
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
	if strings.TrimSpace(s.Q) == "" || s.DueOn != "" {
		return db.listArticles(ctx, s)
	}
	an, err := db.analyzer(ctx)
	if err != nil {
		return nil, 0, err
	}
	all := an.QueryAll(s.Q)
	if all.Empty() {
		return nil, 0, nil
	}
	// SQLite filters in the match (tags); PostgreSQL in SQL, on the
	// rows the GIN index found.
	var tags []string
	var notPublished string
	var where []string
	var pgArgs []any
	pgArg := func(v any) string { pgArgs = append(pgArgs, v); return fmt.Sprintf("$%d", len(pgArgs)+1) }
	switch s.Status {
	case "all":
	case string(hotline.ArticlePublished):
		notPublished = ` NOT "zzunpublished"`
		where = append(where, "a.status = "+pgArg(s.Status))
	default:
		tags = append(tags, "zzstatus"+strings.ReplaceAll(s.Status, "_", ""))
		where = append(where, "a.status = "+pgArg(s.Status))
	}
	if s.Kind != "" {
		tags = append(tags, "zzkind"+string(s.Kind))
		where = append(where, "a.kind = "+pgArg(s.Kind))
	}
	if s.UnitID != 0 {
		tags = append(tags, fmt.Sprintf("zzunit%d", s.UnitID))
		where = append(where, "a.unit_id = "+pgArg(s.UnitID))
	}
	if s.CategoryID != 0 {
		tags = append(tags, fmt.Sprintf("zzcat%d", s.CategoryID))
		where = append(where, "EXISTS (SELECT 1 FROM kb_article_categories c WHERE c.article_id = a.id AND c.category_id = "+pgArg(s.CategoryID)+")")
	}
	pgCond := ""
	if len(where) > 0 {
		pgCond = " AND " + strings.Join(where, " AND ")
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	enough := min(5, s.PageSize)
	var hits []*ArticleHit
	var total int
	mem, err := db.kbIndex(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	q, err := db.selectGroups(ctx, tx, mem, all)
	if err != nil {
		return nil, 0, err
	}
	if mem != nil {
		var excluded []string
		if notPublished != "" {
			excluded = []string{"zzunpublished"}
		}
		found, n := mem.Search(q, tags, excluded, enough, (s.Page-1)*s.PageSize, s.PageSize, MaxArticleHits)
		for _, h := range found {
			hits = append(hits, &ArticleHit{Article: &hotline.Article{ID: h.ID}, Score: h.Score})
		}
		total = n
	} else if hits, total, err = db.rankArticles(ctx, tx, s, q, tags, notPublished, pgCond, pgArgs, enough); err != nil {
		return nil, 0, err
	}
	if len(hits) == 0 {
		return nil, total, nil
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, fmt.Sprint(h.ID))
	}
	byID := map[int64]*hotline.Article{}
	arts, err := tx.QueryContext(ctx, `SELECT `+articleColumns+` FROM kb_articles WHERE id IN (`+strings.Join(ids, ", ")+`)`)
	if err != nil {
		return nil, 0, err
	}
	defer arts.Close()
	for arts.Next() {
		a, err := scanArticle(arts)
		if err != nil {
			return nil, 0, err
		}
		byID[a.ID] = a
	}
	for _, h := range hits {
		if a := byID[h.ID]; a != nil {
			h.Article = a
		}
		h.Snippet = zhsearch.SnippetHTML(plainText(h.Body), q.Terms, 120)
		h.TitleHTML = zhsearch.SnippetHTML(h.Title, q.Terms, 200)
	}
	return hits, total, arts.Err()
}

// selectGroups keeps the words of a query that some article has (and of a
// long question the rarest MaxGroups of them, the names of the city, its
// districts and townships last), asking the index in memory or else the
// database: the same choice either way.
func (db *DB) selectGroups(ctx context.Context, tx *Tx, mem *zhsearch.Index, all zhsearch.Query) (zhsearch.Query, error) {
	if len(all.Groups) < 2 {
		return all, nil
	}
	var err error
	found := func(g zhsearch.Group) bool {
		if mem != nil {
			return mem.Matches(g)
		}
		ok, e := db.dialect.anyArticleMatches(ctx, tx, zhsearch.Query{Groups: []zhsearch.Group{g}})
		if e != nil && err == nil {
			err = e
		}
		return ok || e != nil
	}
	// The places' names, read only for a long question.
	var places map[string]bool
	place := func(g zhsearch.Group) bool {
		if places == nil {
			places = map[string]bool{}
			if e := db.placeNames(ctx, tx, places); e != nil && err == nil {
				err = e
			}
		}
		return len(g[0]) == 1 && places[g[0][0]]
	}
	q := all.Select(zhsearch.MaxGroups, found, place)
	return q, err
}

// placeNames adds the names of the city, its districts and townships.
func (db *DB) placeNames(ctx context.Context, tx *Tx, names map[string]bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM units WHERE kind IN ('city', 'district', 'township')`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		names[zhsearch.Normalize(name)] = true
	}
	return rows.Err()
}

// rankArticles finds and ranks articles with the database's full-text
// index: when the base is not (yet) in memory.
func (db *DB) rankArticles(ctx context.Context, tx *Tx, s ArticleSearch, q zhsearch.Query, tags []string, notPublished, pgCond string,
	pgArgs []any, enough int) ([]*ArticleHit, int, error) {
	fts := func(need int) string { return "(" + q.FTS5(need, tags...) + ")" + notPublished }
	// Counting every hit of a common word costs as much as ranking them;
	// the total stops at MaxArticleHits (nobody pages that far).
	count := func(need int) (int, error) {
		return db.dialect.countArticles(ctx, tx, q, need, fts(need), pgCond, pgArgs)
	}
	need, total, err := zhsearch.Relax(len(q.Groups), enough, count)
	if err != nil {
		return nil, 0, err
	}
	limit := fmt.Sprintf(` LIMIT %d OFFSET %d`, s.PageSize, (s.Page-1)*s.PageSize)
	rows, err := db.dialect.rankArticles(ctx, tx, q, need, fts(need), pgCond, pgArgs, s.PageSize, s.Page, limit)
	if err != nil {
		return nil, 0, err
	}
	var hits []*ArticleHit
	for rows.Next() {
		h := &ArticleHit{Article: &hotline.Article{}}
		if err := rows.Scan(&h.ID, &h.Score); err != nil {
			rows.Close()
			return nil, 0, err
		}
		hits = append(hits, h)
	}
	rows.Close()
	return hits, total, rows.Err()
}

// listArticles lists articles without a query, latest change first.
func (db *DB) listArticles(ctx context.Context, s ArticleSearch) ([]*ArticleHit, int, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
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
	if s.DueOn != "" {
		d := arg(s.DueOn)
		where = append(where, `((a.review_on <> '' AND a.review_on <= `+d+`) OR (a.expires_on <> '' AND a.expires_on < `+d+`))`)
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
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM kb_articles a`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+articleCols("a.")+` FROM kb_articles a`+cond+` ORDER BY a.updated_at DESC, a.id DESC`+
		fmt.Sprintf(` LIMIT %d OFFSET %d`, s.PageSize, (s.Page-1)*s.PageSize), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*ArticleHit
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, &ArticleHit{Article: a, Snippet: zhsearch.SnippetHTML(plainText(a.Body), nil, 120),
			TitleHTML: zhsearch.SnippetHTML(a.Title, nil, 200)})
	}
	return out, total, rows.Err()
}

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
