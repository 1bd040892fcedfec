-- A background job that must run on one server at a time (scheduled
-- retraining) holds a lease here; a crashed holder's lease runs out.
CREATE TABLE job_leases (
	name       TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,
	expires_at BIGINT NOT NULL
);
