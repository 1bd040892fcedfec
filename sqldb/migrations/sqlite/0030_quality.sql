-- Quality inspection (质检, issue 17): versioned scorecards, and the
-- inspection tasks of calls and tickets with their scores and objections.

-- A scorecard version; items as JSON (quality.Item). A new version of a
-- card gets a new row under the same name and target; inspections keep
-- the row they were scored on.
CREATE TABLE scorecards (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	target     TEXT NOT NULL,
	version    INTEGER NOT NULL,
	pass_score INTEGER NOT NULL,
	items      TEXT NOT NULL,
	active     BOOLEAN NOT NULL,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	UNIQUE (target, name, version)
);

-- An inspection task (quality.Inspection): of a ticket and/or a call, of
-- one agent's work, for one inspector; marks as JSON (quality.Mark).
CREATE TABLE inspections (
	id               INTEGER PRIMARY KEY,
	ticket_id        BIGINT REFERENCES tickets(id),
	call_id          BIGINT REFERENCES calls(id),
	agent_id         BIGINT REFERENCES users(id),
	reason           TEXT NOT NULL,
	status           TEXT NOT NULL,
	inspector_id     BIGINT REFERENCES users(id),
	due_at           BIGINT NOT NULL,
	created_at       BIGINT NOT NULL,
	card_id          BIGINT REFERENCES scorecards(id),
	marks            TEXT NOT NULL DEFAULT '',
	comment          TEXT NOT NULL DEFAULT '',
	typical_case     TEXT NOT NULL DEFAULT '',
	score            INTEGER NOT NULL DEFAULT 0,
	fatal            BOOLEAN NOT NULL DEFAULT FALSE,
	passed           BOOLEAN NOT NULL DEFAULT FALSE,
	scored_at        BIGINT,
	scored_by        BIGINT REFERENCES users(id),
	objection        TEXT NOT NULL DEFAULT '',
	objected_at      BIGINT,
	objection_due_at BIGINT,
	decided_by       BIGINT REFERENCES users(id),
	decided_at       BIGINT,
	upheld           BOOLEAN NOT NULL DEFAULT FALSE,
	decision         TEXT NOT NULL DEFAULT '',
	score_before     INTEGER NOT NULL DEFAULT 0,
	sample_id        BIGINT
);
CREATE INDEX inspections_status ON inspections (status, due_at);
CREATE INDEX inspections_agent ON inspections (agent_id, created_at);
CREATE INDEX inspections_ticket ON inspections (ticket_id, reason);
CREATE INDEX inspections_call ON inspections (call_id, reason);
CREATE INDEX inspections_created ON inspections (created_at);
CREATE INDEX inspections_inspector ON inspections (inspector_id, status, due_at);
