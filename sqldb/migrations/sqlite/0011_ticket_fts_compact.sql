-- The ticket index keeps no positions (detail = none): tickets are listed
-- by date, not ranked, and searched by single tokens, so positions were
-- most of the index and most of the work of merging it (a million tickets
-- indexed at a few hundred a second). Rebuilt by the indexer job, from
-- the first ticket, in the background.
DROP TABLE ticket_fts;
CREATE VIRTUAL TABLE ticket_fts USING fts5(title, body, tokenize = 'unicode61', detail = none);
DELETE FROM search_state WHERE name IN ('tickets', 'merge_proposals');
