-- The progress of a background job an admin started (training a dispatch
-- model, re-indexing the knowledge base), kept here so that every server
-- behind a load balancer shows the same state. running is claimed by the
-- server that runs it; again asks it to run once more when it ends.
CREATE TABLE job_progress (
	name       TEXT PRIMARY KEY,
	state      TEXT NOT NULL,
	running    BOOLEAN NOT NULL DEFAULT FALSE,
	again      BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at BIGINT NOT NULL
);
