-- Access control and personal-data protection: wrapped data keys, the
-- hash-chained audit log, login throttling and richer tokens/sessions.

CREATE TABLE data_keys (
	id         INTEGER PRIMARY KEY,
	purpose    TEXT NOT NULL,
	algorithm  TEXT NOT NULL,
	wrapped    TEXT NOT NULL,
	active     BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL
);
-- One blind-index key for ever: two would split a caller's history.
CREATE UNIQUE INDEX data_keys_one_index ON data_keys (purpose) WHERE purpose = 'index';

-- Which data key sealed a ticket's requester fields, so rotation finds the
-- rows still under an old key by index.
ALTER TABLE tickets ADD COLUMN requester_key_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tickets_requester_key ON tickets (requester_key_id);

-- The audit log is append-only and hash-chained. Appends spread over a few
-- chains so that concurrent transactions do not queue on one head row; each
-- chain is verified on its own.
CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY,
	chain      INTEGER NOT NULL,
	seq        BIGINT NOT NULL,
	at         BIGINT NOT NULL,
	actor_id   BIGINT,
	actor_name TEXT NOT NULL,
	action     TEXT NOT NULL,
	target     TEXT NOT NULL,
	detail     TEXT NOT NULL,
	ip         TEXT NOT NULL,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL,
	UNIQUE (chain, seq)
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

CREATE TABLE audit_heads (
	chain INTEGER PRIMARY KEY,
	seq   BIGINT NOT NULL,
	hash  TEXT NOT NULL
);
INSERT INTO audit_heads (chain, seq, hash) VALUES (0, 0, ''), (1, 0, ''), (2, 0, ''), (3, 0, ''), (4, 0, ''), (5, 0, ''), (6, 0, ''), (7, 0, '');

CREATE TABLE login_failures (
	username     TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	locked_until BIGINT NOT NULL,
	last_at      BIGINT NOT NULL
);

ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
ALTER TABLE tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN csrf TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN ip TEXT NOT NULL DEFAULT '';
CREATE INDEX tokens_user ON tokens (user_id);
