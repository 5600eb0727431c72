-- salesVsTarget: gross sales of paid orders per tenant-local month, its weekend part, and the month's target.
--
-- Incremental (V7, docs/reports.md "Incremental views"): mv.sales_vs_target is a plain table with the
-- rows of mv.sales_vs_target_definition. Statement triggers on the source tables log every tenant-local
-- month a write touched (an order's month, the month of an order whose lines changed, a target's
-- month; a tenant whose zone changed logs the whole tenant, a TRUNCATE everything) and the routine
-- refresh recomputes only those months, each an index range of its tenant's orders. A month nobody
-- wrote to never changes, so closed months are kept as they are, and a late row (an order refunded a
-- year later, a target set afterwards) reopens exactly its month. The full rebuild (daily, and an
-- admin's refreshReport) heals what triggers cannot see (triggers disabled, a replica-role load).
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the table from scratch.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = 'sales_vs_target') THEN
        DROP MATERIALIZED VIEW mv.sales_vs_target CASCADE;
    END IF;
END
$$;
DROP TABLE IF EXISTS mv.sales_vs_target CASCADE;
DROP VIEW IF EXISTS mv.sales_vs_target_definition CASCADE;
DROP TABLE IF EXISTS tally.sales_vs_target_changes;

-- The whole view, as the materialized view was defined: the full rebuild reads it, and pgTAP holds
-- the incremental table to it row for row.
CREATE VIEW mv.sales_vs_target_definition AS
-- Lines are summed themselves, never an order's total per line, so an order with several lines
-- counts each line once.
WITH local_lines AS (
    SELECT l.tenant_id,
           -- Clamped inside PostgreSQL's timestamp range first, so the shift cannot overflow (see R__daily_revenue.sql).
           least(greatest(o.created_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE t.time_zone AS local_created_at,
           l.gross_amount_cents
    FROM app.order_lines l
    JOIN app.orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
    JOIN app.tenants t ON t.id = l.tenant_id
    WHERE o.status = 'paid'
),
monthly_sales AS (
    SELECT tenant_id,
           extract(year FROM local_created_at)::int  AS year,
           extract(month FROM local_created_at)::int AS month,
           sum(gross_amount_cents) AS gross_sales_cents,
           -- ISO day of week: 6 = Saturday, 7 = Sunday, in the tenant's zone.
           coalesce(sum(gross_amount_cents) FILTER (WHERE extract(isodow FROM local_created_at) IN (6, 7)), 0)
               AS weekend_gross_sales_cents
    FROM local_lines
    GROUP BY 1, 2, 3
)
-- A month can have sales without a target or a target without sales: keep both.
SELECT coalesce(s.tenant_id, g.tenant_id)            AS tenant_id,
       coalesce(s.year, g.year)                      AS year,
       coalesce(s.month, g.month)                    AS month,
       -- Sums of bigint stay numeric: they may pass bigint, and a refresh must not fail on them.
       coalesce(s.gross_sales_cents, 0)              AS gross_sales_cents,
       coalesce(s.weekend_gross_sales_cents, 0)      AS weekend_gross_sales_cents,
       g.target_cents,
       -- No target, or a target of 0, has no attainment (null, not 0 or infinity).
       CASE WHEN g.target_cents > 0
            THEN round(coalesce(s.gross_sales_cents, 0) * 100.0 / g.target_cents, 2)::float8
       END                                           AS attainment_percent
FROM monthly_sales s
FULL JOIN app.sales_targets g
       ON g.tenant_id = s.tenant_id AND g.year = s.year AND g.month = s.month;

CREATE TABLE mv.sales_vs_target AS SELECT * FROM mv.sales_vs_target_definition WITH NO DATA;
-- Led by tenant_id so every read is one tenant's index range, and the key a month is replaced by.
CREATE UNIQUE INDEX sales_vs_target_key ON mv.sales_vs_target (tenant_id, year, month);

-- Months written to since the last refresh. year and month null: every month of the tenant;
-- tenant_id null too: every tenant. Duplicates are fine; the refresh takes each once.
CREATE TABLE tally.sales_vs_target_changes (
    tenant_id text,
    year      integer,
    month     integer
);

-- The tenant-local month of an instant, exactly as the definition computes it.
CREATE OR REPLACE FUNCTION tally.sales_month(created_at timestamptz, time_zone text, OUT year integer, OUT month integer)
    LANGUAGE sql
    STABLE
AS $$
    SELECT extract(year FROM m)::int, extract(month FROM m)::int
    FROM (SELECT least(greatest(created_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE time_zone) AS x (m)
$$;

-- Triggers run as the writer; these functions run as the owner, so writers need no grant on the log.
-- Only paid orders reach the view: an order's month is logged when it was or becomes paid.
CREATE OR REPLACE FUNCTION tally.sales_vs_target_orders_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.sales_vs_target_changes VALUES (NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.sales_vs_target_changes
        SELECT DISTINCT r.tenant_id, (tally.sales_month(r.created_at, t.time_zone)).*
        FROM new_rows r JOIN app.tenants t ON t.id = r.tenant_id
        WHERE r.status = 'paid';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.sales_vs_target_changes
        SELECT DISTINCT r.tenant_id, (tally.sales_month(r.created_at, t.time_zone)).*
        FROM old_rows r JOIN app.tenants t ON t.id = r.tenant_id
        WHERE r.status = 'paid';
    END IF;
    RETURN NULL;
END
$$;

-- A line's month is its order's; a line whose order is not paid changes nothing.
CREATE OR REPLACE FUNCTION tally.sales_vs_target_lines_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.sales_vs_target_changes VALUES (NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.sales_vs_target_changes
        SELECT DISTINCT o.tenant_id, (tally.sales_month(o.created_at, t.time_zone)).*
        FROM (SELECT DISTINCT tenant_id, order_id FROM new_rows) r
        JOIN app.orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
        JOIN app.tenants t ON t.id = o.tenant_id
        WHERE o.status = 'paid';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.sales_vs_target_changes
        SELECT DISTINCT o.tenant_id, (tally.sales_month(o.created_at, t.time_zone)).*
        FROM (SELECT DISTINCT tenant_id, order_id FROM old_rows) r
        JOIN app.orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
        JOIN app.tenants t ON t.id = o.tenant_id
        WHERE o.status = 'paid';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION tally.sales_vs_target_targets_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.sales_vs_target_changes VALUES (NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.sales_vs_target_changes SELECT DISTINCT tenant_id, year, month FROM new_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.sales_vs_target_changes SELECT DISTINCT tenant_id, year, month FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

-- A tenant whose zone changed has every order in a different local month, maybe: all of it again.
CREATE OR REPLACE FUNCTION tally.sales_vs_target_tenants_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO tally.sales_vs_target_changes
    SELECT DISTINCT n.id, NULL::integer, NULL::integer
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.time_zone IS DISTINCT FROM o.time_zone;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS sales_vs_target_inserted ON app.orders;
DROP TRIGGER IF EXISTS sales_vs_target_updated ON app.orders;
DROP TRIGGER IF EXISTS sales_vs_target_deleted ON app.orders;
DROP TRIGGER IF EXISTS sales_vs_target_truncated ON app.orders;
CREATE TRIGGER sales_vs_target_inserted AFTER INSERT ON app.orders REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_orders_changed();
CREATE TRIGGER sales_vs_target_updated AFTER UPDATE ON app.orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_orders_changed();
CREATE TRIGGER sales_vs_target_deleted AFTER DELETE ON app.orders REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_orders_changed();
CREATE TRIGGER sales_vs_target_truncated AFTER TRUNCATE ON app.orders
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_orders_changed();

DROP TRIGGER IF EXISTS sales_vs_target_inserted ON app.order_lines;
DROP TRIGGER IF EXISTS sales_vs_target_updated ON app.order_lines;
DROP TRIGGER IF EXISTS sales_vs_target_deleted ON app.order_lines;
DROP TRIGGER IF EXISTS sales_vs_target_truncated ON app.order_lines;
CREATE TRIGGER sales_vs_target_inserted AFTER INSERT ON app.order_lines REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_lines_changed();
CREATE TRIGGER sales_vs_target_updated AFTER UPDATE ON app.order_lines REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_lines_changed();
CREATE TRIGGER sales_vs_target_deleted AFTER DELETE ON app.order_lines REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_lines_changed();
CREATE TRIGGER sales_vs_target_truncated AFTER TRUNCATE ON app.order_lines
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_lines_changed();

DROP TRIGGER IF EXISTS sales_vs_target_inserted ON app.sales_targets;
DROP TRIGGER IF EXISTS sales_vs_target_updated ON app.sales_targets;
DROP TRIGGER IF EXISTS sales_vs_target_deleted ON app.sales_targets;
DROP TRIGGER IF EXISTS sales_vs_target_truncated ON app.sales_targets;
CREATE TRIGGER sales_vs_target_inserted AFTER INSERT ON app.sales_targets REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_targets_changed();
CREATE TRIGGER sales_vs_target_updated AFTER UPDATE ON app.sales_targets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_targets_changed();
CREATE TRIGGER sales_vs_target_deleted AFTER DELETE ON app.sales_targets REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_targets_changed();
CREATE TRIGGER sales_vs_target_truncated AFTER TRUNCATE ON app.sales_targets
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_targets_changed();

DROP TRIGGER IF EXISTS sales_vs_target_zone_changed ON app.tenants;
CREATE TRIGGER sales_vs_target_zone_changed AFTER UPDATE ON app.tenants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.sales_vs_target_tenants_changed();

-- The routine refresh: the logged months again, each from its tenant's orders of that month only
-- (the (tenant_id, created_at) index of V5); a whole tenant from the definition. Full: everything.
-- The log is taken first, so every change it held is visible to the reads that follow; a change
-- committed meanwhile stays logged and is recomputed again next time, which is harmless.
CREATE OR REPLACE FUNCTION tally.refresh_sales_vs_target(full_rebuild boolean)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Quiet about the scratch tables it drops if they exist.
    SET client_min_messages = warning
AS $$
DECLARE
    row_count bigint;
BEGIN
    DROP TABLE IF EXISTS pg_temp.sales_vs_target_changed;
    CREATE TEMP TABLE sales_vs_target_changed ON COMMIT DROP AS
    WITH taken AS (DELETE FROM tally.sales_vs_target_changes RETURNING tenant_id, year, month)
    SELECT DISTINCT tenant_id, year, month FROM taken;
    IF full_rebuild OR EXISTS (SELECT 1 FROM pg_temp.sales_vs_target_changed WHERE tenant_id IS NULL) THEN
        RETURN tally.rebuild_table('sales_vs_target', ARRAY['tenant_id', 'year', 'month']);
    END IF;

    -- Whole tenants (a zone changed) first; their months need no second pass.
    DELETE FROM mv.sales_vs_target s USING pg_temp.sales_vs_target_changed c
    WHERE c.year IS NULL AND s.tenant_id = c.tenant_id;
    INSERT INTO mv.sales_vs_target
    SELECT d.* FROM mv.sales_vs_target_definition d
    WHERE d.tenant_id IN (SELECT tenant_id FROM pg_temp.sales_vs_target_changed WHERE year IS NULL);
    DELETE FROM pg_temp.sales_vs_target_changed c
    WHERE c.year IS NOT NULL
      AND c.tenant_id IN (SELECT tenant_id FROM pg_temp.sales_vs_target_changed WHERE year IS NULL);

    DELETE FROM mv.sales_vs_target s USING pg_temp.sales_vs_target_changed c
    WHERE s.tenant_id = c.tenant_id AND s.year = c.year AND s.month = c.month;
    INSERT INTO mv.sales_vs_target
    -- The same computation as the definition, over the changed months only.
    WITH months AS MATERIALIZED (
        SELECT c.tenant_id, c.year, c.month, t.time_zone, b.first_instant, b.last_instant
        FROM pg_temp.sales_vs_target_changed c
        JOIN app.tenants t ON t.id = c.tenant_id
        CROSS JOIN LATERAL tally.local_month_instants(t.time_zone, c.year, c.month) b
        WHERE c.year IS NOT NULL
    ),
    local_lines AS (
        SELECT m.tenant_id, m.year, m.month, x.local_created_at, x.gross_amount_cents
        FROM months m
        CROSS JOIN LATERAL (
            SELECT least(greatest(o.created_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE m.time_zone AS local_created_at,
                   l.gross_amount_cents
            FROM app.orders o
            JOIN app.order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
            WHERE o.tenant_id = m.tenant_id
              AND o.created_at >= m.first_instant AND o.created_at <= m.last_instant
              AND o.status = 'paid'
            OFFSET 0
        ) x
        WHERE extract(year FROM x.local_created_at)::int = m.year
          AND extract(month FROM x.local_created_at)::int = m.month
    ),
    monthly_sales AS (
        SELECT tenant_id, year, month,
               sum(gross_amount_cents) AS gross_sales_cents,
               coalesce(sum(gross_amount_cents) FILTER (WHERE extract(isodow FROM local_created_at) IN (6, 7)), 0)
                   AS weekend_gross_sales_cents
        FROM local_lines
        GROUP BY 1, 2, 3
    ),
    targets AS (
        SELECT g.* FROM app.sales_targets g JOIN months m USING (tenant_id, year, month)
    )
    SELECT coalesce(s.tenant_id, g.tenant_id),
           coalesce(s.year, g.year),
           coalesce(s.month, g.month),
           coalesce(s.gross_sales_cents, 0),
           coalesce(s.weekend_gross_sales_cents, 0),
           g.target_cents,
           CASE WHEN g.target_cents > 0
                THEN round(coalesce(s.gross_sales_cents, 0) * 100.0 / g.target_cents, 2)::float8
           END
    FROM monthly_sales s
    FULL JOIN targets g
           ON g.tenant_id = s.tenant_id AND g.year = s.year AND g.month = s.month;

    SELECT count(*) INTO row_count FROM mv.sales_vs_target;
    RETURN row_count;
END
$$;
REVOKE ALL ON FUNCTION tally.refresh_sales_vs_target(boolean) FROM PUBLIC;

INSERT INTO tally.incremental_views (view_name, rebuilt_at) VALUES ('sales_vs_target', NULL)
ON CONFLICT (view_name) DO UPDATE SET rebuilt_at = NULL;

CREATE VIEW report.sales_vs_target WITH (security_barrier) AS
SELECT * FROM mv.sales_vs_target
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.sales_vs_target TO tally_reader;
