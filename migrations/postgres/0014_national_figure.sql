-- Whether an indicator's national figure is the sum of the units, computed by the store in the
-- transaction that changes a unit's value (computed), or its owner's own (reported), shown with
-- the sum of the units and the difference (issue 24). The built-in sums that are computed are
-- given so here for a database made before this column; a new one gets it from the catalogue.
ALTER TABLE indicators ADD COLUMN national_figure TEXT NOT NULL DEFAULT 'reported';
UPDATE indicators SET national_figure = 'computed'
 WHERE rollup = 'sum' AND formula IS NULL AND code IN ('EXPORT_VALUE', 'IMPORT_VALUE', 'RETAIL_SALES',
   'FDI_DISBURSED', 'NEW_ENTERPRISES', 'EXITED_ENTERPRISES', 'TRAFFIC_ACCIDENTS', 'TRAFFIC_DEATHS',
   'EDOCS_EXCHANGED', 'VNEID_ACTIVATED', 'SOCIAL_HOUSING', 'RICE_EXPORT');
