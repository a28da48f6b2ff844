-- Values arrive in batches of up to 10,000 rows, and each row paid for two foreign-key triggers
-- (each a query of its own, locking the catalogue row) and a fourth index (`seq UNIQUE`) that
-- nothing reads: about half of the database's time per row (docs/performance.md, "Ingest").
-- The store now checks a batch's codes against the catalogue once per batch, in the writing
-- transaction (`write_observations`), and seq stays unique through `observation_revisions`,
-- whose key it is and which every write fills in the same transaction. Catalogue rows in use
-- cannot be removed or renamed (the triggers below), the other half of what the keys guarded.
ALTER TABLE observations
    DROP CONSTRAINT observations_seq_key,
    DROP CONSTRAINT observations_indicator_fkey,
    DROP CONSTRAINT observations_unit_fkey;

CREATE FUNCTION unit_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'DELETE' OR OLD.code <> NEW.code)
       AND EXISTS (SELECT 1 FROM observations WHERE unit = OLD.code) THEN
        RAISE EXCEPTION 'đơn vị đã có số liệu (unit has values): %', OLD.code
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER units_in_use BEFORE DELETE OR UPDATE OF code ON units
    FOR EACH ROW EXECUTE FUNCTION unit_in_use();

CREATE FUNCTION indicator_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'DELETE' OR OLD.code <> NEW.code)
       AND EXISTS (SELECT 1 FROM observations WHERE indicator = OLD.code) THEN
        RAISE EXCEPTION 'chỉ tiêu đã có số liệu (indicator has values): %', OLD.code
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER indicators_in_use BEFORE DELETE OR UPDATE OF code ON indicators
    FOR EACH ROW EXECUTE FUNCTION indicator_in_use();
