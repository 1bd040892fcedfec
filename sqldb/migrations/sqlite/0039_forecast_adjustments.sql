-- Forecast adjustments (话务量预测的人工调整, issue 19): a known event
-- (a major activity, a policy announcement) multiplies the forecast calls
-- of the days it covers (dates in China time, inclusive).
CREATE TABLE forecast_adjustments (
	id         INTEGER PRIMARY KEY,
	day_from   TEXT NOT NULL,
	day_to     TEXT NOT NULL,
	factor     DOUBLE PRECISION NOT NULL,
	note       TEXT NOT NULL,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
