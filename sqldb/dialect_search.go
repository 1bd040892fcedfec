package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"hotline"
	"hotline/zhsearch"
)

// The full-text engines' own algorithms (dialect.go has the rest of the
// differences): reading the knowledge base's index for the in-memory
// copy, counting and ranking articles in the database, indexing tickets
// in batches.

// readArticleIndex reads the index of every article changed after the
// change number after, handing each to put, and returns the highest change
// number read: SQLite's FTS5 columns as they are; PostgreSQL's stripped
// vectors (each token once) and the tags rebuilt from the row.
func (d dialect) readArticleIndex(ctx context.Context, read *sql.DB, after int64, put func(id int64, title, body, tags []string)) (int64, error) {
	var rows *sql.Rows
	var err error
	if d == postgres {
		rows, err = read.QueryContext(ctx, `SELECT a.id, a.index_seq, COALESCE(a.search_title::text, ''), COALESCE(a.search::text, ''),
			a.status, a.kind, COALESCE(a.unit_id, 0), COALESCE((SELECT string_agg(c.category_id::text, ' ') FROM kb_article_categories c
			WHERE c.article_id = a.id), '') FROM kb_articles a WHERE a.index_seq > $1`, after)
	} else {
		rows, err = read.QueryContext(ctx, `SELECT a.id, a.index_seq, f.title, f.body, f.tags FROM kb_articles a
			JOIN kb_fts f ON f.rowid = a.id WHERE a.index_seq > $1`, after)
	}
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var seen int64
	for rows.Next() {
		var id, seq int64
		var title, body, tags string
		if d == postgres {
			a := &hotline.Article{}
			var cats string
			if err := rows.Scan(&id, &seq, &title, &body, &a.Status, &a.Kind, &a.UnitID, &cats); err != nil {
				return 0, err
			}
			for _, c := range strings.Fields(cats) {
				n, _ := strconv.ParseInt(c, 10, 64)
				a.CategoryIDs = append(a.CategoryIDs, n)
			}
			put(id, tsvectorLexemes(title), tsvectorLexemes(body), strings.Fields(articleTags(a)))
		} else {
			if err := rows.Scan(&id, &seq, &title, &body, &tags); err != nil {
				return 0, err
			}
			put(id, strings.Fields(title), strings.Fields(body), strings.Fields(tags))
		}
		seen = max(seen, seq)
	}
	return seen, rows.Err()
}

// countArticles counts (up to MaxArticleHits) the articles matching q:
// ftsQuery is its FTS5 form with the filters; on PostgreSQL the filters
// are pgCond with pgArgs.
func (d dialect) countArticles(ctx context.Context, tx *Tx, q zhsearch.Query, need int, ftsQuery, pgCond string, pgArgs []any) (int, error) {
	var n int
	var err error
	if d == postgres {
		err = tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM kb_articles a WHERE a.search @@ CAST($1 AS tsquery)%s LIMIT %d) x`,
			pgCond, MaxArticleHits), append([]any{q.TSQuery(need)}, pgArgs...)...).Scan(&n)
	} else {
		err = tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH $1 LIMIT %d)`,
			MaxArticleHits), ftsQuery).Scan(&n)
	}
	return n, err
}

// rankArticles returns one page of matching articles as (id, score) rows,
// best first: FTS5's bm25 (title weighted) on SQLite; on PostgreSQL every
// hit ranked by one ts_rank, then the best hundred by Σ idf × ts_rank per
// word (each ts_rank call unpacks the row's vector, the cost that grows
// with the hits).
func (d dialect) rankArticles(ctx context.Context, tx *Tx, q zhsearch.Query, need int, ftsQuery, pgCond string, pgArgs []any,
	pageSize, page int, limit string) (*sql.Rows, error) {
	if d != postgres {
		return tx.QueryContext(ctx, fmt.Sprintf(`SELECT rowid, -bm25(kb_fts, %d.0, 1.0, 0.0) AS score FROM kb_fts
			WHERE kb_fts MATCH $1 ORDER BY score DESC, rowid`, zhsearch.TitleWeight)+limit, ftsQuery)
	}
	groups := q.TSQueries()
	idfs, err := tx.db.idfs(ctx, tx, groups)
	if err != nil {
		return nil, err
	}
	args := append([]any{q.TSQuery(need)}, pgArgs...)
	var refs []string
	for _, g := range groups {
		args = append(args, g)
		refs = append(refs, fmt.Sprintf("CAST($%d AS tsquery)", len(args)))
	}
	return tx.QueryContext(ctx, `SELECT a.id, `+pgScore(idfs, refs)+` AS score FROM (
		SELECT a.id, a.search, a.search_title FROM kb_articles a WHERE a.search @@ CAST($1 AS tsquery)`+pgCond+`
		ORDER BY ts_rank(a.search, CAST($1 AS tsquery), 1) + CASE WHEN a.search_title @@ CAST($1 AS tsquery) THEN 1 ELSE 0 END DESC
		LIMIT `+fmt.Sprint(max(100, page*pageSize))+`) a ORDER BY score DESC, a.id`+limit, args...)
}

// indexTickets indexes the tickets after upto (up to last) in one batch:
// on SQLite reading and writing in one transaction (one writer: nothing
// can come between), on PostgreSQL cutting text on several workers.
func (d dialect) indexTickets(ctx context.Context, db *DB, upto, last int64, workers, chunk int) (int, int64, error) {
	if d == postgres {
		return db.indexPostgres(ctx, upto, last, workers, chunk)
	}
	return db.indexSQLite(ctx, upto, last, chunk)
}

// windowedSearch: PostgreSQL looks for a newest-first ticket search's
// matches in id windows of the newest tickets (searchWindow), since it
// would otherwise check every row walking back the id index; SQLite's
// FTS5 matches come in rowid order already.
func (d dialect) windowedSearch() bool { return d == postgres }
