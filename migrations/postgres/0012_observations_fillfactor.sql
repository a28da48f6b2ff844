-- Room on each page of `observations` for the new version of a revised value. A revision
-- changes no indexed column, so when the page has room PostgreSQL writes the new version beside
-- the old one and adds no index entries (a HOT update): a batch of corrections then writes one
-- row version instead of a version and three index entries per value. Pages written before this
-- migration keep their fill until they are rewritten. Measured in docs/performance.md (Ingest).
ALTER TABLE observations SET (fillfactor = 80);
