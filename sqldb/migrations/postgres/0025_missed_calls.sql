-- Missed-call callback (未接来电回拨, issue 16): an abandoned call of a real
-- caller waits for an agent to call back and record the result.
ALTER TABLE calls ADD COLUMN callback_at BIGINT;
ALTER TABLE calls ADD COLUMN callback_by BIGINT REFERENCES users(id);
ALTER TABLE calls ADD COLUMN callback_result TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN callback_note TEXT NOT NULL DEFAULT '';
CREATE INDEX calls_missed ON calls (outcome, callback_result, offered_at);
