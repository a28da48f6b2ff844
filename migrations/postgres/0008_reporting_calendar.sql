-- The reporting regime's settings (Decree 09/2019/NĐ-CP): one row, edited by the admin.
CREATE TABLE reporting_rules (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    cutoff_day            INTEGER NOT NULL CHECK (cutoff_day BETWEEN 1 AND 31),
    deadline_working_days INTEGER NOT NULL CHECK (deadline_working_days BETWEEN 0 AND 30),
    updated_at            TIMESTAMPTZ,
    updated_by            TEXT
);
INSERT INTO reporting_rules (id, cutoff_day, deadline_working_days) VALUES (1, 14, 2);

-- Public holidays besides weekends (days that do not count towards a deadline).
CREATE TABLE holidays (
    day        DATE PRIMARY KEY,
    name       TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
