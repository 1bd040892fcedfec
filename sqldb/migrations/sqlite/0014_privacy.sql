-- Privacy repairs (issue 13).
--
-- A password set by an admin (a reset) must be changed at the next login.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- Every caller-history lookup, for the per-user limits and the burst alert.
-- phone_key is the keyed blind index of the number, never the number.
CREATE TABLE caller_lookups (
	id        INTEGER PRIMARY KEY,
	user_id   BIGINT NOT NULL REFERENCES users(id),
	at        BIGINT NOT NULL,
	phone_key TEXT NOT NULL
);
CREATE INDEX caller_lookups_user_at ON caller_lookups (user_id, at);

-- Security alerts for the admins' home page (each also in the audit log).
CREATE TABLE security_alerts (
	id          INTEGER PRIMARY KEY,
	at          BIGINT NOT NULL,
	kind        TEXT NOT NULL,
	user_id     BIGINT REFERENCES users(id),
	detail      TEXT NOT NULL,
	resolved_at BIGINT,
	resolved_by BIGINT REFERENCES users(id)
);
CREATE INDEX security_alerts_open ON security_alerts (resolved_at, at);

-- Anonymous means anonymous: an anonymous ticket keeps no name and no
-- address (only the phone, for the callback). Empty is the sealed form of
-- an empty value.
UPDATE tickets SET requester_name = '', requester_address = '' WHERE requester_anonymous;
