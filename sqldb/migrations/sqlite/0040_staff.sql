-- Staff records (人员档案, issue 19): the operator's team, linked to a
-- user account where there is one. Name, phone and ID number are sealed
-- like a requester's (the data key that sealed them in key_id). A call
-- agent linked to a record without certified_date (the onboarding exam)
-- cannot accept tickets.
CREATE TABLE staff_members (
	id                    INTEGER PRIMARY KEY,
	user_id               BIGINT UNIQUE REFERENCES users(id),
	name                  TEXT NOT NULL,
	phone                 TEXT NOT NULL,
	id_number             TEXT NOT NULL,
	key_id                BIGINT NOT NULL,
	posts                 TEXT NOT NULL,
	skills                TEXT NOT NULL DEFAULT '',
	education             TEXT NOT NULL DEFAULT '',
	manager               BOOLEAN NOT NULL DEFAULT FALSE,
	status                TEXT NOT NULL,
	hire_date             TEXT NOT NULL,
	certified_date        TEXT NOT NULL DEFAULT '',
	confidentiality_date  TEXT NOT NULL DEFAULT '',
	background_check_date TEXT NOT NULL DEFAULT '',
	notice_date           TEXT NOT NULL DEFAULT '',
	leave_date            TEXT NOT NULL DEFAULT '',
	created_at            BIGINT NOT NULL,
	updated_at            BIGINT NOT NULL
);
