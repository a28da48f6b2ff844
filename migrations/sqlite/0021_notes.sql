-- Notes on the record (ghi chú, issue 25): a day or range of days, for one indicator, a field
-- or all, for every unit or some, kept whole in `body` (JSON); the columns are what the read
-- selects by. A note taken away stays as a row (`removed`), and its history in the audit log.
CREATE TABLE notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    removed    BOOLEAN NOT NULL DEFAULT FALSE,
    version    INTEGER NOT NULL CHECK (version > 0),
    updated_at TEXT NOT NULL,
    body       TEXT NOT NULL,
    CHECK (from_day <= to_day)
);
CREATE INDEX notes_by_day ON notes (from_day, to_day);
