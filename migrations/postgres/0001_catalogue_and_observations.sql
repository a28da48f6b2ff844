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
    target         DOUBLE PRECISION,
    decimals       SMALLINT NOT NULL,
    sort_order     INTEGER NOT NULL
);

-- One system-wide sequence, handed out in commit order: every writing transaction locks and
-- updates this row first, so a higher seq never commits before a lower one (a PostgreSQL
-- SEQUENCE would not guarantee that).
CREATE TABLE seq_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO seq_counter (id, value) VALUES (1, 0);

-- The latest revision of each value.
CREATE TABLE observations (
    indicator    TEXT NOT NULL REFERENCES indicators (code),
    unit         TEXT NOT NULL REFERENCES units (code),
    period       TEXT NOT NULL,
    period_start DATE NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    revision     INTEGER NOT NULL,
    source       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'published',
    simulated    BOOLEAN NOT NULL,
    seq          BIGINT NOT NULL UNIQUE,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (indicator, unit, period)
);
CREATE INDEX observations_unit ON observations (unit, indicator, period_start);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
