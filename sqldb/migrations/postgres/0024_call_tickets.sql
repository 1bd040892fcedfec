-- The tickets accepted on a call (issue 16): linked at intake (the call
-- the agent answered) or afterwards from the ticket page.
CREATE TABLE call_tickets (
	call_id   BIGINT NOT NULL REFERENCES calls(id),
	ticket_id BIGINT NOT NULL REFERENCES tickets(id),
	linked_by BIGINT REFERENCES users(id),
	linked_at BIGINT NOT NULL,
	PRIMARY KEY (call_id, ticket_id)
);
CREATE INDEX call_tickets_ticket ON call_tickets (ticket_id);
