-- salesVsTarget: gross sales of paid orders per tenant-local month, its weekend part, and the month's target.
--
-- Incremental (V7, docs/reports.md "Incremental views"): mv.sales_vs_target is a plain table with the
-- rows of mv.sales_vs_target_definition, summed from mv.sales_vs_target_days, the paid lines' sum per
-- tenant-local day (only days with paid lines have a row; the weekend part of a month is the sum of
-- its Saturdays and Sundays, so a day row is all a month needs). Statement triggers on the source
-- tables log every tenant-local day a write touched (an order's day, the day of an order whose lines
-- changed), a target's month, a tenant whose zone changed (the whole tenant) or everything (TRUNCATE);
-- the routine refresh recomputes only the logged days, each an index range of its tenant's orders,
-- then the months holding them (at most 31 day rows each) and the logged targets' months. A late row
-- (an order refunded a year later) reopens exactly its day, not its month. The full rebuild (daily,
-- and an admin's refreshReport) heals what triggers cannot see (triggers disabled, a replica-role load).
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the tables from scratch.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = 'sales_vs_target') THEN
        DROP MATERIALIZED VIEW mv.sales_vs_target CASCADE;
    END IF;
END
$$;
DROP TABLE IF EXISTS mv.sales_vs_target CASCADE;
DROP VIEW IF EXISTS mv.sales_vs_target_definition CASCADE;
DROP TABLE IF EXISTS mv.sales_vs_target_days;
DROP VIEW IF EXISTS mv.sales_vs_target_days_definition;
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

-- The paid lines' sum per tenant-local day, as the definition shifts each order into its tenant's
-- zone (the same clamp); the full rebuild reads it, the routine refresh keeps the table to it.
CREATE VIEW mv.sales_vs_target_days_definition AS
SELECT l.tenant_id,
       (least(greatest(o.created_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE t.time_zone)::date AS day,
       -- numeric, as in the definition: a day's sum may pass bigint.
       sum(l.gross_amount_cents) AS gross_sales_cents
FROM app.order_lines l
JOIN app.orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
JOIN app.tenants t ON t.id = l.tenant_id
WHERE o.status = 'paid'
GROUP BY 1, 2;

CREATE TABLE mv.sales_vs_target_days AS SELECT * FROM mv.sales_vs_target_days_definition WITH NO DATA;
-- A month's days are one index range of its tenant.
CREATE UNIQUE INDEX sales_vs_target_days_key ON mv.sales_vs_target_days (tenant_id, day);

-- Keys written to since the last refresh: a tenant-local day (day set), a target's month (year and
-- month set), a whole tenant (only tenant_id set) or everything (all null). Duplicates are fine; the
-- refresh takes each once.
CREATE TABLE tally.sales_vs_target_changes (
    tenant_id text,
    day       date,
    year      integer,
    month     integer
);

DROP FUNCTION IF EXISTS tally.sales_month(timestamptz, text);

-- The tenant-local day of an instant, exactly as the definition computes it.
CREATE OR REPLACE FUNCTION tally.sales_day(created_at timestamptz, time_zone text)
    RETURNS date
    LANGUAGE sql
    STABLE
AS $$
    SELECT (least(greatest(created_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE time_zone)::date
$$;

-- Triggers run as the writer; these functions run as the owner, so writers need no grant on the log.
-- Only paid orders reach the view: an order's day is logged when it was or becomes paid.
CREATE OR REPLACE FUNCTION tally.sales_vs_target_orders_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.sales_vs_target_changes VALUES (NULL, NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.sales_vs_target_changes (tenant_id, day)
        SELECT DISTINCT r.tenant_id, tally.sales_day(r.created_at, t.time_zone)
        FROM new_rows r JOIN app.tenants t ON t.id = r.tenant_id
        WHERE r.status = 'paid';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.sales_vs_target_changes (tenant_id, day)
        SELECT DISTINCT r.tenant_id, tally.sales_day(r.created_at, t.time_zone)
        FROM old_rows r JOIN app.tenants t ON t.id = r.tenant_id
        WHERE r.status = 'paid';
    END IF;
    RETURN NULL;
END
$$;

-- A line's day is its order's; a line whose order is not paid changes nothing.
CREATE OR REPLACE FUNCTION tally.sales_vs_target_lines_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.sales_vs_target_changes VALUES (NULL, NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.sales_vs_target_changes (tenant_id, day)
        SELECT DISTINCT o.tenant_id, tally.sales_day(o.created_at, t.time_zone)
        FROM (SELECT DISTINCT tenant_id, order_id FROM new_rows) r
        JOIN app.orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
        JOIN app.tenants t ON t.id = o.tenant_id
        WHERE o.status = 'paid';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.sales_vs_target_changes (tenant_id, day)
        SELECT DISTINCT o.tenant_id, tally.sales_day(o.created_at, t.time_zone)
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
        INSERT INTO tally.sales_vs_target_changes VALUES (NULL, NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.sales_vs_target_changes (tenant_id, year, month) SELECT DISTINCT tenant_id, year, month FROM new_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.sales_vs_target_changes (tenant_id, year, month) SELECT DISTINCT tenant_id, year, month FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

-- A tenant whose zone changed has every order on a different local day, maybe: all of it again.
CREATE OR REPLACE FUNCTION tally.sales_vs_target_tenants_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO tally.sales_vs_target_changes (tenant_id)
    SELECT DISTINCT n.id
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

-- Writes the month rows of the months in pg_temp.sales_vs_target_months (every month when every) from
-- their day rows (a month's days are one index range of its tenant) and their targets, exactly as the
-- definition computes them, and only the rows that differ, so readers and the ledger see real changes.
CREATE OR REPLACE FUNCTION tally.sales_vs_target_write_months(every boolean)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Quiet about the scratch tables it drops if they exist.
    SET client_min_messages = warning
AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.sales_vs_target_month_days;
    DROP TABLE IF EXISTS pg_temp.sales_vs_target_fresh;
    IF every THEN
        CREATE TEMP TABLE sales_vs_target_month_days ON COMMIT DROP AS SELECT * FROM mv.sales_vs_target_days;
    ELSE
        CREATE TEMP TABLE sales_vs_target_month_days ON COMMIT DROP AS
        WITH months AS MATERIALIZED (
            SELECT m.tenant_id, m.year, m.month, b.first_day, b.next_first_day
            FROM pg_temp.sales_vs_target_months m
            CROSS JOIN LATERAL tally.month_days(m.year, m.month) b
        )
        SELECT d.*
        FROM months m
        JOIN mv.sales_vs_target_days d
          ON d.tenant_id = m.tenant_id AND d.day >= m.first_day AND d.day < m.next_first_day
        -- The first and last months' bounds are infinite: keep the month's own days only.
        WHERE extract(year FROM d.day)::int = m.year AND extract(month FROM d.day)::int = m.month;
    END IF;
    CREATE TEMP TABLE sales_vs_target_fresh ON COMMIT DROP AS
    WITH monthly_sales AS (
        SELECT tenant_id,
               extract(year FROM day)::int  AS year,
               extract(month FROM day)::int AS month,
               sum(gross_sales_cents) AS gross_sales_cents,
               -- A local day is wholly a weekend day or not, so the weekend part sums whole days.
               coalesce(sum(gross_sales_cents) FILTER (WHERE extract(isodow FROM day) IN (6, 7)), 0)
                   AS weekend_gross_sales_cents
        FROM pg_temp.sales_vs_target_month_days
        GROUP BY 1, 2, 3
    ),
    targets AS (
        SELECT g.* FROM app.sales_targets g
        WHERE every OR (g.tenant_id, g.year, g.month) IN (SELECT tenant_id, year, month FROM pg_temp.sales_vs_target_months)
    )
    SELECT coalesce(s.tenant_id, g.tenant_id)       AS tenant_id,
           coalesce(s.year, g.year)                 AS year,
           coalesce(s.month, g.month)               AS month,
           coalesce(s.gross_sales_cents, 0)         AS gross_sales_cents,
           coalesce(s.weekend_gross_sales_cents, 0) AS weekend_gross_sales_cents,
           g.target_cents,
           CASE WHEN g.target_cents > 0
                THEN round(coalesce(s.gross_sales_cents, 0) * 100.0 / g.target_cents, 2)::float8
           END                                      AS attainment_percent
    FROM monthly_sales s
    FULL JOIN targets g
           ON g.tenant_id = s.tenant_id AND g.year = s.year AND g.month = s.month;

    ANALYZE pg_temp.sales_vs_target_fresh;
    DELETE FROM mv.sales_vs_target s
    WHERE (every OR (s.tenant_id, s.year, s.month) IN (SELECT tenant_id, year, month FROM pg_temp.sales_vs_target_months))
      AND NOT EXISTS (
          SELECT 1 FROM pg_temp.sales_vs_target_fresh f
          WHERE f.tenant_id = s.tenant_id AND f.year = s.year AND f.month = s.month
            AND (f.gross_sales_cents, f.weekend_gross_sales_cents, f.target_cents, f.attainment_percent)
                IS NOT DISTINCT FROM (s.gross_sales_cents, s.weekend_gross_sales_cents, s.target_cents, s.attainment_percent));
    INSERT INTO mv.sales_vs_target
    SELECT f.* FROM pg_temp.sales_vs_target_fresh f
    WHERE NOT EXISTS (
        SELECT 1 FROM mv.sales_vs_target s
        WHERE s.tenant_id = f.tenant_id AND s.year = f.year AND s.month = f.month
          AND (f.gross_sales_cents, f.weekend_gross_sales_cents, f.target_cents, f.attainment_percent)
              IS NOT DISTINCT FROM (s.gross_sales_cents, s.weekend_gross_sales_cents, s.target_cents, s.attainment_percent));
END
$$;
REVOKE ALL ON FUNCTION tally.sales_vs_target_write_months(boolean) FROM PUBLIC;

-- The routine refresh: the logged days again, each from its tenant's orders of that day only (the
-- (tenant_id, created_at) index of V5), a whole tenant's days from their definition; then the months
-- holding those days and the logged targets' months. Full: every day, then every month.
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
    row_count    bigint;
    whole_tenant text;
BEGIN
    DROP TABLE IF EXISTS pg_temp.sales_vs_target_changed;
    DROP TABLE IF EXISTS pg_temp.sales_vs_target_months;
    DROP TABLE IF EXISTS pg_temp.sales_vs_target_fresh_days;
    CREATE TEMP TABLE sales_vs_target_changed ON COMMIT DROP AS
    WITH taken AS (DELETE FROM tally.sales_vs_target_changes RETURNING tenant_id, day, year, month)
    SELECT DISTINCT tenant_id, day, year, month FROM taken;
    CREATE TEMP TABLE sales_vs_target_months (tenant_id text, year integer, month integer) ON COMMIT DROP;
    IF full_rebuild OR EXISTS (SELECT 1 FROM pg_temp.sales_vs_target_changed WHERE tenant_id IS NULL) THEN
        PERFORM tally.rebuild_table('sales_vs_target_days', ARRAY['tenant_id', 'day']);
        PERFORM tally.sales_vs_target_write_months(true);
        UPDATE tally.incremental_views SET rebuilt_at = clock_timestamp() WHERE view_name = 'sales_vs_target';
        SELECT count(*) INTO row_count FROM mv.sales_vs_target;
        RETURN row_count;
    END IF;

    -- Whole tenants (a zone changed) from the definition; their logged days and months need no second pass.
    DELETE FROM pg_temp.sales_vs_target_changed c
    WHERE (c.day IS NOT NULL OR c.year IS NOT NULL)
      AND c.tenant_id IN (SELECT tenant_id FROM pg_temp.sales_vs_target_changed WHERE day IS NULL AND year IS NULL);
    CREATE TEMP TABLE sales_vs_target_fresh_days ON COMMIT DROP AS
    SELECT * FROM mv.sales_vs_target_days_definition WITH NO DATA;
    -- One tenant at a time: a tenant equal to a value reaches into the grouped definition as an
    -- index range, where a join to the list would aggregate every tenant first.
    FOR whole_tenant IN SELECT DISTINCT tenant_id FROM pg_temp.sales_vs_target_changed WHERE day IS NULL AND year IS NULL LOOP
        INSERT INTO pg_temp.sales_vs_target_fresh_days
        SELECT d.* FROM mv.sales_vs_target_days_definition d WHERE d.tenant_id = whole_tenant;
    END LOOP;
    -- The logged days: the same computation as the definition, over one local day's orders each.
    INSERT INTO pg_temp.sales_vs_target_fresh_days
    WITH days AS MATERIALIZED (
        SELECT c.tenant_id, c.day, t.time_zone, b.first_instant, b.last_instant
        FROM pg_temp.sales_vs_target_changed c
        JOIN app.tenants t ON t.id = c.tenant_id
        CROSS JOIN LATERAL tally.local_day_instants(t.time_zone, c.day) b
        WHERE c.day IS NOT NULL
    )
    SELECT d.tenant_id, d.day, sum(x.gross_amount_cents)
    FROM days d
    CROSS JOIN LATERAL (
        SELECT (least(greatest(o.created_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE d.time_zone)::date AS day,
               l.gross_amount_cents
        FROM app.orders o
        JOIN app.order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
        WHERE o.tenant_id = d.tenant_id
          AND o.created_at >= d.first_instant AND o.created_at <= d.last_instant
          AND o.status = 'paid'
        OFFSET 0
    ) x
    WHERE x.day = d.day
    GROUP BY 1, 2;

    -- Only day rows that differ are written. The scratch tables get statistics first, so the day
    -- rows are reached through their index, not scanned whole.
    ANALYZE pg_temp.sales_vs_target_changed;
    ANALYZE pg_temp.sales_vs_target_fresh_days;
    DELETE FROM mv.sales_vs_target_days s
    USING pg_temp.sales_vs_target_changed c
    WHERE c.day IS NULL AND c.year IS NULL AND s.tenant_id = c.tenant_id
      AND NOT EXISTS (SELECT 1 FROM pg_temp.sales_vs_target_fresh_days f
                      WHERE f.tenant_id = s.tenant_id AND f.day = s.day
                        AND f.gross_sales_cents IS NOT DISTINCT FROM s.gross_sales_cents);
    DELETE FROM mv.sales_vs_target_days s
    USING pg_temp.sales_vs_target_changed c
    WHERE s.tenant_id = c.tenant_id AND s.day = c.day
      AND NOT EXISTS (SELECT 1 FROM pg_temp.sales_vs_target_fresh_days f
                      WHERE f.tenant_id = s.tenant_id AND f.day = s.day
                        AND f.gross_sales_cents IS NOT DISTINCT FROM s.gross_sales_cents);
    INSERT INTO mv.sales_vs_target_days
    SELECT f.* FROM pg_temp.sales_vs_target_fresh_days f
    WHERE NOT EXISTS (SELECT 1 FROM mv.sales_vs_target_days s
                      WHERE s.tenant_id = f.tenant_id AND s.day = f.day
                        AND s.gross_sales_cents IS NOT DISTINCT FROM f.gross_sales_cents);

    -- The months to write: those of the logged days and targets, and every month a whole tenant has
    -- or had (its rows, its days now, its targets).
    INSERT INTO pg_temp.sales_vs_target_months
    SELECT tenant_id, extract(year FROM day)::int, extract(month FROM day)::int
    FROM pg_temp.sales_vs_target_changed WHERE day IS NOT NULL
    UNION SELECT tenant_id, year, month FROM pg_temp.sales_vs_target_changed WHERE year IS NOT NULL
    UNION SELECT s.tenant_id, s.year, s.month FROM mv.sales_vs_target s
          WHERE s.tenant_id IN (SELECT tenant_id FROM pg_temp.sales_vs_target_changed WHERE day IS NULL AND year IS NULL)
    UNION SELECT f.tenant_id, extract(year FROM f.day)::int, extract(month FROM f.day)::int
          FROM pg_temp.sales_vs_target_fresh_days f
    UNION SELECT g.tenant_id, g.year, g.month FROM app.sales_targets g
          WHERE g.tenant_id IN (SELECT tenant_id FROM pg_temp.sales_vs_target_changed WHERE day IS NULL AND year IS NULL);
    ANALYZE pg_temp.sales_vs_target_months;
    PERFORM tally.sales_vs_target_write_months(false);

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
