-- Return review (派单异议审核, issue 15): a unit's return is a request the
-- centre approves or rejects. One row per request; decision is '' while it
-- waits, then 'approved' or 'rejected'.
CREATE TABLE ticket_returns (
	id                INTEGER PRIMARY KEY,
	ticket_id         BIGINT NOT NULL REFERENCES tickets(id),
	unit_id           BIGINT NOT NULL REFERENCES units(id),
	reason            TEXT NOT NULL,
	suggested_unit_id BIGINT REFERENCES units(id),
	requested_by      BIGINT REFERENCES users(id),
	requested_at      BIGINT NOT NULL,
	due_at            BIGINT NOT NULL,
	decision          TEXT NOT NULL DEFAULT '',
	decided_by        BIGINT REFERENCES users(id),
	decided_at        BIGINT,
	decision_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_returns_ticket ON ticket_returns (ticket_id, id);
CREATE INDEX ticket_returns_decided ON ticket_returns (decided_at, unit_id);

-- The unit a return suggested, preselected at the next dispatch.
ALTER TABLE tickets ADD COLUMN suggested_unit_id BIGINT REFERENCES units(id);

-- Returns taken before review existed were approved as they were made.
INSERT INTO ticket_returns (ticket_id, unit_id, reason, requested_by, requested_at, due_at, decision, decided_at)
	SELECT e.ticket_id, us.unit_id, e.reason, e.actor_id, e.created_at, e.created_at, 'approved', e.created_at
	FROM events e JOIN users us ON us.id = e.actor_id
	WHERE e.action = 'return' AND us.unit_id IS NOT NULL
	ORDER BY e.id;
