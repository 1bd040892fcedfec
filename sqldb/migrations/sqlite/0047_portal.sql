-- The citizen channels (issue 20): every SMS sent or refused (the phone
-- as a blind index and masked, never the text: it may hold a code), the
-- verification codes (hashed), and the portal's used proof-of-work
-- tokens (each good once).
CREATE TABLE sms_messages (
	id           INTEGER PRIMARY KEY,
	phone_index  TEXT NOT NULL,
	phone_masked TEXT NOT NULL,
	kind         TEXT NOT NULL,
	status       TEXT NOT NULL,
	ref          TEXT NOT NULL DEFAULT '',
	error        TEXT NOT NULL DEFAULT '',
	ticket_id    BIGINT REFERENCES tickets(id),
	created_at   BIGINT NOT NULL
);
CREATE INDEX sms_messages_phone ON sms_messages (phone_index, created_at);

CREATE TABLE sms_codes (
	id          INTEGER PRIMARY KEY,
	phone_index TEXT NOT NULL,
	purpose     TEXT NOT NULL,
	code_hash   TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	expires_at  BIGINT NOT NULL,
	used_at     BIGINT,
	created_at  BIGINT NOT NULL
);
CREATE INDEX sms_codes_phone ON sms_codes (phone_index, purpose, created_at);

CREATE TABLE portal_tokens (
	token_hash TEXT PRIMARY KEY,
	expires_at BIGINT NOT NULL
);
