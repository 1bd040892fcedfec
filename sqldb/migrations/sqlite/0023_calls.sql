-- Telephony (issue 16): integration keys for the platforms that post to
-- us, every call event as received, and each call's record rebuilt from
-- its events.

-- An integration key (a PBX, a partner platform): only its SHA-256 is kept.
CREATE TABLE api_keys (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	scope        TEXT NOT NULL,
	key_hash     TEXT NOT NULL UNIQUE,
	created_at   BIGINT NOT NULL,
	revoked_at   BIGINT,
	last_used_at BIGINT
);

-- One row per call and kind of event: a repeated event is ignored. The
-- caller's number is not here (it is sealed on the call).
CREATE TABLE call_events (
	id          INTEGER PRIMARY KEY,
	call_id     TEXT NOT NULL,
	event       TEXT NOT NULL,
	at          BIGINT NOT NULL,
	callee      TEXT NOT NULL DEFAULT '',
	queue       TEXT NOT NULL DEFAULT '',
	agent       TEXT NOT NULL DEFAULT '',
	recording   TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT '',
	received_at BIGINT NOT NULL,
	UNIQUE (call_id, event)
);

-- The call record (话务记录). caller_phone is sealed like a requester's,
-- caller_key its blind index; times in ms; wait and talk in ms.
CREATE TABLE calls (
	id           INTEGER PRIMARY KEY,
	call_id      TEXT NOT NULL UNIQUE,
	caller_phone TEXT NOT NULL DEFAULT '',
	caller_key   TEXT NOT NULL DEFAULT '',
	key_id       BIGINT NOT NULL DEFAULT 0,
	callee       TEXT NOT NULL DEFAULT '',
	queue        TEXT NOT NULL DEFAULT '',
	agent        TEXT NOT NULL DEFAULT '',
	agent_id     BIGINT REFERENCES users(id),
	offered_at   BIGINT NOT NULL,
	answered_at  BIGINT,
	ended_at     BIGINT,
	outcome      TEXT NOT NULL,
	wait_ms      BIGINT NOT NULL DEFAULT 0,
	talk_ms      BIGINT NOT NULL DEFAULT 0,
	recording    TEXT NOT NULL DEFAULT '',
	updated_at   BIGINT NOT NULL
);
CREATE INDEX calls_offered ON calls (offered_at);
CREATE INDEX calls_agent ON calls (agent_id, offered_at);
CREATE INDEX calls_caller ON calls (caller_key);
