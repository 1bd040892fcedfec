-- The official account's answers (issue 20): one per message or event,
-- so that WeChat's retries get the same reply (a retry while the first
-- is in progress waits for it). Kept a day.
CREATE TABLE wechat_replies (
	msg_key    TEXT PRIMARY KEY,
	status     TEXT NOT NULL,
	reply      TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX wechat_replies_created ON wechat_replies (created_at);
