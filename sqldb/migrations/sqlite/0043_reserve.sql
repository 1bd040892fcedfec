-- The reserve pool (储备人员, issue 19): staff records marked reserve,
-- and call-ups — a number of people asked for a gap (48 h) or a surge
-- (2 h), each asked member's confirmation and arrival.
ALTER TABLE staff_members ADD COLUMN reserve BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE call_ups (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL,
	need         INTEGER NOT NULL,
	note         TEXT NOT NULL,
	warning_id   BIGINT REFERENCES early_warnings(id),
	requested_by BIGINT REFERENCES users(id),
	requested_at BIGINT NOT NULL,
	deadline_at  BIGINT NOT NULL
);

CREATE TABLE call_up_responses (
	call_up_id   BIGINT NOT NULL REFERENCES call_ups(id),
	member_id    BIGINT NOT NULL REFERENCES staff_members(id),
	asked_at     BIGINT NOT NULL,
	confirmed_at BIGINT,
	arrived_at   BIGINT,
	PRIMARY KEY (call_up_id, member_id)
);
