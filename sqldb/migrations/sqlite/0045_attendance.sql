-- Attendance (在岗台账, issue 19): sign-ins and sign-outs (from the seat
-- status, the sign-in button, or an approved correction), never deleted;
-- corrections asked for with a reason and approved or rejected; roster
-- requests (a swap or leave) with their decision; and the notices that
-- tell staff of a change to a published roster.
CREATE TABLE attendance_punches (
	id            INTEGER PRIMARY KEY,
	member_id     BIGINT NOT NULL REFERENCES staff_members(id),
	kind          TEXT NOT NULL,
	at            BIGINT NOT NULL,
	source        TEXT NOT NULL,
	correction_id BIGINT,
	created_at    BIGINT NOT NULL
);
CREATE INDEX attendance_punches_at ON attendance_punches (at);
CREATE INDEX attendance_punches_member ON attendance_punches (member_id, at);

CREATE TABLE attendance_corrections (
	id           INTEGER PRIMARY KEY,
	member_id    BIGINT NOT NULL REFERENCES staff_members(id),
	kind         TEXT NOT NULL,
	at           BIGINT NOT NULL,
	reason       TEXT NOT NULL,
	status       TEXT NOT NULL,
	requested_by BIGINT REFERENCES users(id),
	requested_at BIGINT NOT NULL,
	decided_by   BIGINT REFERENCES users(id),
	decided_at   BIGINT,
	note         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE roster_requests (
	id              INTEGER PRIMARY KEY,
	month           TEXT NOT NULL REFERENCES rosters(month),
	kind            TEXT NOT NULL,
	member_id       BIGINT NOT NULL REFERENCES staff_members(id),
	day             TEXT NOT NULL,
	shift           TEXT NOT NULL,
	other_member_id BIGINT REFERENCES staff_members(id),
	other_day       TEXT NOT NULL DEFAULT '',
	other_shift     TEXT NOT NULL DEFAULT '',
	reason          TEXT NOT NULL,
	status          TEXT NOT NULL,
	requested_at    BIGINT NOT NULL,
	decided_by      BIGINT REFERENCES users(id),
	decided_at      BIGINT,
	note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX roster_requests_month ON roster_requests (month, status);

CREATE TABLE roster_notices (
	id         INTEGER PRIMARY KEY,
	member_id  BIGINT NOT NULL REFERENCES staff_members(id),
	month      TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	read_at    BIGINT
);
CREATE INDEX roster_notices_member ON roster_notices (member_id, created_at);
