-- Live monitoring (实时监控, issue 17): an inspector or team lead listens
-- to a seat on the PBX; we record who, which seat, the call then, when,
-- how long, and what was found.
CREATE TABLE live_monitoring (
	id          INTEGER PRIMARY KEY,
	observer_id BIGINT NOT NULL REFERENCES users(id),
	agent_id    BIGINT NOT NULL REFERENCES users(id),
	call_id     BIGINT REFERENCES calls(id),
	started_at  BIGINT NOT NULL,
	ended_at    BIGINT,
	findings    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX live_monitoring_started ON live_monitoring (started_at);
CREATE INDEX live_monitoring_observer ON live_monitoring (observer_id, ended_at);
