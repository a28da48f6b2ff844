-- Targets and plans (issue 25): per indicator, unit and period. A year's row is the target of
-- that year (one value, or a range up to `value_max`); a row of a shorter period is the plan's
-- expected value for it. Each indicator says what its standing is judged by.
ALTER TABLE indicators ADD COLUMN year_total BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE indicators ADD COLUMN standing_by TEXT NOT NULL DEFAULT 'auto';
ALTER TABLE indicators ADD COLUMN at_risk_within DOUBLE PRECISION;
-- The shipped catalogue's flows, as its file now says.
UPDATE indicators SET year_total = TRUE WHERE code IN ('BUDGET_REVENUE','BUDGET_SPENDING','EDOCS_EXCHANGED','ELECTRICITY','EXITED_ENTERPRISES','EXPORT_VALUE','FDI_DISBURSED','FDI_REGISTERED','IMPORT_VALUE','INTL_VISITORS','NEW_ENTERPRISES','RETAIL_SALES','RICE_EXPORT','SOCIAL_HOUSING','TRADE_BALANCE','TRAFFIC_ACCIDENTS','TRAFFIC_DEATHS');
CREATE TABLE targets (
    indicator TEXT NOT NULL REFERENCES indicators (code),
    unit      TEXT NOT NULL REFERENCES units (code),
    period    TEXT NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    value_max DOUBLE PRECISION,
    PRIMARY KEY (indicator, unit, period)
);
CREATE INDEX targets_by_unit ON targets (unit, indicator);
