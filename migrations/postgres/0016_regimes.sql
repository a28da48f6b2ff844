-- Reporting regimes as data (issue 24): several in force at once, each with its own content,
-- reporting units, periodicity, cut-off and deadline (Decree 09/2019/NĐ-CP). The one set of
-- rules in `reporting_rules` becomes the rules of the built-in regimes below, whose indicators
-- are filled at the next start from the catalogue (every indicator of the periodicity that
-- the regime's kinds report), as the forms had them. Reports are made under a regime.
CREATE TABLE regimes (
    code                  TEXT PRIMARY KEY,
    name_vi               TEXT NOT NULL,
    name_en               TEXT NOT NULL,
    legal_basis           TEXT NOT NULL,
    periodicity           TEXT NOT NULL,
    kinds                 TEXT NOT NULL,             -- ministry|province|commune
    units                 TEXT NOT NULL DEFAULT '',  -- 01|79, or empty: every unit of the kinds
    cutoff_day            INTEGER NOT NULL CHECK (cutoff_day BETWEEN 1 AND 31),
    deadline_working_days INTEGER NOT NULL CHECK (deadline_working_days BETWEEN 0 AND 30),
    indicators            TEXT NOT NULL,             -- codes in the form's order, |-separated
    in_force_from         DATE,                      -- reports due from this day on (null: always)
    retired_at            TIMESTAMPTZ,
    sort_order            INTEGER NOT NULL
);
INSERT INTO regimes (code, name_vi, name_en, legal_basis, periodicity, kinds, cutoff_day,
                     deadline_working_days, indicators, sort_order)
SELECT v.code, v.name_vi, v.name_en, 'Nghị định 09/2019/NĐ-CP', v.periodicity, v.kinds,
       r.cutoff_day, CASE WHEN v.periodicity = 'weekly' THEN 1 ELSE r.deadline_working_days END,
       '', v.sort_order
FROM reporting_rules r, (VALUES
    ('KTXH-THANG', 'Báo cáo tình hình kinh tế - xã hội hằng tháng',
     'Monthly socio-economic report', 'monthly', 'ministry|province|commune', 0),
    ('KTXH-QUY', 'Báo cáo tình hình kinh tế - xã hội quý',
     'Quarterly socio-economic report', 'quarterly', 'ministry|province|commune', 1),
    ('KTXH-6THANG', 'Báo cáo tình hình kinh tế - xã hội 6 tháng',
     'Half-year socio-economic report', 'half_yearly', 'ministry|province|commune', 2),
    ('KTXH-NAM', 'Báo cáo tình hình kinh tế - xã hội năm',
     'Yearly socio-economic report', 'yearly', 'ministry|province|commune', 3),
    ('GNDTC-TUAN', 'Báo cáo tình hình giải ngân vốn đầu tư công hằng tuần',
     'Weekly public-investment disbursement report', 'weekly', 'ministry|province', 4)
) AS v (code, name_vi, name_en, periodicity, kinds, sort_order)
WHERE r.id = 1;
DROP TABLE reporting_rules;

-- A report is one unit's for one period under one regime. Reports made before regimes were
-- data belong to the built-in regime of their period's kind.
ALTER TABLE reports ADD COLUMN regime TEXT NOT NULL DEFAULT '';
UPDATE reports SET regime = CASE WHEN period LIKE '%-Q%' THEN 'KTXH-QUY'
                                 WHEN period LIKE '%-H%' THEN 'KTXH-6THANG'
                                 WHEN length(period) = 4 THEN 'KTXH-NAM'
                                 ELSE 'KTXH-THANG' END;
ALTER TABLE reports ALTER COLUMN regime DROP DEFAULT;
ALTER TABLE reports DROP CONSTRAINT reports_pkey;
ALTER TABLE reports ADD PRIMARY KEY (regime, unit, period);
CREATE INDEX reports_by_unit ON reports (unit, updated_at);
