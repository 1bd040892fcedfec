-- Knowledge base: articles with their versions, categories and links to
-- tickets; the words and synonyms admins add to the segmenter; and the
-- FTS5 index of the articles' segmented text (rowid = article id).
CREATE TABLE kb_articles (
	id           INTEGER PRIMARY KEY,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	answer       TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL,
	unit_id      BIGINT REFERENCES units(id),
	source       TEXT NOT NULL DEFAULT '',
	doc_number   TEXT NOT NULL DEFAULT '',
	effective_on TEXT NOT NULL DEFAULT '',
	expires_on   TEXT NOT NULL DEFAULT '',
	review_on    TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,
	version      INTEGER NOT NULL,
	author_id    BIGINT REFERENCES users(id),
	reviewer_id  BIGINT REFERENCES users(id),
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL,
	published_at BIGINT,
	retired_at   BIGINT
);
CREATE INDEX kb_articles_status ON kb_articles (status, updated_at);
CREATE INDEX kb_articles_review ON kb_articles (review_on) WHERE status = 'published';

CREATE TABLE kb_article_categories (
	article_id  BIGINT NOT NULL REFERENCES kb_articles(id),
	category_id BIGINT NOT NULL REFERENCES categories(id),
	PRIMARY KEY (article_id, category_id)
);
CREATE INDEX kb_article_categories_category ON kb_article_categories (category_id, article_id);

CREATE TABLE kb_versions (
	article_id  BIGINT NOT NULL REFERENCES kb_articles(id),
	version     INTEGER NOT NULL,
	title       TEXT NOT NULL,
	body        TEXT NOT NULL,
	answer      TEXT NOT NULL,
	status      TEXT NOT NULL,
	editor_id   BIGINT,
	editor_name TEXT NOT NULL,
	note        TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	PRIMARY KEY (article_id, version)
);
CREATE INDEX kb_versions_created ON kb_versions (created_at);

CREATE TABLE kb_ticket_links (
	ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
	article_id BIGINT NOT NULL REFERENCES kb_articles(id),
	user_id    BIGINT,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (ticket_id, article_id)
);
CREATE INDEX kb_ticket_links_article ON kb_ticket_links (article_id);

CREATE TABLE kb_dictionary (
	kind       TEXT NOT NULL, -- word | synonyms
	entry      TEXT NOT NULL, -- a word, or a synonym group separated by spaces
	created_at BIGINT NOT NULL,
	PRIMARY KEY (kind, entry)
);

-- tags: status, kind, unit and category tokens, so that filters are part
-- of the match (weight 0 in bm25).
CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tags, tokenize = 'unicode61');
