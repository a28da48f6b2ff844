-- Values far from their history (issue 25): a value arriving from the reporting system is
-- published as sent (the source is trusted) but flagged, with the range its recent history made
-- usual; both bounds are NULL for a usual value. The revision keeps the flag it was judged with.
ALTER TABLE observations ADD COLUMN usual_low DOUBLE PRECISION;
ALTER TABLE observations ADD COLUMN usual_high DOUBLE PRECISION;
ALTER TABLE observation_revisions ADD COLUMN usual_low DOUBLE PRECISION;
ALTER TABLE observation_revisions ADD COLUMN usual_high DOUBLE PRECISION;
-- The alerts in force read the flagged values only.
CREATE INDEX observations_outliers ON observations (indicator, unit, period) WHERE usual_low IS NOT NULL;
