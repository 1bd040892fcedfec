-- Seat status (坐席状态, issue 16): what each agent has set, and since
-- when; busy on a call is derived from the calls.
CREATE TABLE seats (
	user_id BIGINT PRIMARY KEY REFERENCES users(id),
	status  TEXT NOT NULL,
	since   BIGINT NOT NULL
);
CREATE INDEX calls_talking ON calls (outcome, agent_id);
