-- The official account's access token (issue 20), kept centrally so that
-- every instance uses one (WeChat allows few fetches a day): sealed like
-- any secret, with when it runs out.
CREATE TABLE wechat_tokens (
	app_id     TEXT PRIMARY KEY,
	token      TEXT NOT NULL,
	expires_at BIGINT NOT NULL
);
