-- Public disclosure (信息公开, issue 20): concluded tickets the centre
-- publishes on the portal, redacted (the requester removed, personal
-- data in the text masked), with who proposed and who approved them.
CREATE TABLE disclosures (
	id            INTEGER PRIMARY KEY,
	ticket_id     BIGINT NOT NULL UNIQUE REFERENCES tickets(id),
	title         TEXT NOT NULL,
	content       TEXT NOT NULL,
	reply         TEXT NOT NULL,
	category      TEXT NOT NULL DEFAULT '',
	findings      INTEGER NOT NULL DEFAULT 0,
	status        TEXT NOT NULL,
	proposed_by   BIGINT REFERENCES users(id),
	proposed_at   BIGINT NOT NULL,
	approved_by   BIGINT REFERENCES users(id),
	approved_name TEXT NOT NULL DEFAULT '',
	published_at  BIGINT
);
CREATE INDEX disclosures_status ON disclosures (status, published_at);
