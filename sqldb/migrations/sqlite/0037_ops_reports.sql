-- Operations reports (运营报告, issue 18): each version of a period's
-- report — the analyst's narrative (分析与建议; the numbers are generated
-- from the figures whenever the report is opened) and whether and when it
-- was submitted to the centre. Saving after a submission starts a new
-- version; the first submission's time decides "on time".
CREATE TABLE ops_reports (
	id           INTEGER PRIMARY KEY,
	period_kind  TEXT NOT NULL,
	period_key   TEXT NOT NULL,
	version      INTEGER NOT NULL,
	narrative    TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,
	created_by   BIGINT REFERENCES users(id),
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL,
	submitted_by BIGINT REFERENCES users(id),
	submitted_at BIGINT,
	UNIQUE (period_kind, period_key, version)
);
