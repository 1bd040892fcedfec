-- The callbacks of a month (the coverage of unsatisfied tickets, issue 17),
-- covering the ticket ids.
CREATE INDEX events_action_time ON events (action, created_at, ticket_id);
