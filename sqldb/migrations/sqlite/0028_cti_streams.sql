-- How far each event-stream adapter (the FreeSWITCH event socket, issue
-- 16) got: the switch's run (Core-UUID) and its last applied
-- Event-Sequence, written in the transaction that applies the events, so
-- that a reconnect or a restart applies nothing twice.
CREATE TABLE cti_streams (
	stream     TEXT PRIMARY KEY,
	origin     TEXT NOT NULL,
	seq        BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
