package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"hotline"
)

// articleCols lists kb_articles' columns in scanArticle's order, each
// prefixed (e.g. "a.") for joins.
func articleCols(p string) string {
	return strings.NewReplacer("@", p).Replace(`@id, @title, @body, @answer, @kind, COALESCE(@unit_id, 0), @source, @doc_number,
	@effective_on, @expires_on, @review_on, @status, @version, COALESCE(@author_id, 0), COALESCE(@reviewer_id, 0), @created_at,
	@updated_at, @published_at`)
}

var articleColumns = articleCols("")

func scanArticle(s interface{ Scan(...any) error }) (*hotline.Article, error) {
	var a hotline.Article
	var created, updated int64
	err := s.Scan(&a.ID, &a.Title, &a.Body, &a.Answer, &a.Kind, &a.UnitID, &a.Source, &a.DocNumber, &a.EffectiveOn, &a.ExpiresOn,
		&a.ReviewOn, &a.Status, &a.Version, &a.AuthorID, &a.ReviewerID, &created, &updated, nullTime{&a.PublishedAt})
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
	return &a, nil
}

// canReadArticle: every member of staff reads published articles; editors
// also drafts, reviews and retired ones.
func canReadArticle(actor hotline.Actor, a *hotline.Article) bool {
	return a.Status == hotline.ArticlePublished || actor.Role.Has(hotline.PermEditKB)
}

// CreateArticle saves a new article as a draft (version 1), indexed for
// search in the same transaction.
func (db *DB) CreateArticle(ctx context.Context, actor hotline.Actor, a *hotline.Article) error {
	if !actor.Role.Has(hotline.PermEditKB) {
		return hotline.Errorf(hotline.EForbidden, "%s无权编辑知识库", actor.Role.Label())
	}
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := checkArticleRefs(ctx, tx, a); err != nil {
		return err
	}
	a.Status, a.Version, a.AuthorID, a.ReviewerID, a.CreatedAt, a.UpdatedAt, a.PublishedAt = hotline.ArticleDraft, 1, actor.UserID, 0, tx.now, tx.now, nil
	err = tx.QueryRowContext(ctx, `INSERT INTO kb_articles (title, body, answer, kind, unit_id, source, doc_number, effective_on,
		expires_on, review_on, status, version, author_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $13)
		RETURNING id`, a.Title, a.Body, a.Answer, a.Kind, nullID(a.UnitID), a.Source, a.DocNumber, a.EffectiveOn, a.ExpiresOn, a.ReviewOn,
		a.Status, nullID(actor.UserID), tx.now.UnixMilli()).Scan(&a.ID)
	if err != nil {
		return err
	}
	if err := saveArticleExtras(ctx, tx, actor, a, true, nil); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "kb.create", articleTarget(a), a.Kind.Label()); err != nil {
		return err
	}
	return tx.Commit()
}

func articleTarget(a *hotline.Article) string { return fmt.Sprintf("kb:%d %s", a.ID, a.Title) }

func checkArticleRefs(ctx context.Context, tx *Tx, a *hotline.Article) error {
	if a.UnitID != 0 {
		if err := checkExists(ctx, tx, "units", a.UnitID, "unit_id", "单位"); err != nil {
			return err
		}
	}
	for _, c := range a.CategoryIDs {
		if err := checkExists(ctx, tx, "categories", c, "category_ids", "分类"); err != nil {
			return err
		}
	}
	return nil
}

// saveArticleExtras writes what goes with every save: the categories, the
// version row and the search index.
func saveArticleExtras(ctx context.Context, tx *Tx, actor hotline.Actor, a *hotline.Article, categories bool, idx *articleIndex) error {
	if categories {
		if _, err := tx.ExecContext(ctx, `DELETE FROM kb_article_categories WHERE article_id = $1`, a.ID); err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, c := range a.CategoryIDs {
			if seen[c] {
				continue
			}
			seen[c] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO kb_article_categories (article_id, category_id) VALUES ($1, $2)`, a.ID, c); err != nil {
				return err
			}
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO kb_versions (article_id, version, title, body, answer, status, editor_id, editor_name, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.ID, a.Version, a.Title, a.Body, a.Answer, a.Status, nullID(actor.UserID),
		actor.Name, strings.TrimSpace(a.Note), tx.now.UnixMilli())
	if err != nil {
		return err
	}
	return tx.db.indexArticle(ctx, tx, a, idx)
}

// UpdateArticle saves a new version of an article. a.Version must be the
// version the editor started from: a concurrent save is refused, not
// overwritten. A published article changed by someone who may not publish
// goes back to review.
func (db *DB) UpdateArticle(ctx context.Context, actor hotline.Actor, a *hotline.Article) error {
	if !actor.Role.Has(hotline.PermEditKB) {
		return hotline.Errorf(hotline.EForbidden, "%s无权编辑知识库", actor.Role.Label())
	}
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cur, err := findArticle(ctx, tx, a.ID, true)
	if err != nil {
		return err
	}
	switch {
	case cur.Version != a.Version:
		return hotline.Errorf(hotline.EConflict, "文章已被他人修改（当前第 %d 版），请刷新后重新编辑", cur.Version)
	case cur.Status == hotline.ArticleRetired:
		return hotline.Errorf(hotline.EConflict, "已废止的文章不能修改")
	}
	if err := checkArticleRefs(ctx, tx, a); err != nil {
		return err
	}
	a.Status, a.AuthorID, a.ReviewerID, a.CreatedAt, a.PublishedAt = cur.Status, cur.AuthorID, cur.ReviewerID, cur.CreatedAt, cur.PublishedAt
	if a.Status == hotline.ArticlePublished && !actor.Role.Has(hotline.PermPublishKB) {
		a.Status = hotline.ArticleInReview
	}
	a.Version, a.UpdatedAt = cur.Version+1, tx.now
	_, err = tx.ExecContext(ctx, `UPDATE kb_articles SET title = $1, body = $2, answer = $3, kind = $4, unit_id = $5, source = $6,
		doc_number = $7, effective_on = $8, expires_on = $9, review_on = $10, status = $11, version = $12, updated_at = $13 WHERE id = $14`,
		a.Title, a.Body, a.Answer, a.Kind, nullID(a.UnitID), a.Source, a.DocNumber, a.EffectiveOn, a.ExpiresOn, a.ReviewOn, a.Status,
		a.Version, tx.now.UnixMilli(), a.ID)
	if err != nil {
		return err
	}
	if err := saveArticleExtras(ctx, tx, actor, a, true, nil); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "kb.update", articleTarget(a), fmt.Sprintf("v%d %s", a.Version, a.Note)); err != nil {
		return err
	}
	return tx.Commit()
}

// Article review actions (the domain's hotline.ReviewAction).
const (
	ArticleSubmit  = hotline.ReviewSubmit
	ArticlePublish = hotline.ReviewPublish
	ArticleReject  = hotline.ReviewReject
	ArticleRetire  = hotline.ReviewRetire
)

// ReviewArticle moves an article through its review (hotline.Article.Review
// decides: submit for editors; publish, reject and retire for publishers).
// Each makes a version entry so the history shows who decided what.
func (db *DB) ReviewArticle(ctx context.Context, actor hotline.Actor, id int64, action hotline.ReviewAction, note string) (*hotline.Article, error) {
	if !action.Valid() {
		return nil, hotline.Errorf(hotline.ENotFound, "没有“%s”这个操作", action)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a, err := findArticle(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if err := a.Review(actor, action, note, tx.now); err != nil {
		return nil, err
	}
	q := `UPDATE kb_articles SET status = $1, version = $2, updated_at = $3`
	args := []any{a.Status, a.Version, tx.now.UnixMilli(), a.ID}
	switch action {
	case ArticlePublish:
		q += `, reviewer_id = $5, published_at = $3`
		args = append(args, nullID(a.ReviewerID))
	case ArticleRetire:
		q += `, retired_at = $3`
	}
	if _, err := tx.ExecContext(ctx, q+` WHERE id = $4`, args...); err != nil {
		return nil, err
	}
	if a.CategoryIDs, err = articleCategories(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if err := saveArticleExtras(ctx, tx, actor, a, false, nil); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "kb."+string(action), articleTarget(a), a.Note); err != nil {
		return nil, err
	}
	return a, tx.Commit()
}

func findArticle(ctx context.Context, tx *Tx, id int64, lock bool) (*hotline.Article, error) {
	q := `SELECT ` + articleColumns + ` FROM kb_articles WHERE id = $1`
	if lock {
		q += tx.db.dialect.forUpdate()
	}
	a, err := scanArticle(tx.QueryRowContext(ctx, q, id))
	if err == sql.ErrNoRows {
		return nil, hotline.Errorf(hotline.ENotFound, "知识库文章不存在")
	}
	return a, err
}

func articleCategories(ctx context.Context, tx *Tx, id int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT category_id FROM kb_article_categories WHERE article_id = $1 ORDER BY category_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindArticle returns an article the actor may read.
func (db *DB) FindArticle(ctx context.Context, actor hotline.Actor, id int64) (*hotline.Article, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a, err := findArticle(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	if !canReadArticle(actor, a) {
		return nil, hotline.Errorf(hotline.ENotFound, "知识库文章不存在")
	}
	a.CategoryIDs, err = articleCategories(ctx, tx, id)
	return a, err
}

// FindArticleVersions returns an article's versions, newest first.
func (db *DB) FindArticleVersions(ctx context.Context, actor hotline.Actor, id int64) ([]*hotline.ArticleVersion, error) {
	if _, err := db.FindArticle(ctx, actor, id); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT article_id, version, title, body, answer, status, COALESCE(editor_id, 0), editor_name, note, created_at
		FROM kb_versions WHERE article_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*hotline.ArticleVersion
	for rows.Next() {
		var v hotline.ArticleVersion
		var at int64
		if err := rows.Scan(&v.ArticleID, &v.Version, &v.Title, &v.Body, &v.Answer, &v.Status, &v.EditorID, &v.EditorName, &v.Note, &at); err != nil {
			return nil, err
		}
		v.CreatedAt = fromMS(at)
		out = append(out, &v)
	}
	return out, rows.Err()
}
