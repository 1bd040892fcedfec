-- Full-text index of tickets (title weight A; content and reply), written
-- with the ticket. Tickets from before this migration are indexed by a
-- background pass that records how far it got.
ALTER TABLE tickets ADD COLUMN search tsvector;
CREATE INDEX tickets_search ON tickets USING GIN (search);

CREATE TABLE search_state (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
