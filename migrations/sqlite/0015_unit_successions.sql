-- Units over time (issue 24): a former unit, the unit that took it over and from which day.
-- The 2025 reorganisation (63 provinces into 34) is written here from the reference list the
-- program ships with; a former code may be in use again by another unit, so it is not a unit.
CREATE TABLE unit_successions (
    former_code TEXT NOT NULL,
    former_name TEXT NOT NULL,
    successor   TEXT NOT NULL REFERENCES units (code),
    effective   DATE NOT NULL,
    PRIMARY KEY (former_code, effective)
);
