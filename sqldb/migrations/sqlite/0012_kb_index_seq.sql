-- Every change to an article's search index takes the next number of the
-- "kb" mark (search_state) and records it on the article, so that a
-- server's in-memory copy of the index (zhsearch.Index) reads just the
-- articles changed since the number it has.
ALTER TABLE kb_articles ADD COLUMN index_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX kb_articles_index_seq ON kb_articles (index_seq);
