-- A screen's layout and playlist (JSON of model::display::DisplayConfig); NULL: the default.
ALTER TABLE displays ADD COLUMN config TEXT;

-- Changes other than values, in the same system-wide seq as values (taken from seq_counter in
-- the writing transaction): the live stream reads them together with observation_revisions.
CREATE TABLE change_log (
    seq         BIGINT PRIMARY KEY,
    topic       TEXT NOT NULL,   -- for example 'display:3', 'tasks'
    payload     TEXT NOT NULL,   -- JSON: the `data` of the update message
    recorded_at TIMESTAMPTZ NOT NULL
);
