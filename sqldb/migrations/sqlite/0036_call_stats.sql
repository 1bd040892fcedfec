-- Daily call counts (issue 18): for each day calls were offered on (China
-- time, days since 1970-01-01), the sums behind every call figure
-- (callFigures), in total (dim 'all'), per agent, per queue and per half
-- hour of the day (dim 'slot', 0–47). A day is recounted from its calls
-- when one of them changes: rebuilding a call and calling it back mark
-- its day in call_stats_dirty, in the change's own transaction.
CREATE TABLE call_stats_daily (
	dim         TEXT NOT NULL,
	day         BIGINT NOT NULL,
	dim_key     TEXT NOT NULL,
	offered     BIGINT NOT NULL,
	answered    BIGINT NOT NULL,
	abandoned   BIGINT NOT NULL,
	short       BIGINT NOT NULL,
	within15    BIGINT NOT NULL,
	wait_ms     BIGINT NOT NULL,
	talk_ms     BIGINT NOT NULL,
	talked      BIGINT NOT NULL,
	missed      BIGINT NOT NULL,
	called_back BIGINT NOT NULL,
	PRIMARY KEY (dim, day, dim_key)
);

CREATE TABLE call_stats_dirty (
	day BIGINT PRIMARY KEY
);
INSERT INTO call_stats_dirty (day) SELECT DISTINCT (offered_at + 28800000) / 86400000 FROM calls;
