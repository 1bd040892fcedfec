-- Uploaded call recordings (issue 16): the file sealed in the file store
-- (recording_key), its sniffed type; a reference from the PBX stays in
-- calls.recording.
ALTER TABLE calls ADD COLUMN recording_key TEXT NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN recording_type TEXT NOT NULL DEFAULT '';
