-- The monthly briefs (issue 26): each version of a month's brief, kept whole in `body` (the
-- brief as composed at its seq, JSON) and `record` (its state, commentary, who composed and
-- who finalised it, JSON); the columns are what reads select by. A final version is never
-- changed: a correction is the month's next version.
CREATE TABLE briefs (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month      TEXT NOT NULL,
    version    BIGINT NOT NULL CHECK (version > 0),
    final      BOOLEAN NOT NULL DEFAULT FALSE,
    meeting    BIGINT,
    revision   BIGINT NOT NULL CHECK (revision > 0),
    updated_at TIMESTAMPTZ NOT NULL,
    record     TEXT NOT NULL,
    body       TEXT NOT NULL,
    UNIQUE (month, version)
);
CREATE INDEX briefs_by_meeting ON briefs (meeting);
