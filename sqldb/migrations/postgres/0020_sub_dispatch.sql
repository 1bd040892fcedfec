-- Sub-dispatch (二级派单, issue 15): the lead unit forwards a ticket to a
-- child unit, which replies to the lead; the lead reviews and replies.
ALTER TABLE tickets ADD COLUMN sub_unit_id BIGINT REFERENCES units(id);
ALTER TABLE tickets ADD COLUMN sub_status TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN sub_reply TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_sub_unit ON tickets (sub_unit_id, status);
