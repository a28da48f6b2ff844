-- Notes on the record (ghi chú, issue 25): a day or range of days, for one indicator, a field
-- or all, for every unit or some, kept whole in `body` (JSON); the columns are what the read
-- selects by. A note taken away stays as a row (`removed`), and its history in the audit log.
CREATE TABLE notes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_day   DATE NOT NULL,
    to_day     DATE NOT NULL,
    removed    BOOLEAN NOT NULL DEFAULT FALSE,
    version    BIGINT NOT NULL CHECK (version > 0),
    updated_at TIMESTAMPTZ NOT NULL,
    body       TEXT NOT NULL,
    CHECK (from_day <= to_day)
);
CREATE INDEX notes_by_day ON notes (from_day, to_day);
