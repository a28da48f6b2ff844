-- Consistency checks (issue 25): for a figure the provinces report without adding up, how far
-- their mean may lie from a national figure before the period is flagged (NULL: not checked),
-- and which national figure: another indicator's (GDP_GROWTH for GRDP_GROWTH), or by default
-- the indicator's own.
ALTER TABLE indicators ADD COLUMN consistency_within REAL;
ALTER TABLE indicators ADD COLUMN checked_against TEXT;
