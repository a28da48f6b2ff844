-- Values arrive in batches of up to 10,000 rows, and each row paid for two foreign-key lookups
-- (indicator, unit) and a fourth B-tree (`seq UNIQUE`) that nothing reads: about a third of the
-- writer's time (docs/performance.md, "Ingest"). The store now checks a batch's codes against
-- the catalogue once per batch, in the writing transaction (`write_observations`), and seq stays
-- unique through `observation_revisions`, whose key it is and which every write fills in the
-- same transaction. Catalogue rows in use cannot be removed or renamed (the triggers below),
-- which is the other half of what the foreign keys guarded.
CREATE TABLE observations_new (
    indicator    TEXT NOT NULL,
    unit         TEXT NOT NULL,
    period       TEXT NOT NULL,
    period_start TEXT NOT NULL, -- YYYY-MM-DD, for ordering and ranges
    value        REAL NOT NULL,
    revision     INTEGER NOT NULL,
    source       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'published',
    simulated    INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (indicator, unit, period)
) WITHOUT ROWID;
INSERT INTO observations_new (indicator, unit, period, period_start, value, revision, source, status, simulated, seq, updated_at)
SELECT indicator, unit, period, period_start, value, revision, source, status, simulated, seq, updated_at FROM observations;
DROP TABLE observations;
ALTER TABLE observations_new RENAME TO observations;
CREATE INDEX observations_unit ON observations (unit, indicator, period_start);
CREATE INDEX observations_period ON observations (indicator, period_start, unit);

CREATE TRIGGER units_in_use BEFORE DELETE ON units
WHEN EXISTS (SELECT 1 FROM observations WHERE unit = OLD.code)
BEGIN SELECT RAISE(ABORT, 'đơn vị đã có số liệu (unit has values)'); END;
CREATE TRIGGER units_code_in_use BEFORE UPDATE OF code ON units
WHEN OLD.code <> NEW.code AND EXISTS (SELECT 1 FROM observations WHERE unit = OLD.code)
BEGIN SELECT RAISE(ABORT, 'đơn vị đã có số liệu (unit has values)'); END;
CREATE TRIGGER indicators_in_use BEFORE DELETE ON indicators
WHEN EXISTS (SELECT 1 FROM observations WHERE indicator = OLD.code)
BEGIN SELECT RAISE(ABORT, 'chỉ tiêu đã có số liệu (indicator has values)'); END;
CREATE TRIGGER indicators_code_in_use BEFORE UPDATE OF code ON indicators
WHEN OLD.code <> NEW.code AND EXISTS (SELECT 1 FROM observations WHERE indicator = OLD.code)
BEGIN SELECT RAISE(ABORT, 'chỉ tiêu đã có số liệu (indicator has values)'); END;
