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

-- One function for both tables: the column of `observations` that names the row (TG_ARGV[0])
-- and what to call it in the refusal (TG_ARGV[1]) are the trigger's arguments.
CREATE FUNCTION catalogue_row_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used BOOLEAN;
BEGIN
    IF TG_OP = 'DELETE' OR OLD.code <> NEW.code THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM observations WHERE %I = $1)', TG_ARGV[0])
            INTO used USING OLD.code;
        IF used THEN
            RAISE EXCEPTION '% đã có số liệu (% has values): %', TG_ARGV[1], TG_ARGV[0], OLD.code
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER units_in_use BEFORE DELETE OR UPDATE OF code ON units
    FOR EACH ROW EXECUTE FUNCTION catalogue_row_in_use('unit', 'đơn vị');
CREATE TRIGGER indicators_in_use BEFORE DELETE OR UPDATE OF code ON indicators
    FOR EACH ROW EXECUTE FUNCTION catalogue_row_in_use('indicator', 'chỉ tiêu');
