-- The role serving instances log in as a member of: it reads tenants, writes the refresh ledger,
-- refreshes the materialized views through tally.refresh_view, and switches to tally_reader for
-- report queries. It can neither read the source tables nor change the schema, so serving
-- instances run with credentials that cannot migrate. A DBA grants it to the serving login:
--   GRANT tally_service TO tally_app;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tally_service') THEN
        CREATE ROLE tally_service NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;

GRANT tally_reader TO tally_service;
-- USAGE on mv lets it name the views (to find their source tables), not read them.
GRANT USAGE ON SCHEMA app, tally, mv, report TO tally_service;
GRANT SELECT ON app.tenants TO tally_service;
GRANT SELECT, INSERT ON tally.refresh_ledger TO tally_service;

-- Refreshing needs ownership of the view (PostgreSQL 15 has no MAINTAIN privilege) and the
-- owner's read access to the source tables. This function lends exactly that and nothing more:
-- it runs as the migration user that owns the views, refreshes only views in schema mv, and
-- returns the view's row count for the ledger.
CREATE FUNCTION tally.refresh_view(view_name text, concurrent boolean)
    RETURNS bigint
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    row_count bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = view_name) THEN
        RAISE EXCEPTION 'mv.% is not a materialized view', view_name USING ERRCODE = 'undefined_table';
    END IF;
    EXECUTE format('REFRESH MATERIALIZED VIEW %s mv.%I', CASE WHEN concurrent THEN 'CONCURRENTLY' ELSE '' END,
                   view_name);
    EXECUTE format('SELECT count(*) FROM mv.%I', view_name) INTO row_count;
    RETURN row_count;
END
$$;

REVOKE ALL ON FUNCTION tally.refresh_view(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tally.refresh_view(text, boolean) TO tally_service;
