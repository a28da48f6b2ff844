-- Units over time, recorded by administrators (issue 24): a unit is in force from `started`
-- (null: always was) until the day before `ended` (null: still in force), and a unit may be
-- split among several successors, so a succession is keyed by its successor too.
ALTER TABLE units ADD COLUMN started DATE, ADD COLUMN ended DATE;
ALTER TABLE unit_successions DROP CONSTRAINT unit_successions_pkey,
    ADD PRIMARY KEY (former_code, effective, successor);
