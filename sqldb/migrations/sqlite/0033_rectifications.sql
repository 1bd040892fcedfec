-- Rectification (整改, issue 17): a quality problem's closed loop, its
-- limits (response, plan) and each step with who and when.
CREATE TABLE rectifications (
	id            INTEGER PRIMARY KEY,
	source        TEXT NOT NULL,
	inspection_id BIGINT REFERENCES inspections(id),
	agent_id      BIGINT REFERENCES users(id),
	problem       TEXT NOT NULL,
	status        TEXT NOT NULL,
	created_at    BIGINT NOT NULL,
	created_by    BIGINT REFERENCES users(id),
	response_due  BIGINT NOT NULL,
	plan_due      BIGINT NOT NULL,
	responded_at  BIGINT,
	planned_at    BIGINT,
	closed_at     BIGINT
);
CREATE INDEX rectifications_status ON rectifications (status, response_due);
CREATE INDEX rectifications_created ON rectifications (created_at);
CREATE UNIQUE INDEX rectifications_inspection ON rectifications (inspection_id);

CREATE TABLE rectification_steps (
	id        INTEGER PRIMARY KEY,
	rect_id   BIGINT NOT NULL REFERENCES rectifications(id),
	step      TEXT NOT NULL,
	actor_id  BIGINT REFERENCES users(id),
	at        BIGINT NOT NULL,
	text      TEXT NOT NULL,
	passed    BOOLEAN,
	link      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rectification_steps_rect ON rectification_steps (rect_id, id);
