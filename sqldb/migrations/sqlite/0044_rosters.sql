-- Rosters (排班, issue 19): a month's roster as generated (a draft until
-- published), its shifts (who, on which post, standby or not) and what
-- it could not cover (JSON list of gaps with their reasons).
CREATE TABLE rosters (
	month        TEXT PRIMARY KEY,
	status       TEXT NOT NULL,
	uncovered    TEXT NOT NULL,
	generated_by BIGINT REFERENCES users(id),
	generated_at BIGINT NOT NULL,
	published_at BIGINT
);

CREATE TABLE roster_shifts (
	id        INTEGER PRIMARY KEY,
	month     TEXT NOT NULL REFERENCES rosters(month),
	day       TEXT NOT NULL,
	shift     TEXT NOT NULL,
	member_id BIGINT NOT NULL REFERENCES staff_members(id),
	post      TEXT NOT NULL,
	standby   BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX roster_shifts_month ON roster_shifts (month, day);
