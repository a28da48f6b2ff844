-- Targets posted through the API (issue 25): an API token may also set the targets and plans of
-- its own units when its administrator says so. Entering data does not carry that right: the
-- Government sets a province's target, not the province's reporting system.
ALTER TABLE api_tokens ADD COLUMN sets_targets BOOLEAN NOT NULL DEFAULT FALSE;
