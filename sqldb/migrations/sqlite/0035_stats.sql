-- Daily ticket counts (issue 18): for each day a ticket was accepted on
-- (China time, days since 1970-01-01), what its tickets count for in each
-- dimension (report.Contribute). A day is recomputed from its tickets when
-- one of them changes: every event and knowledge-base link marks the
-- ticket's day in stats_dirty, in the change's own transaction.
CREATE TABLE stats_daily (
	dim     TEXT NOT NULL,
	day     BIGINT NOT NULL,
	dim_key TEXT NOT NULL,
	tickets BIGINT NOT NULL DEFAULT 0,
	direct_answers BIGINT NOT NULL DEFAULT 0,
	dispatched BIGINT NOT NULL DEFAULT 0,
	dispatches BIGINT NOT NULL DEFAULT 0,
	ack_on_time BIGINT NOT NULL DEFAULT 0,
	concluded BIGINT NOT NULL DEFAULT 0,
	on_time BIGINT NOT NULL DEFAULT 0,
	overdue BIGINT NOT NULL DEFAULT 0,
	extensions BIGINT NOT NULL DEFAULT 0,
	returns_approved BIGINT NOT NULL DEFAULT 0,
	returns_rejected BIGINT NOT NULL DEFAULT 0,
	supervisions BIGINT NOT NULL DEFAULT 0,
	urges BIGINT NOT NULL DEFAULT 0,
	evaluated BIGINT NOT NULL DEFAULT 0,
	satisfied BIGINT NOT NULL DEFAULT 0,
	unsatisfied BIGINT NOT NULL DEFAULT 0,
	resolved_known BIGINT NOT NULL DEFAULT 0,
	resolved BIGINT NOT NULL DEFAULT 0,
	callback_due BIGINT NOT NULL DEFAULT 0,
	called_back BIGINT NOT NULL DEFAULT 0,
	concluded_ever BIGINT NOT NULL DEFAULT 0,
	reopened BIGINT NOT NULL DEFAULT 0,
	kb_linked BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (dim, day, dim_key)
);

CREATE TABLE stats_dirty (
	day BIGINT PRIMARY KEY
);
INSERT INTO stats_dirty (day) SELECT DISTINCT (created_at + 28800000) / 86400000 FROM tickets;
