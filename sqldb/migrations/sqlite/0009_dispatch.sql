-- Dispatch models trained on the deployment's own concluded tickets (one
-- active per target), and what each dispatch was suggested beside what
-- the dispatcher chose: the dispatch-accuracy figure.
CREATE TABLE dispatch_models (
	id         INTEGER PRIMARY KEY,
	target     TEXT NOT NULL, -- unit | category
	trained_on INTEGER NOT NULL,
	accuracy   REAL NOT NULL,
	macro_f1   REAL NOT NULL,
	report     TEXT NOT NULL,
	data       BLOB NOT NULL,
	active     BOOLEAN NOT NULL DEFAULT FALSE,
	created_by BIGINT,
	created_at BIGINT NOT NULL
);

CREATE TABLE dispatch_suggestions (
	id                INTEGER PRIMARY KEY,
	ticket_id         BIGINT NOT NULL REFERENCES tickets(id),
	model_id          BIGINT REFERENCES dispatch_models(id),
	suggested_unit_id BIGINT,
	confidence        REAL NOT NULL,
	catalogue_unit_id BIGINT,
	final_unit_id     BIGINT NOT NULL,
	actor_id          BIGINT,
	created_at        BIGINT NOT NULL
);
CREATE INDEX dispatch_suggestions_created ON dispatch_suggestions (created_at);

-- Settings of the centre that are not reference data (name → value).
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
