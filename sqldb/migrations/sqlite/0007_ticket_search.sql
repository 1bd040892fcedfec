-- Full-text index of tickets (title; content and reply), rowid = ticket
-- id, written with the ticket. Tickets from before this migration are
-- indexed by a background pass that records how far it got.
CREATE VIRTUAL TABLE ticket_fts USING fts5(title, body, tokenize = 'unicode61');

CREATE TABLE search_state (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
