-- Ticket numbers take their serial from a sequence on PostgreSQL: a counter
-- row would make every acceptance wait on one row lock until commit.
CREATE SEQUENCE ticket_serial;
