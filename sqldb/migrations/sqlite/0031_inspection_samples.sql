-- Sampled inspection (抽样质检, issue 17): each draw as it was made — the
-- rule, the seed, the period, how many could be drawn and were — so that
-- it can be repeated and checked; its tasks name it (inspections.sample_id).
CREATE TABLE inspection_samples (
	id         INTEGER PRIMARY KEY,
	target     TEXT NOT NULL,
	rule       TEXT NOT NULL,
	seed       BIGINT NOT NULL,
	period_from BIGINT NOT NULL,
	period_to  BIGINT NOT NULL,
	candidates INTEGER NOT NULL,
	drawn      INTEGER NOT NULL,
	drawn_by   BIGINT REFERENCES users(id),
	drawn_at   BIGINT NOT NULL
);
CREATE INDEX inspections_sample ON inspections (sample_id);
