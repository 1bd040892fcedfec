package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"hotline"
	"hotline/wfm"
)

// The associated data training photos are sealed with.
const (
	trainingPhotoField = "training_photo"
	trainingThumbField = "training_photo_thumbnail"
)

// TrainingPhoto is a photo of a training session or staff activity.
type TrainingPhoto struct {
	ID           int64  `json:"id"`
	RecordID     int64  `json:"record_id"`
	Name         string `json:"name"`
	ContentType  string `json:"content_type"`
	HasThumbnail bool   `json:"has_thumbnail"`
}

// canSeeTraining: the operator's managers keep the records, the centre's
// supervisors read them for the assessment.
func canSeeTraining(actor hotline.Actor) error {
	if actor.Role.Has(hotline.PermManageStaff) || actor.Role == hotline.RoleSupervisor {
		return nil
	}
	return hotline.Errorf(hotline.EForbidden, "%s不能查看培训与团建记录", actor.Role.Label())
}

// AddTrainingPhoto attaches a photo to a training or activity record:
// pictures only, sealed and written before the row is committed;
// audited.
func (w *Workforce) AddTrainingPhoto(ctx context.Context, actor hotline.Actor, recordID int64, name string, data []byte) (*TrainingPhoto, error) {
	db := w.db
	if err := canManageStaff(actor); err != nil {
		return nil, err
	}
	if db.Files == nil {
		return nil, hotline.Errorf(hotline.EInternal, "未配置附件存储")
	}
	if err := checkExists(ctx, db.read, "training_records", recordID, "record_id", "培训记录"); err != nil {
		return nil, err
	}
	f, err := db.putSealed(ctx, fmt.Sprintf("training/%d", recordID), name, data, trainingPhotoField, trainingThumbField, true)
	if err != nil {
		return nil, err
	}
	p, err := w.insertPhoto(ctx, actor, recordID, f)
	if err != nil {
		db.dropSealed(ctx, f)
		return nil, err
	}
	return p, nil
}

func (w *Workforce) insertPhoto(ctx context.Context, actor hotline.Actor, recordID int64, f *sealedFile) (*TrainingPhoto, error) {
	tx, err := w.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p := &TrainingPhoto{RecordID: recordID, Name: f.name, ContentType: f.ctype, HasThumbnail: f.thumbKey != ""}
	if err := tx.QueryRowContext(ctx, `INSERT INTO training_photos (record_id, name, content_type, size, storage_key, thumb_key, key_id, uploaded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, recordID, f.name, f.ctype, f.size, f.key, f.thumbKey, f.keyID,
		nullID(actor.UserID), tx.now.UnixMilli()).Scan(&p.ID); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "training.photo", "training:"+strconv.FormatInt(recordID, 10), fmt.Sprintf("photo:%d %s (%d B)", p.ID, f.ctype, f.size)); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// OpenTrainingPhoto returns a photo (or its thumbnail) and its bytes.
func (w *Workforce) OpenTrainingPhoto(ctx context.Context, actor hotline.Actor, id int64, thumbnail bool) (*TrainingPhoto, []byte, error) {
	if err := canSeeTraining(actor); err != nil {
		return nil, nil, err
	}
	if w.db.Files == nil {
		return nil, nil, hotline.Errorf(hotline.ENotFound, "照片不存在")
	}
	p := &TrainingPhoto{ID: id}
	var key, thumbKey string
	err := w.db.read.QueryRowContext(ctx, `SELECT record_id, name, content_type, storage_key, thumb_key FROM training_photos WHERE id = $1`, id).
		Scan(&p.RecordID, &p.Name, &p.ContentType, &key, &thumbKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, hotline.Errorf(hotline.ENotFound, "照片不存在")
	} else if err != nil {
		return nil, nil, err
	}
	p.HasThumbnail = thumbKey != ""
	field := trainingPhotoField
	if thumbnail {
		if thumbKey == "" {
			return nil, nil, hotline.Errorf(hotline.ENotFound, "该照片没有缩略图")
		}
		key, field = thumbKey, trainingThumbField
	}
	data, err := w.db.openSealed(ctx, key, field)
	if err != nil {
		return nil, nil, fmt.Errorf("training photo %d: %w", id, err)
	}
	return p, data, nil
}

// loadPhotos gives the month's records their photo ids.
func (w *Workforce) loadPhotos(ctx context.Context, month string, records []wfm.TrainingRecord) error {
	index := map[int64]int{}
	for i := range records {
		index[records[i].ID] = i
		records[i].Photos = []int64{}
	}
	rows, err := w.db.read.QueryContext(ctx, `SELECT p.id, p.record_id FROM training_photos p JOIN training_records r ON r.id = p.record_id
		WHERE r.day >= $1 AND r.day < $2 ORDER BY p.id`, month+"-01", month+"-99")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, record int64
		if err := rows.Scan(&id, &record); err != nil {
			return err
		}
		if i, ok := index[record]; ok {
			records[i].Photos = append(records[i].Photos, id)
		}
	}
	return rows.Err()
}

// resealTrainingPhotos seals the photos made under an older data key
// again under keyID.
func (db *DB) resealTrainingPhotos(ctx context.Context, keyID int64) (int, error) {
	return db.resealFiles(ctx, keyID, "training photo",
		`SELECT id, storage_key, thumb_key FROM training_photos WHERE key_id <> $1 ORDER BY id LIMIT 100`,
		[]string{trainingPhotoField, trainingThumbField}, `UPDATE training_photos SET key_id = $1 WHERE id = $2`)
}
