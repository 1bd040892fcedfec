-- Early warnings (预测预警, issue 18): a surge of a category in a
-- district, a new hotspot or a hard issue (难点), raised from the data by
-- the background job. subject says what it is about, so that the same
-- thing is raised once (a surge once a week, a hotspot or a hard issue
-- once) and brought up to date while it lasts; the team lead or a
-- manager acknowledges it and closes it with a note.
CREATE TABLE early_warnings (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,
	subject     TEXT NOT NULL UNIQUE,
	title       TEXT NOT NULL,
	evidence    TEXT NOT NULL,
	ticket_ids  TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'open',
	note        TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	handled_by  BIGINT REFERENCES users(id),
	handled_at  BIGINT
);
CREATE INDEX early_warnings_status ON early_warnings (status, created_at);
