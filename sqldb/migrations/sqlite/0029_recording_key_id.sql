-- The data key an uploaded recording is sealed under, so that a key
-- rotation seals recordings again like attachments (issue 16).
ALTER TABLE calls ADD COLUMN recording_key_id BIGINT NOT NULL DEFAULT 0;
