-- Repeat calls about an open ticket (重复来电, issue 15): the citizen
-- urges (urge) or adds information (info). unit_id is the lead unit when
-- the call came, for the units' urge figures.
CREATE TABLE ticket_supplements (
	id         INTEGER PRIMARY KEY,
	ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
	kind       TEXT NOT NULL,
	content    TEXT NOT NULL,
	unit_id    BIGINT REFERENCES units(id),
	actor_id   BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX ticket_supplements_ticket ON ticket_supplements (ticket_id, id);
CREATE INDEX ticket_supplements_unit ON ticket_supplements (unit_id, kind, created_at);

ALTER TABLE tickets ADD COLUMN repeat_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN urge_count INTEGER NOT NULL DEFAULT 0;
