-- Ticket numbers take their serial from the "ticket" counter row on SQLite
-- (writers are serialised anyway); PostgreSQL uses a sequence.
INSERT INTO counters (name, value) VALUES ('ticket', 0);
