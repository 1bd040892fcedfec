package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"hotline"
	"hotline/files"
	"hotline/keyring"
)

// The associated data the sealed files are bound to.
const (
	attachmentField = "ticket_attachment"
	thumbnailField  = "ticket_attachment_thumbnail"
)

const attachmentColumns = `a.id, a.ticket_id, a.name, a.content_type, a.size, a.thumb_key <> '', COALESCE(a.uploaded_by, 0),
	COALESCE(u.display_name, ''), a.created_at`

func scanAttachment(s interface{ Scan(...any) error }) (*hotline.Attachment, error) {
	a := &hotline.Attachment{}
	var at int64
	if err := s.Scan(&a.ID, &a.TicketID, &a.Name, &a.ContentType, &a.Size, &a.HasThumbnail, &a.UploadedBy, &a.UploaderName, &at); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMS(at)
	return a, nil
}

// AddTicketAttachment attaches a file to a ticket the actor may attach to
// (hotline.Actor.CanAttach): its type sniffed from the bytes and checked
// against FilePolicy, an image given a thumbnail, both sealed under the
// active data key and written to Files before the row and its timeline
// event are committed — an attachment acknowledged is on disk.
func (db *DB) AddTicketAttachment(ctx context.Context, actor hotline.Actor, ticketID int64, name string, data []byte) (*hotline.Attachment, error) {
	if db.Files == nil {
		return nil, hotline.Errorf(hotline.EInternal, "未配置附件存储")
	}
	if err := db.checkAttach(ctx, actor, ticketID); err != nil {
		return nil, err
	}
	f, err := db.putSealed(ctx, fmt.Sprintf("t/%d", ticketID), name, data, attachmentField, thumbnailField, false)
	if err != nil {
		return nil, err
	}
	a, err := db.insertAttachment(ctx, actor, ticketID, f.name, f.ctype, f.size, f.key, f.thumbKey, f.keyID)
	if err != nil { // not committed: the files go too
		db.dropSealed(ctx, f)
		return nil, err
	}
	return a, nil
}

// sealedFile is a file checked against the policy, sealed and written to
// Files, with its thumbnail when it is a picture.
type sealedFile struct {
	name, ctype   string
	size          int64
	key, thumbKey string
	keyID         int64
}

// putSealed checks a file's name and type (pictures only when photo),
// seals it and its thumbnail under the active data key and writes both
// under a new key with the prefix; the caller records the row, or drops
// the files when that fails.
func (db *DB) putSealed(ctx context.Context, prefix, name string, data []byte, field, thumbField string, photo bool) (*sealedFile, error) {
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	if err := hotline.CheckInput("file", name); err != nil {
		return nil, err
	} else if name == "" || name == "." || name == "/" || utf8.RuneCountInString(name) > 200 {
		return nil, hotline.Invalid("file", "请选择要上传的文件（文件名不超过200个字）")
	}
	ctype, err := db.FilePolicy.Check(name, data)
	if err != nil {
		return nil, FileRefused(err)
	}
	if photo && !strings.HasPrefix(ctype, "image/") {
		return nil, hotline.Invalid("file", "只能上传照片（JPEG、PNG 等图片）")
	}
	f := &sealedFile{name: name, ctype: ctype, size: int64(len(data)), key: files.NewKey(prefix)}
	sealed, err := db.keys.EncryptBytes(field, data)
	if err != nil {
		return nil, err
	}
	f.keyID = keyring.BlobKeyID(sealed)
	if err := db.Files.Put(ctx, f.key, sealed); err != nil {
		return nil, err
	}
	if thumb := files.Thumbnail(ctype, data); thumb != nil {
		sealedThumb, err := db.keys.EncryptBytes(thumbField, thumb)
		if err == nil {
			f.thumbKey = f.key + ".thumb"
			err = db.Files.Put(ctx, f.thumbKey, sealedThumb)
		}
		if err != nil {
			db.Files.Delete(ctx, f.key)
			return nil, err
		}
	}
	return f, nil
}

// dropSealed deletes the files of a sealed file whose row was not
// recorded.
func (db *DB) dropSealed(ctx context.Context, f *sealedFile) {
	db.Files.Delete(ctx, f.key)
	if f.thumbKey != "" {
		db.Files.Delete(ctx, f.thumbKey)
	}
}

// openSealed reads and opens a sealed file (loading a data key another
// instance made, when it is not known yet).
func (db *DB) openSealed(ctx context.Context, key, field string) ([]byte, error) {
	sealed, err := db.Files.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	data, err := db.keys.DecryptBytes(field, sealed)
	if errors.Is(err, keyring.ErrUnknownKey) {
		if err = db.loadKeys(ctx); err == nil {
			data, err = db.keys.DecryptBytes(field, sealed)
		}
	}
	return data, err
}

// FileRefused is the error of a file the policy refuses (files.Refusal),
// naming the field "file".
func FileRefused(err error) error {
	var r *files.Refusal
	if errors.As(err, &r) {
		return hotline.Invalid("file", r.Format, r.Args...)
	}
	return err
}

// checkAttach is the permission check before the file is written (again
// inside the transaction that records it).
func (db *DB) checkAttach(ctx context.Context, actor hotline.Actor, ticketID int64) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t, err := findTicket(ctx, tx, ticketID, false)
	if err != nil {
		return err
	}
	if err := attachAllowed(actor, t); err != nil {
		return err
	}
	return tx.refreshKeys(ctx) // seal under the newest data key

}

func attachAllowed(actor hotline.Actor, t *hotline.Ticket) error {
	if !actor.CanSeeTicket(t) {
		return hotline.Errorf(hotline.ENotFound, "工单不存在")
	} else if !actor.CanAttach(t) {
		return hotline.Errorf(hotline.EForbidden, "工单当前状态为“%s”，%s不能上传附件", t.Status.Label(), actor.Role.Label())
	}
	return nil
}

func (db *DB) insertAttachment(ctx context.Context, actor hotline.Actor, ticketID int64, name, ctype string, size int64, key, thumbKey string, keyID int64) (*hotline.Attachment, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := findTicket(ctx, tx, ticketID, true)
	if err != nil {
		return nil, err
	}
	if err := attachAllowed(actor, t); err != nil {
		return nil, err
	}
	a := &hotline.Attachment{TicketID: ticketID, Name: name, ContentType: ctype, Size: size, HasThumbnail: thumbKey != "",
		UploadedBy: actor.UserID, UploaderName: actor.Name, CreatedAt: tx.now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_attachments (ticket_id, name, content_type, size, storage_key, thumb_key, key_id, uploaded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, ticketID, name, ctype, size, key, thumbKey, keyID,
		nullID(actor.UserID), tx.now.UnixMilli()).Scan(&a.ID); err != nil {
		return nil, err
	}
	ev := &hotline.Event{TicketID: ticketID, Action: hotline.ActionAttach, ActorID: actor.UserID, ActorName: actor.Name,
		FromStatus: t.Status, ToStatus: t.Status, CreatedAt: tx.now,
		Payload: map[string]any{"attachment_id": a.ID, "name": name, "size": size, "content_type": ctype}}
	if err := insertEvent(ctx, tx, ev); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "ticket.attach", ticketTarget(t), fmt.Sprintf("attachment:%d %s (%d B)", a.ID, ctype, size)); err != nil {
		return nil, err
	}
	tx.changed(changeOf(t, hotline.ActionAttach))
	return a, tx.Commit()
}

// loadAttachments gives a ticket its attachments (without their data).
func loadAttachments(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM ticket_attachments a LEFT JOIN users u ON u.id = a.uploaded_by
		WHERE a.ticket_id = $1 ORDER BY a.id`, t.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	t.Attachments = []*hotline.Attachment{}
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return err
		}
		t.Attachments = append(t.Attachments, a)
	}
	return rows.Err()
}

// OpenTicketAttachment returns an attachment and its file (or, with
// thumbnail, its thumbnail) to an actor who may see its ticket — to anyone
// else it does not exist. Each opening of a confidential ticket's
// attachment is written to the audit log.
func (db *DB) OpenTicketAttachment(ctx context.Context, actor hotline.Actor, id int64, thumbnail bool) (*hotline.Attachment, []byte, error) {
	if db.Files == nil {
		return nil, nil, hotline.Errorf(hotline.ENotFound, "附件不存在")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	var key, thumbKey string
	row := tx.QueryRowContext(ctx, `SELECT `+attachmentColumns+`, a.storage_key, a.thumb_key FROM ticket_attachments a
		LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.id = $1`, id)
	a := &hotline.Attachment{}
	var at int64
	err = row.Scan(&a.ID, &a.TicketID, &a.Name, &a.ContentType, &a.Size, &a.HasThumbnail, &a.UploadedBy, &a.UploaderName, &at, &key, &thumbKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, hotline.Errorf(hotline.ENotFound, "附件不存在")
	} else if err != nil {
		return nil, nil, err
	}
	a.CreatedAt = fromMS(at)
	t, err := findTicket(ctx, tx, a.TicketID, false)
	if err != nil {
		return nil, nil, err
	}
	if !actor.CanSeeTicket(t) {
		return nil, nil, hotline.Errorf(hotline.ENotFound, "附件不存在")
	}
	field := attachmentField
	if thumbnail {
		if thumbKey == "" {
			return nil, nil, hotline.Errorf(hotline.ENotFound, "该附件没有缩略图")
		}
		key, field = thumbKey, thumbnailField
	}
	if t.Confidential {
		what := "attachment.download"
		if thumbnail {
			what = "attachment.thumbnail"
		}
		if err := appendAudit(ctx, tx, actor, what, ticketTarget(t), fmt.Sprintf("attachment:%d", a.ID)); err != nil {
			return nil, nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, err
	}
	data, err := db.openSealed(ctx, key, field)
	if err != nil {
		return nil, nil, fmt.Errorf("attachment %d: %w", a.ID, err)
	}
	return a, data, nil
}

// resealAttachments seals every attachment file (and thumbnail) made under
// an older data key again under keyID (resealFiles).
func (db *DB) resealAttachments(ctx context.Context, keyID int64) (int, error) {
	return db.resealFiles(ctx, keyID, "attachment",
		`SELECT id, storage_key, thumb_key FROM ticket_attachments WHERE key_id <> $1 ORDER BY id LIMIT 100`,
		[]string{attachmentField, thumbnailField}, `UPDATE ticket_attachments SET key_id = $1 WHERE id = $2`)
}

// resealFiles seals again under keyID, in place, the files a query lists
// (list: an id, then one store key per field, "" for none; sealed under
// an older key): each file is replaced by rename, then update ($1 key,
// $2 id) makes its row name the new key; a file that cannot be read stops
// the run, to be repeated.
func (db *DB) resealFiles(ctx context.Context, keyID int64, what, list string, fields []string, update string) (int, error) {
	if db.Files == nil {
		return 0, nil
	}
	done := 0
	for {
		rows, err := db.read.QueryContext(ctx, list, keyID)
		if err != nil {
			return done, err
		}
		type file struct {
			id   int64
			keys []string
		}
		var batch []file
		for rows.Next() {
			f := file{keys: make([]string, len(fields))}
			dest := []any{&f.id}
			for i := range f.keys {
				dest = append(dest, &f.keys[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return done, err
			}
			batch = append(batch, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(batch) == 0 {
			return done, err
		}
		for _, f := range batch {
			for i, key := range f.keys {
				if key == "" {
					continue
				}
				sealed, err := db.Files.Get(ctx, key)
				if err != nil {
					return done, fmt.Errorf("%s %d: %w", what, f.id, err)
				}
				plain, err := db.keys.DecryptBytes(fields[i], sealed)
				if err != nil {
					return done, fmt.Errorf("%s %d: %w", what, f.id, err)
				}
				if sealed, err = db.keys.EncryptBytes(fields[i], plain); err != nil {
					return done, err
				}
				if err := db.Files.Put(ctx, key, sealed); err != nil {
					return done, err
				}
			}
			tx, err := db.begin(ctx)
			if err != nil {
				return done, err
			}
			_, err = tx.ExecContext(ctx, update, keyID, f.id)
			if err == nil {
				err = tx.Commit()
			}
			tx.Rollback()
			if err != nil {
				return done, err
			}
			done++
		}
	}
}
