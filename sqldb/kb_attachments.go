package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"hotline"
)

// MaxAttachmentBytes bounds one attachment.
const MaxAttachmentBytes = 10 << 20

// Attachment is a file attached to an article; Data is only filled when
// the file itself is asked for.
type Attachment struct {
	ID          int64     `json:"id"`
	ArticleID   int64     `json:"article_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// AddAttachment attaches a file to an article (editors).
func (db *DB) AddAttachment(ctx context.Context, actor hotline.Actor, at *Attachment) error {
	if !actor.Role.Has(hotline.PermEditKB) {
		return hotline.Errorf(hotline.EForbidden, "%s无权编辑知识库", actor.Role.Label())
	}
	at.Name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(at.Name, "\\", "/")))
	switch {
	case at.Name == "" || at.Name == "." || at.Name == "/" || utf8.RuneCountInString(at.Name) > 200:
		return hotline.Invalid("file", "请选择要上传的文件（文件名不超过200个字）")
	case len(at.Data) == 0:
		return hotline.Invalid("file", "文件是空的")
	case len(at.Data) > MaxAttachmentBytes:
		return hotline.Invalid("file", "文件不能超过 %d MB", MaxAttachmentBytes>>20)
	}
	if at.ContentType == "" {
		at.ContentType = "application/octet-stream"
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a, err := findArticle(ctx, tx, at.ArticleID, true)
	if err != nil {
		return err
	}
	at.Size, at.CreatedAt = int64(len(at.Data)), tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO kb_attachments (article_id, name, content_type, size, data, uploader_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, at.ArticleID, at.Name, at.ContentType, at.Size, at.Data,
		nullID(actor.UserID), tx.now.UnixMilli()).Scan(&at.ID); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, "kb.attach", articleTarget(a), fmt.Sprintf("%s (%d B)", at.Name, at.Size)); err != nil {
		return err
	}
	return tx.Commit()
}

// FindAttachments lists an article's attachments (without their data).
func (db *DB) FindAttachments(ctx context.Context, actor hotline.Actor, articleID int64) ([]*Attachment, error) {
	if _, err := db.FindArticle(ctx, actor, articleID); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, article_id, name, content_type, size, created_at FROM kb_attachments
		WHERE article_id = $1 ORDER BY id`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Attachment
	for rows.Next() {
		at := &Attachment{}
		var ms int64
		if err := rows.Scan(&at.ID, &at.ArticleID, &at.Name, &at.ContentType, &at.Size, &ms); err != nil {
			return nil, err
		}
		at.CreatedAt = fromMS(ms)
		out = append(out, at)
	}
	return out, rows.Err()
}

// FindAttachment returns one attachment with its data, if the actor may
// read its article.
func (db *DB) FindAttachment(ctx context.Context, actor hotline.Actor, articleID, id int64) (*Attachment, error) {
	if _, err := db.FindArticle(ctx, actor, articleID); err != nil {
		return nil, err
	}
	at := &Attachment{}
	var ms int64
	err := db.read.QueryRowContext(ctx, `SELECT id, article_id, name, content_type, size, created_at, data FROM kb_attachments
		WHERE id = $1 AND article_id = $2`, id, articleID).Scan(&at.ID, &at.ArticleID, &at.Name, &at.ContentType, &at.Size, &ms, &at.Data)
	if err == sql.ErrNoRows {
		return nil, hotline.Errorf(hotline.ENotFound, "附件不存在")
	}
	at.CreatedAt = fromMS(ms)
	return at, err
}
