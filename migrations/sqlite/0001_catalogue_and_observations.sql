-- Catalogue: units and indicators (seeded from server/catalogue at every start).
CREATE TABLE units (
    code       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('national', 'ministry', 'province', 'commune')),
    name_vi    TEXT NOT NULL,
    name_en    TEXT,
    parent     TEXT REFERENCES units (code),
    sort_order INTEGER NOT NULL
);
CREATE INDEX units_parent ON units (parent, sort_order);

CREATE TABLE indicators (
    code           TEXT PRIMARY KEY,
    name_vi        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    measure        TEXT NOT NULL,
    measure_vi     TEXT NOT NULL,
    periodicity    TEXT NOT NULL,
    rollup         TEXT NOT NULL,
    good_direction TEXT NOT NULL,
    owner          TEXT NOT NULL,
    reported_by    TEXT NOT NULL, -- unit kinds, '|'-separated
    target         REAL,
    decimals       INTEGER NOT NULL,
    sort_order     INTEGER NOT NULL
);

-- One system-wide sequence, handed out in commit order: every writing transaction updates
-- this row first, so writers are serialised and a higher seq never commits before a lower one.
CREATE TABLE seq_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO seq_counter (id, value) VALUES (1, 0);

-- The latest revision of each value.
CREATE TABLE observations (
    indicator    TEXT NOT NULL REFERENCES indicators (code),
    unit         TEXT NOT NULL REFERENCES units (code),
    period       TEXT NOT NULL,
    period_start TEXT NOT NULL, -- YYYY-MM-DD, for ordering and ranges
    value        REAL NOT NULL,
    revision     INTEGER NOT NULL,
    source       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'published',
    simulated    INTEGER NOT NULL,
    seq          INTEGER NOT NULL UNIQUE,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (indicator, unit, period)
) WITHOUT ROWID;
CREATE INDEX observations_unit ON observations (unit, indicator, period_start);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
