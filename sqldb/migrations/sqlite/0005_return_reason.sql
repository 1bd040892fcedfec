-- The reason of the latest return, shown in the dispatcher's queue until
-- the ticket is dispatched again.
ALTER TABLE tickets ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
