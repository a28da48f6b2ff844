-- The figures a person follows (issue 26): an indicator at a unit. The notifier tells them of
-- an alert on one (a value past an administrator's threshold, or far from its history), once
-- per period and level.
CREATE TABLE follows (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    unit      TEXT NOT NULL,
    since     TEXT NOT NULL,
    PRIMARY KEY (user_id, indicator, unit)
);
