-- Explanation requests (yêu cầu giải trình, issue 25): a question to a unit about one figure,
-- and the exchange that follows, kept whole in `body` (JSON); the columns are what lists and
-- counts select by. `due` is the latest question's due day; `state` open, answered, accepted.
CREATE TABLE explanations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator  TEXT NOT NULL REFERENCES indicators (code),
    unit       TEXT NOT NULL REFERENCES units (code),
    period     TEXT NOT NULL,
    state      TEXT NOT NULL,
    due        DATE NOT NULL,
    version    BIGINT NOT NULL CHECK (version > 0),
    updated_at TIMESTAMPTZ NOT NULL,
    body       TEXT NOT NULL
);
CREATE INDEX explanations_by_unit ON explanations (unit, state);
CREATE INDEX explanations_by_figure ON explanations (indicator, unit, period);
