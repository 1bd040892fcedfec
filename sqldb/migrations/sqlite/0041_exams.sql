-- Exams (考试, issue 19): each bank's questions (options one per line,
-- the answer as the right options' letters), and each attempt a staff
-- member makes: the questions drawn when it started, the score when it
-- was handed in. Passing the onboarding exam certifies the member.
CREATE TABLE exam_questions (
	id         INTEGER PRIMARY KEY,
	bank       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	text       TEXT NOT NULL,
	options    TEXT NOT NULL,
	answer     TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX exam_questions_bank ON exam_questions (bank, id);

CREATE TABLE exam_attempts (
	id           INTEGER PRIMARY KEY,
	member_id    BIGINT NOT NULL REFERENCES staff_members(id),
	bank         TEXT NOT NULL,
	question_ids TEXT NOT NULL,
	started_at   BIGINT NOT NULL,
	submitted_at BIGINT,
	score        INTEGER,
	passed       BOOLEAN
);
CREATE INDEX exam_attempts_member ON exam_attempts (member_id, id);
