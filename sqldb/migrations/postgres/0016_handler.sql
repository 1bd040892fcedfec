-- The named handler (经办人) inside the lead unit who works a ticket.
ALTER TABLE tickets ADD COLUMN handler_id BIGINT REFERENCES users(id);
CREATE INDEX tickets_handler ON tickets (handler_id, status);
