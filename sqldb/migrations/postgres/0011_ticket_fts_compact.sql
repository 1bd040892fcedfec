-- SQLite's ticket index is rebuilt without positions (see its 0011);
-- PostgreSQL's tsvector keeps its form.
SELECT 1;
