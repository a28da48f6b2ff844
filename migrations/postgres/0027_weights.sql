-- A weighted mean's weight: the code of a summed indicator whose values weigh the units (the
-- dossiers received for the share handled online), so that a change of the mean splits into
-- the change of each unit's value and the change of its weight. Empty: not split.
ALTER TABLE indicators ADD COLUMN weight TEXT;
