-- Units over time, recorded by administrators (issue 24): a unit is in force from `started`
-- (null: always was) until the day before `ended` (null: still in force), and a unit may be
-- split among several successors, so a succession is keyed by its successor too.
ALTER TABLE units ADD COLUMN started TEXT;
ALTER TABLE units ADD COLUMN ended TEXT;
CREATE TABLE unit_successions_by_successor (
    former_code TEXT NOT NULL,
    former_name TEXT NOT NULL,
    successor   TEXT NOT NULL REFERENCES units (code),
    effective   DATE NOT NULL,
    PRIMARY KEY (former_code, effective, successor)
);
INSERT INTO unit_successions_by_successor (former_code, former_name, successor, effective)
SELECT former_code, former_name, successor, effective FROM unit_successions;
DROP TABLE unit_successions;
ALTER TABLE unit_successions_by_successor RENAME TO unit_successions;
