-- Ticket attachments (附件, issue 15): the row here, the file sealed under
-- a data key in the file store (storage_key; thumb_key for an image's
-- thumbnail, '' otherwise).
CREATE TABLE ticket_attachments (
	id           INTEGER PRIMARY KEY,
	ticket_id    BIGINT NOT NULL REFERENCES tickets(id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	storage_key  TEXT NOT NULL UNIQUE,
	thumb_key    TEXT NOT NULL DEFAULT '',
	key_id       BIGINT NOT NULL,
	uploaded_by  BIGINT REFERENCES users(id),
	created_at   BIGINT NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments (ticket_id, id);
