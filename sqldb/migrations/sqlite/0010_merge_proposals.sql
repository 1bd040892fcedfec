-- Merge proposals (并单) found by the indexer job for new tickets that
-- wait to be dispatched: the most similar open ticket, shown in the
-- dispatcher's queue. The ticket page computes its proposals live.
CREATE TABLE merge_proposals (
	ticket_id  BIGINT PRIMARY KEY REFERENCES tickets(id),
	similar_id BIGINT NOT NULL REFERENCES tickets(id),
	similarity REAL NOT NULL,
	found_at   BIGINT NOT NULL
);
