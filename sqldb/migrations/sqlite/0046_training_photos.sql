-- Photos of training sessions and staff activities (活动照片, issue 19),
-- the assessment's evidence: sealed files in the file store like the
-- tickets' attachments, never deleted.
CREATE TABLE training_photos (
	id           INTEGER PRIMARY KEY,
	record_id    BIGINT NOT NULL REFERENCES training_records(id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	storage_key  TEXT NOT NULL UNIQUE,
	thumb_key    TEXT NOT NULL DEFAULT '',
	key_id       BIGINT NOT NULL,
	uploaded_by  BIGINT REFERENCES users(id),
	created_at   BIGINT NOT NULL
);
CREATE INDEX training_photos_record ON training_photos (record_id, id);
