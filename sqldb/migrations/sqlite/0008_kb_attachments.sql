-- Files attached to knowledge-base articles (scans of policy documents,
-- forms), kept in the database so a backup holds them.
CREATE TABLE kb_attachments (
	id           INTEGER PRIMARY KEY,
	article_id   BIGINT NOT NULL REFERENCES kb_articles(id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	data         BLOB NOT NULL,
	uploader_id  BIGINT,
	created_at   BIGINT NOT NULL
);
CREATE INDEX kb_attachments_article ON kb_attachments (article_id);
