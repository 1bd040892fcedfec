-- The official account's upkeep (公众号维护, issue 20): its menu, pushed
-- articles (policy explainers from the knowledge base) and the monthly
-- hotline bulletin, edited in versions and published with who and when:
-- the record of each update the assessment reads.
CREATE TABLE wechat_contents (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	article_id   BIGINT REFERENCES kb_articles(id),
	version      INTEGER NOT NULL,
	status       TEXT NOT NULL,
	created_by   BIGINT REFERENCES users(id),
	created_at   BIGINT NOT NULL,
	published_by BIGINT REFERENCES users(id),
	published_at BIGINT
);
CREATE INDEX wechat_contents_published ON wechat_contents (published_at);
