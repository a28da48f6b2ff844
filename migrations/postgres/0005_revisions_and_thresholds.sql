-- Every revision of every value, with where it came from: the history behind `observations`
-- (which keeps only the latest) and the feed of the live stream, read in seq order.
CREATE TABLE observation_revisions (
    seq         BIGINT PRIMARY KEY,
    indicator   TEXT NOT NULL,
    unit        TEXT NOT NULL,
    period      TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    source      TEXT NOT NULL,
    simulated   BOOLEAN NOT NULL,
    note        TEXT,
    source_ref  TEXT,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX observation_revisions_key ON observation_revisions (indicator, unit, period, revision);

-- Databases made before this table existed keep at least their latest revisions.
INSERT INTO observation_revisions (seq, indicator, unit, period, revision, value, source, simulated, recorded_at)
SELECT seq, indicator, unit, period, revision, value, source, simulated, updated_at FROM observations;

-- Alert thresholds per indicator (edited by an admin); a value that crosses one is an alert.
-- For an indicator where higher is better, a value below a threshold crosses it; otherwise above.
CREATE TABLE indicator_thresholds (
    indicator  TEXT PRIMARY KEY REFERENCES indicators (code),
    target     DOUBLE PRECISION, -- overrides the catalogue's target when set
    warning    DOUBLE PRECISION,
    critical   DOUBLE PRECISION,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
