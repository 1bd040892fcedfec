package sqldb

import (
	"context"
	"fmt"
	"runtime"

	"hotline"
)

// ImportArticles saves many articles at once (an import, a migration),
// 200 per transaction; with publish they are published by the actor, who
// must be allowed to. Every article is checked before the first is saved:
// an import is refused whole, naming the first bad one, or saved whole.
// progress is called after each batch.
func (db *DB) ImportArticles(ctx context.Context, actor hotline.Actor, arts []*hotline.Article, publish bool, progress func(done, total int)) error {
	need := hotline.PermEditKB
	if publish {
		need = hotline.PermPublishKB
	}
	if !actor.Role.Has(need) {
		return hotline.Errorf(hotline.EForbidden, "%s无权导入知识库文章", actor.Role.Label())
	}
	for i, a := range arts {
		if err := a.Validate(); err != nil {
			return hotline.Invalid(hotline.ErrorField(err), "第%d篇（%s）：%s", i+1, a.Title, hotline.ErrorMessage(err))
		}
	}
	status := hotline.ArticleDraft
	if publish {
		status = hotline.ArticlePublished
	}
	const batch = 200
	for start := 0; start < len(arts); start += batch {
		part := arts[start:min(start+batch, len(arts))]
		if err := db.importBatch(ctx, actor, part, status); err != nil {
			return fmt.Errorf("import articles %d–%d: %w", start+1, start+len(part), err)
		}
		if progress != nil {
			progress(start+len(part), len(arts))
		}
	}
	return db.dialect.analyze(ctx, db.write, "kb_articles")
}

func (db *DB) importBatch(ctx context.Context, actor hotline.Actor, arts []*hotline.Article, status hotline.ArticleStatus) error {
	// Segmented on every core before the transaction.
	idx := make([]*articleIndex, len(arts))
	if err := parallel(len(arts), runtime.GOMAXPROCS(0), func(i int) error {
		var err error
		idx[i], err = db.articleIndexText(ctx, arts[i])
		return err
	}); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, a := range arts {
		if err := checkArticleRefs(ctx, tx, a); err != nil {
			return err
		}
		a.Status, a.Version, a.AuthorID, a.CreatedAt, a.UpdatedAt = status, 1, actor.UserID, tx.now, tx.now
		var published, reviewer any
		if status == hotline.ArticlePublished {
			a.PublishedAt, a.ReviewerID = &tx.now, actor.UserID
			published, reviewer = tx.now.UnixMilli(), nullID(actor.UserID)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO kb_articles (title, body, answer, kind, unit_id, source, doc_number, effective_on,
			expires_on, review_on, status, version, author_id, reviewer_id, created_at, updated_at, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $14, $14, $15) RETURNING id`,
			a.Title, a.Body, a.Answer, a.Kind, nullID(a.UnitID), a.Source, a.DocNumber, a.EffectiveOn, a.ExpiresOn, a.ReviewOn,
			a.Status, nullID(actor.UserID), reviewer, tx.now.UnixMilli(), published).Scan(&a.ID)
		if err != nil {
			return err
		}
		if a.Note == "" {
			a.Note = "导入"
		}
		if err := saveArticleExtras(ctx, tx, actor, a, true, idx[i]); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, "kb.import", fmt.Sprintf("kb:%d…%d", arts[0].ID, arts[len(arts)-1].ID), fmt.Sprintf("%d 篇", len(arts))); err != nil {
		return err
	}
	return tx.Commit()
}

// ExportArticles returns the articles a search finds (all of them without
// words, at most MaxArticleHits with) with their categories, for a file.
func (db *DB) ExportArticles(ctx context.Context, actor hotline.Actor, s ArticleSearch) ([]*hotline.Article, error) {
	var out []*hotline.Article
	s.PageSize = 100
	for s.Page = 1; ; s.Page++ {
		hits, total, err := db.SearchArticles(ctx, actor, s)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			out = append(out, h.Article)
		}
		if len(hits) == 0 || len(out) >= total {
			break
		}
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, a := range out {
		if a.CategoryIDs, err = articleCategories(ctx, tx, a.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
