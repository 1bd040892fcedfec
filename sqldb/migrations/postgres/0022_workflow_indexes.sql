-- Indexes for the unit queues of issue 15, counted on every unit's home
-- page: 未分配经办人 (no handler yet), 市民催办 (urged by citizens) and
-- 待审核下级答复 (a child unit's reply to review).
CREATE INDEX tickets_unit_handler ON tickets (lead_unit_id, handler_id, status);
CREATE INDEX tickets_urged ON tickets (lead_unit_id, status, urge_count);
CREATE INDEX tickets_sub_status ON tickets (lead_unit_id, sub_status) WHERE sub_status <> '';
