-- Báo cáo: one unit's report of its data set for one period, from draft to approval.
-- The whole report (values, notes, who and when, the approver's comment, a correction's reason)
-- is kept as JSON in `body`; the columns beside it are what lists and checks query. Values in
-- a report reach `observations` only when it is approved, in the same transaction.
CREATE TABLE reports (
    unit         TEXT NOT NULL,
    period       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    version      BIGINT NOT NULL CHECK (version > 0),
    submitted_at TEXT,
    updated_at   TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (unit, period)
);
CREATE INDEX reports_by_period ON reports (period, status);
