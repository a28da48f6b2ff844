-- The catalogue is the Government Office's own, edited while the centre runs (issue 24): an
-- indicator's field, how its change is said, the values it may take, the formula of a derived
-- indicator and when it was retired. The built-in catalogue is written once, into an empty
-- database; the rows already here are given their values by that first start after this
-- migration (meta key catalogue_seeded absent), and the Government's edits after it.
ALTER TABLE indicators ADD COLUMN field TEXT NOT NULL DEFAULT 'macro';
ALTER TABLE indicators ADD COLUMN change_kind TEXT NOT NULL DEFAULT 'percent';
ALTER TABLE indicators ADD COLUMN valid_min REAL;
ALTER TABLE indicators ADD COLUMN valid_max REAL;
ALTER TABLE indicators ADD COLUMN formula TEXT;
ALTER TABLE indicators ADD COLUMN retired_at TEXT;
