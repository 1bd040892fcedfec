-- Indexes for the work queues and lists over large ticket tables: each
-- queue's count and first page read an index, not the table.
CREATE INDEX tickets_due_status ON tickets (next_due_at, status);
CREATE INDEX tickets_unit_status_due ON tickets (lead_unit_id, status, next_due_at);
CREATE INDEX tickets_pending ON tickets (created_at) WHERE pending_request <> '';
CREATE INDEX tickets_callback ON tickets (next_due_at) WHERE status = 'concluded' AND NOT callback_done;
CREATE INDEX tickets_owner ON tickets (owner_id, status);
