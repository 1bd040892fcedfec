package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hotline"
)

// Kinds of the account's content.
const (
	ContentMenu     = "menu"     // the menu's definition (JSON, as WeChat takes it)
	ContentArticle  = "article"  // a pushed article, such as a policy explainer
	ContentBulletin = "bulletin" // the monthly hotline bulletin
)

// AccountContent is a version of the account's content.
type AccountContent struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	ArticleID   int64      `json:"article_id,omitempty"`
	Version     int        `json:"version"`
	Status      string     `json:"status"` // draft, published
	CreatedAt   time.Time  `json:"created_at"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Publisher   string     `json:"publisher,omitempty"`
}

// SaveAccountContent stores a new version (a draft) of a menu, article
// or bulletin; an article may start from a knowledge-base article.
// Editors of the knowledge base; audited.
func (db *DB) SaveAccountContent(ctx context.Context, actor hotline.Actor, c AccountContent) (*AccountContent, error) {
	if !actor.Role.Has(hotline.PermEditKB) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能编辑公众号内容", actor.Role.Label())
	}
	if c.Kind != ContentMenu && c.Kind != ContentArticle && c.Kind != ContentBulletin {
		return nil, hotline.Invalid("kind", "应为 menu、article 或 bulletin")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if c.ArticleID != 0 {
		a, err := findArticle(ctx, tx, c.ArticleID, false)
		if err != nil {
			return nil, hotline.Invalid("article_id", "知识库文章 %d 不存在", c.ArticleID)
		}
		if strings.TrimSpace(c.Title) == "" {
			c.Title = string([]rune(a.Title)[:min(64, utf8.RuneCountInString(a.Title))])
		}
		if strings.TrimSpace(c.Body) == "" {
			c.Body = a.Body
		}
	}
	c.Title, c.Body = strings.TrimSpace(c.Title), strings.TrimSpace(c.Body)
	if c.Title == "" || utf8.RuneCountInString(c.Title) > 64 {
		return nil, hotline.Invalid("title", "请填写标题（不超过64个字）")
	}
	if c.Body == "" {
		return nil, hotline.Invalid("body", "请填写内容")
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM wechat_contents WHERE kind = $1 AND title = $2`, c.Kind, c.Title).Scan(&c.Version); err != nil {
		return nil, err
	}
	c.Status, c.CreatedAt = "draft", tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO wechat_contents (kind, title, body, article_id, version, status, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7) RETURNING id`, c.Kind, c.Title, c.Body, nullID(c.ArticleID), c.Version, nullID(actor.UserID),
		tx.now.UnixMilli()).Scan(&c.ID); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "wechat.content.save", "wechat_content:"+strconv.FormatInt(c.ID, 10), c.Kind+" v"+strconv.Itoa(c.Version)); err != nil {
		return nil, err
	}
	return &c, tx.Commit()
}

// PublishAccountContent publishes a draft: push sends it to the account
// (the menu to WeChat's API; nil records an update published by hand),
// and only then is it recorded as published, with who and when — the
// account's update record; audited.
func (db *DB) PublishAccountContent(ctx context.Context, actor hotline.Actor, id int64, push func(context.Context, *AccountContent) error) (*AccountContent, error) {
	if !actor.Role.Has(hotline.PermPublishKB) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s不能发布公众号内容", actor.Role.Label())
	}
	c, err := db.accountContent(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != "draft" {
		return nil, hotline.Errorf(hotline.EConflict, "该内容已发布")
	}
	if push != nil {
		if err := push(ctx, c); hotline.ErrorCode(err) == hotline.EInvalid || hotline.ErrorCode(err) == hotline.EConflict {
			return nil, err
		} else if err != nil {
			return nil, hotline.Errorf(hotline.EConflict, "公众号未接受：%v", err)
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE wechat_contents SET status = 'published', published_by = $1, published_at = $2 WHERE id = $3 AND status = 'draft'`,
		nullID(actor.UserID), tx.now.UnixMilli(), id)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, hotline.Errorf(hotline.EConflict, "该内容已发布")
	}
	if err := appendAudit(ctx, tx, actor, "wechat.content.publish", "wechat_content:"+strconv.FormatInt(id, 10), c.Kind+" v"+strconv.Itoa(c.Version)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return db.accountContent(ctx, id)
}

const accountColumns = `c.id, c.kind, c.title, c.body, COALESCE(c.article_id, 0), c.version, c.status, c.created_at, c.published_at, COALESCE(u.display_name, '')
	FROM wechat_contents c LEFT JOIN users u ON u.id = c.published_by`

func scanAccountContent(r interface{ Scan(...any) error }) (*AccountContent, error) {
	c := &AccountContent{}
	var at int64
	if err := r.Scan(&c.ID, &c.Kind, &c.Title, &c.Body, &c.ArticleID, &c.Version, &c.Status, &at, nullTime{&c.PublishedAt}, &c.Publisher); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMS(at)
	return c, nil
}

func (db *DB) accountContent(ctx context.Context, id int64) (*AccountContent, error) {
	c, err := scanAccountContent(db.read.QueryRowContext(ctx, `SELECT `+accountColumns+` WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.ENotFound, "公众号内容 %d 不存在", id)
	}
	return c, err
}

// AccountContents lists the account's contents, newest first (the last
// 100), and how many updates were published in the month (YYYY-MM): the
// assessment's 公众号维护 figure.
func (db *DB) AccountContents(ctx context.Context, actor hotline.Actor, month string) ([]*AccountContent, int, error) {
	if !actor.Role.Has(hotline.PermEditKB) && !actor.Role.Has(hotline.PermStats) {
		return nil, 0, hotline.Errorf(hotline.EForbidden, "%s不能查看公众号内容", actor.Role.Label())
	}
	first, err := time.ParseInLocation("2006-01", month, hotline.ChinaZone)
	if err != nil {
		return nil, 0, hotline.Invalid("month", "月份应为 YYYY-MM")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+accountColumns+` ORDER BY c.id DESC LIMIT 100`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*AccountContent{}
	for rows.Next() {
		c, err := scanAccountContent(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var n int
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM wechat_contents WHERE published_at >= $1 AND published_at < $2`,
		first.UnixMilli(), first.AddDate(0, 1, 0).UnixMilli()).Scan(&n)
	return out, n, err
}
