-- Training sessions and staff activities (培训、团建与员工关怀, issue 19)
-- and who took part (staff records); the assessment reads the month's.
CREATE TABLE training_records (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	title      TEXT NOT NULL,
	day        TEXT NOT NULL,
	hours      DOUBLE PRECISION NOT NULL,
	place      TEXT NOT NULL DEFAULT '',
	trainer    TEXT NOT NULL DEFAULT '',
	notes      TEXT NOT NULL DEFAULT '',
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX training_records_day ON training_records (day);

CREATE TABLE training_participants (
	record_id BIGINT NOT NULL REFERENCES training_records(id),
	member_id BIGINT NOT NULL REFERENCES staff_members(id),
	PRIMARY KEY (record_id, member_id)
);
