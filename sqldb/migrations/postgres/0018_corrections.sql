-- Corrections by the centre (更正, issue 15): the citizen's own title and
-- content, kept at the first correction of each ('' while uncorrected).
ALTER TABLE tickets ADD COLUMN original_title TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN original_content TEXT NOT NULL DEFAULT '';
