-- Views kept as plain tables that a refresh changes in proportion to what changed (docs/reports.md,
-- "Incremental views"): each has a definition view (mv.<view>_definition, the whole computation as
-- a materialized view would hold it), a change log its source tables' statement triggers write the
-- touched keys to, and a function tally.refresh_<view>(full) that recomputes only the logged keys,
-- or everything when full. This table lists them; rebuilt_at is the last full rebuild (null: the
-- table was never built, so the next refresh rebuilds it whatever was asked).
CREATE TABLE tally.incremental_views (
    view_name  text PRIMARY KEY,
    rebuilt_at timestamptz
);
GRANT SELECT ON tally.incremental_views TO tally_service;

-- A full rebuild that leaves unchanged rows alone, as REFRESH ... CONCURRENTLY does: readers keep
-- reading the old rows until commit, and only rows that differ are deleted and inserted. EXCEPT ALL
-- compares whole rows with NULLs equal. key_columns is the table's unique key.
CREATE FUNCTION tally.rebuild_table(view_name text, key_columns text[])
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Quiet about the scratch tables it drops if they exist.
    SET client_min_messages = warning
AS $$
DECLARE
    keys      text := (SELECT string_agg(format('t.%1$I = s.%1$I', k), ' AND ') FROM unnest(key_columns) k);
    row_count bigint;
BEGIN
    EXECUTE 'DROP TABLE IF EXISTS pg_temp.rebuild_fresh';
    EXECUTE format('CREATE TEMP TABLE rebuild_fresh ON COMMIT DROP AS SELECT * FROM mv.%I', view_name || '_definition');
    EXECUTE format('DELETE FROM mv.%1$I t USING (SELECT * FROM mv.%1$I EXCEPT ALL SELECT * FROM pg_temp.rebuild_fresh) s WHERE %2$s',
                   view_name, keys);
    EXECUTE format('INSERT INTO mv.%1$I SELECT * FROM pg_temp.rebuild_fresh EXCEPT ALL SELECT * FROM mv.%1$I', view_name);
    EXECUTE 'DROP TABLE pg_temp.rebuild_fresh';
    UPDATE tally.incremental_views i SET rebuilt_at = clock_timestamp() WHERE i.view_name = rebuild_table.view_name;
    EXECUTE format('SELECT count(*) FROM mv.%I', view_name) INTO row_count;
    RETURN row_count;
END
$$;
REVOKE ALL ON FUNCTION tally.rebuild_table(text, text[]) FROM PUBLIC;

-- The refresher's entry point, now with the kind of refresh: a materialized view is refreshed as
-- before (full_rebuild changes nothing there); an incremental view gets its routine refresh, or a
-- full rebuild when asked or never built. Runs as the owner, as tally.refresh_view(text, boolean).
CREATE FUNCTION tally.refresh_view(view_name text, concurrent boolean, full_rebuild boolean)
    RETURNS bigint
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    built     boolean;
    row_count bigint;
BEGIN
    SELECT i.rebuilt_at IS NOT NULL INTO built FROM tally.incremental_views i WHERE i.view_name = refresh_view.view_name;
    IF built IS NULL THEN
        RETURN tally.refresh_view(view_name, concurrent);
    END IF;
    EXECUTE format('SELECT tally.%I($1)', 'refresh_' || view_name) INTO row_count USING full_rebuild OR NOT built;
    RETURN row_count;
END
$$;
REVOKE ALL ON FUNCTION tally.refresh_view(text, boolean, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tally.refresh_view(text, boolean, boolean) TO tally_service;

-- The instants a tenant-local month can hold, a day wider on each side (a superset whatever the zone
-- does; callers test the exact month), so a month is read as an index range of its tenant's rows.
-- A bound outside PostgreSQL's timestamp range is infinite: the first and last months, and any year
-- a target may name, are read whole rather than raising.
CREATE FUNCTION tally.local_month_instants(time_zone text, year integer, month integer,
                                           OUT first_instant timestamptz, OUT last_instant timestamptz)
    LANGUAGE plpgsql
    STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    BEGIN
        first_instant := (make_timestamp(year, month, 1, 0, 0, 0) AT TIME ZONE time_zone) - interval '1 day';
    EXCEPTION WHEN OTHERS THEN
        first_instant := '-infinity';
    END;
    BEGIN
        last_instant := ((make_timestamp(year, month, 1, 0, 0, 0) + interval '1 month') AT TIME ZONE time_zone) + interval '1 day';
    EXCEPTION WHEN OTHERS THEN
        last_instant := 'infinity';
    END;
END
$$;
