-- Rankings read one indicator for one period across many units: by period, not by unit.
CREATE INDEX observations_period ON observations (indicator, period_start, unit);
