-- Each callback's rating (回访评价), narrow and indexed, written with the
-- callback's event: the coverage of unsatisfied tickets reads a month's
-- 不满意 callbacks here instead of looking up every callback's ticket
-- (issue 17). Rebuildable from the events, as here.
CREATE TABLE callback_ratings (
	event_id  BIGINT PRIMARY KEY REFERENCES events(id),
	ticket_id BIGINT NOT NULL REFERENCES tickets(id),
	at        BIGINT NOT NULL,
	rating    TEXT NOT NULL
);
CREATE INDEX callback_ratings_rating ON callback_ratings (rating, at);
INSERT INTO callback_ratings (event_id, ticket_id, at, rating)
	SELECT id, ticket_id, created_at, COALESCE(json_extract(payload, '$.rating'), '') FROM events
	WHERE action = 'callback' AND payload <> '' AND json_valid(payload);
