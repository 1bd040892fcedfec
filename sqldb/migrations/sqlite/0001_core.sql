-- Core schema: reference data, users, tickets and their events.
-- Timestamps are UTC milliseconds since the Unix epoch (BIGINT) in both
-- dialects, so that SQL is written once and compares the same everywhere.

CREATE TABLE units (
	id        INTEGER PRIMARY KEY,
	code      TEXT NOT NULL UNIQUE,
	name      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	parent_id BIGINT REFERENCES units(id),
	active    BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE categories (
	id        INTEGER PRIMARY KEY,
	parent_id BIGINT REFERENCES categories(id),
	level     INTEGER NOT NULL,
	name      TEXT NOT NULL,
	path      TEXT NOT NULL UNIQUE
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role          TEXT NOT NULL,
	unit_id       BIGINT REFERENCES units(id),
	active        BOOLEAN NOT NULL DEFAULT TRUE,
	created_at    BIGINT NOT NULL
);

CREATE TABLE tokens (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id    BIGINT NOT NULL REFERENCES users(id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	revoked_at BIGINT
);

CREATE TABLE calendar_days (
	day  TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	name TEXT NOT NULL
);

CREATE TABLE sla_policies (
	id             INTEGER PRIMARY KEY,
	appeal_kind    TEXT NOT NULL,
	urgency        TEXT NOT NULL,
	category_id    BIGINT NOT NULL DEFAULT 0,
	ack_value      INTEGER NOT NULL,
	ack_unit       TEXT NOT NULL,
	reply_value    INTEGER NOT NULL,
	reply_unit     TEXT NOT NULL,
	callback_value INTEGER NOT NULL,
	callback_unit  TEXT NOT NULL,
	warning_share  REAL NOT NULL,
	UNIQUE (appeal_kind, urgency, category_id)
);

CREATE TABLE catalogue_versions (
	id         INTEGER PRIMARY KEY,
	note       TEXT NOT NULL,
	created_by BIGINT,
	created_at BIGINT NOT NULL
);

CREATE TABLE catalogue_entries (
	version_id     BIGINT NOT NULL REFERENCES catalogue_versions(id),
	category_id    BIGINT NOT NULL REFERENCES categories(id),
	region_unit_id BIGINT NOT NULL DEFAULT 0,
	lead_unit_id   BIGINT NOT NULL REFERENCES units(id),
	co_unit_ids    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (version_id, category_id, region_unit_id)
);

CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);

CREATE TABLE tickets (
	id                  INTEGER PRIMARY KEY,
	number              TEXT NOT NULL UNIQUE,
	channel             TEXT NOT NULL,
	appeal_kind         TEXT NOT NULL,
	category_id         BIGINT NOT NULL REFERENCES categories(id),
	urgency             TEXT NOT NULL,
	title               TEXT NOT NULL,
	content             TEXT NOT NULL,
	requester_anonymous BOOLEAN NOT NULL,
	requester_name      TEXT NOT NULL,
	requester_phone     TEXT NOT NULL,
	requester_address   TEXT NOT NULL,
	requester_phone_key TEXT NOT NULL,
	location_address    TEXT NOT NULL,
	location_unit_id    BIGINT,
	lat                 REAL,
	lng                 REAL,
	confidential        BOOLEAN NOT NULL,
	status              TEXT NOT NULL,
	owner_id            BIGINT NOT NULL REFERENCES users(id),
	lead_unit_id        BIGINT REFERENCES units(id),
	designated          BOOLEAN NOT NULL DEFAULT FALSE,
	return_count        INTEGER NOT NULL DEFAULT 0,
	reopen_count        INTEGER NOT NULL DEFAULT 0,
	merged_into         BIGINT,
	ack_due_at          BIGINT,
	return_due_at       BIGINT,
	reply_start_at      BIGINT,
	reply_due_at        BIGINT,
	callback_due_at     BIGINT,
	next_due_kind       TEXT NOT NULL DEFAULT '',
	next_due_at         BIGINT,
	next_warn_at        BIGINT,
	sla_state           TEXT NOT NULL DEFAULT 'ok',
	calendar_clock      BOOLEAN NOT NULL DEFAULT FALSE,
	pending_request     TEXT NOT NULL DEFAULT '',
	pending_days        INTEGER NOT NULL DEFAULT 0,
	pending_reason      TEXT NOT NULL DEFAULT '',
	suspended_at        BIGINT,
	reply               TEXT NOT NULL DEFAULT '',
	resolved_on_call    BOOLEAN NOT NULL DEFAULT FALSE,
	callback_done       BOOLEAN NOT NULL DEFAULT FALSE,
	callback_attempts   INTEGER NOT NULL DEFAULT 0,
	rating              TEXT NOT NULL DEFAULT '',
	resolved            BOOLEAN,
	created_at          BIGINT NOT NULL,
	updated_at          BIGINT NOT NULL,
	dispatched_at       BIGINT,
	concluded_at        BIGINT,
	archived_at         BIGINT
);
CREATE INDEX tickets_status ON tickets (status, created_at);
CREATE INDEX tickets_lead_unit ON tickets (lead_unit_id, status);
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_phone_key ON tickets (requester_phone_key);
-- The sweep reads only these two partial indexes.
CREATE INDEX tickets_next_warn ON tickets (next_warn_at) WHERE sla_state = 'ok';
CREATE INDEX tickets_next_due ON tickets (next_due_at) WHERE sla_state <> 'overdue';

CREATE TABLE ticket_co_units (
	ticket_id BIGINT NOT NULL REFERENCES tickets(id),
	unit_id   BIGINT NOT NULL REFERENCES units(id),
	PRIMARY KEY (ticket_id, unit_id)
);
CREATE INDEX ticket_co_units_unit ON ticket_co_units (unit_id);

CREATE TABLE events (
	id          INTEGER PRIMARY KEY,
	ticket_id   BIGINT NOT NULL REFERENCES tickets(id),
	action      TEXT NOT NULL,
	actor_id    BIGINT,
	actor_name  TEXT NOT NULL DEFAULT '',
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	payload     TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL
);
CREATE INDEX events_ticket ON events (ticket_id, id);

CREATE TABLE supervisions (
	id         INTEGER PRIMARY KEY,
	ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
	source     TEXT NOT NULL,
	due_kind   TEXT NOT NULL DEFAULT '',
	due_at     BIGINT NOT NULL,
	unit_id    BIGINT,
	created_by BIGINT,
	note       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
-- One automatic supervision per crossing, however many sweepers race.
CREATE UNIQUE INDEX supervisions_once ON supervisions (ticket_id, source, due_kind, due_at) WHERE source <> 'manual';
CREATE INDEX supervisions_unit ON supervisions (unit_id, created_at);

CREATE TABLE urges (
	id             INTEGER PRIMARY KEY,
	supervision_id BIGINT NOT NULL REFERENCES supervisions(id),
	ticket_id      BIGINT NOT NULL REFERENCES tickets(id),
	actor_id       BIGINT,
	content        TEXT NOT NULL,
	created_at     BIGINT NOT NULL
);
