-- customerActivity: one row per customer with its paid-order history and revenue rank.
--
-- Incremental (V7, V8, docs/reports.md "How each view is kept, and why"): mv.customer_activity is a
-- plain table with the rows of mv.customer_activity_definition. The triggers of V8 log every
-- customer whose row or paid orders a write touched; the routine refresh recomputes the aggregates
-- of those customers only (each one index range of orders_tenant_customer), then renumbers rank and
-- positions within the tenants they belong to, writing only the rows whose numbers moved.
-- Why ranks and positions are numbered at refresh and not at read time, by EXPLAIN (ANALYZE, BUFFERS)
-- at 1M orders (bench/generate.sql; biggest tenant 9,639 customers; docs/reports.md has the figures):
-- the page at positions 9501-9550 ranked at read time scans the tenant's customers and sorts them
-- twice, 933 buffers and 160-260 ms, growing with the tenant (at 30M orders it has ~290,000
-- customers); from stored numbers it is one index range, 56 buffers and 0.3 ms, at any size. The
-- numbering is paid once per changed tenant per interval instead, off the readers' path: it reads
-- the tenant's rows of this table (one per customer), never its orders, and rewrites only rows whose
-- numbers moved. edges.sql and report.customer_activity stay as they were.
-- The full rebuild (daily, and an admin's refreshReport) heals what triggers cannot see.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the table from scratch.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = 'customer_activity') THEN
        DROP MATERIALIZED VIEW mv.customer_activity CASCADE;
    END IF;
END
$$;
DROP TABLE IF EXISTS mv.customer_activity CASCADE;
DROP VIEW IF EXISTS mv.customer_activity_definition CASCADE;

-- The whole view, as the materialized view was defined: the full rebuild reads it, and pgTAP holds
-- the incremental table to it row for row.
CREATE VIEW mv.customer_activity_definition AS
WITH paid_orders AS (
    SELECT tenant_id,
           customer_id,
           created_at,
           total_cents,
           lag(created_at) OVER (PARTITION BY tenant_id, customer_id ORDER BY created_at, id) AS previous_created_at
    FROM app.orders
    WHERE status = 'paid'
),
per_customer AS (
    SELECT tenant_id,
           customer_id,
           count(*)          AS paid_orders,
           sum(total_cents)  AS lifetime_revenue_cents,
           min(created_at)   AS first_order_at,
           max(created_at)   AS last_order_at,
           -- The first order has no gap (NULL, skipped by avg), so one order gives NULL, not 0. Epochs are
           -- subtracted, not timestamps: an interval wraps silently past ~290,000 years, and an infinite
           -- time has no gap to its neighbours.
           round(avg(CASE WHEN isfinite(created_at) AND isfinite(previous_created_at)
                          THEN (extract(epoch FROM created_at) - extract(epoch FROM previous_created_at)) / 86400
                     END), 2)::float8 AS avg_days_between_orders
    FROM paid_orders
    GROUP BY tenant_id, customer_id
),
customers AS (
    -- A customer without paid orders is listed too: 0 orders and 0 revenue, its dates stay NULL.
    SELECT c.tenant_id,
           c.id                                         AS customer_id,
           c.name,
           c.region,
           -- bigint count and numeric sum, never narrower: a refresh must not fail on any tenant's values.
           coalesce(pc.paid_orders, 0)                  AS paid_orders,
           coalesce(pc.lifetime_revenue_cents, 0)       AS lifetime_revenue_cents,
           pc.first_order_at,
           pc.last_order_at,
           pc.avg_days_between_orders
    FROM app.customers c
    LEFT JOIN per_customer pc ON pc.tenant_id = c.tenant_id AND pc.customer_id = c.id
),
ranked AS (
    SELECT customers.*,
           dense_rank() OVER (PARTITION BY tenant_id ORDER BY lifetime_revenue_cents DESC) AS revenue_rank
    FROM customers
)
SELECT ranked.*,
       -- The connection's order, numbered densely at refresh time: the keyset cursor, over all the
       -- tenant's customers and within each region (for the region filter).
       row_number() OVER (PARTITION BY tenant_id ORDER BY revenue_rank, customer_id) AS position,
       row_number() OVER (PARTITION BY tenant_id, region ORDER BY revenue_rank, customer_id) AS region_position
FROM ranked;

CREATE TABLE mv.customer_activity AS SELECT * FROM mv.customer_activity_definition WITH NO DATA;
-- Led by tenant_id so every read is one tenant's index range; the key a customer is replaced by.
CREATE UNIQUE INDEX customer_activity_key ON mv.customer_activity (tenant_id, customer_id);
-- A page is a range of these numbers.
CREATE UNIQUE INDEX customer_activity_position ON mv.customer_activity (tenant_id, position);
CREATE UNIQUE INDEX customer_activity_region_position ON mv.customer_activity (tenant_id, region, region_position);

-- The routine refresh: the logged customers' aggregates again, then the numbers of their tenants.
-- Full (or a TRUNCATE logged): everything from the definition. The log is taken first, so every
-- change it held is visible to the reads that follow; a change committed meanwhile stays logged
-- and is recomputed again next time, which is harmless.
CREATE OR REPLACE FUNCTION tally.refresh_customer_activity(full_rebuild boolean)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Quiet about the scratch tables it drops if they exist.
    SET client_min_messages = warning
AS $$
DECLARE
    row_count bigint;
BEGIN
    DROP TABLE IF EXISTS pg_temp.customer_activity_changed;
    CREATE TEMP TABLE customer_activity_changed ON COMMIT DROP AS
    WITH taken AS (DELETE FROM tally.customer_activity_changes RETURNING tenant_id, customer_id)
    SELECT DISTINCT tenant_id, customer_id FROM taken;
    IF full_rebuild OR EXISTS (SELECT 1 FROM pg_temp.customer_activity_changed WHERE tenant_id IS NULL) THEN
        RETURN tally.rebuild_table('customer_activity', ARRAY['tenant_id', 'customer_id']);
    END IF;
    -- A whole tenant logged: each of its customers, as if each had been logged.
    INSERT INTO pg_temp.customer_activity_changed
    SELECT c.tenant_id, c.id FROM app.customers c
    WHERE c.tenant_id IN (SELECT tenant_id FROM pg_temp.customer_activity_changed WHERE customer_id IS NULL)
    UNION
    SELECT a.tenant_id, a.customer_id FROM mv.customer_activity a
    WHERE a.tenant_id IN (SELECT tenant_id FROM pg_temp.customer_activity_changed WHERE customer_id IS NULL);
    DELETE FROM pg_temp.customer_activity_changed WHERE customer_id IS NULL;
    ANALYZE pg_temp.customer_activity_changed;

    -- The changed customers that still exist, computed as the definition does, each from its own
    -- paid orders only. An aggregate without GROUP BY gives one row also for no orders: count 0
    -- and NULL elsewhere, as the definition's LEFT JOIN and coalesce do.
    DROP TABLE IF EXISTS pg_temp.customer_activity_fresh;
    CREATE TEMP TABLE customer_activity_fresh ON COMMIT DROP AS
    SELECT c.tenant_id,
           c.id                                   AS customer_id,
           c.name,
           c.region,
           pc.paid_orders,
           coalesce(pc.lifetime_revenue_cents, 0) AS lifetime_revenue_cents,
           pc.first_order_at,
           pc.last_order_at,
           pc.avg_days_between_orders
    FROM pg_temp.customer_activity_changed ch
    JOIN app.customers c ON c.tenant_id = ch.tenant_id AND c.id = ch.customer_id
    CROSS JOIN LATERAL (
        SELECT count(*)         AS paid_orders,
               sum(total_cents) AS lifetime_revenue_cents,
               min(created_at)  AS first_order_at,
               max(created_at)  AS last_order_at,
               round(avg(CASE WHEN isfinite(created_at) AND isfinite(previous_created_at)
                              THEN (extract(epoch FROM created_at) - extract(epoch FROM previous_created_at)) / 86400
                         END), 2)::float8 AS avg_days_between_orders
        FROM (SELECT o.created_at,
                     o.total_cents,
                     lag(o.created_at) OVER (ORDER BY o.created_at, o.id) AS previous_created_at
              FROM app.orders o
              WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id AND o.status = 'paid') paid_orders
    ) pc;

    -- The changed tenants numbered again from the table's rows, the changed customers replaced by
    -- their fresh rows (a deleted customer simply left out): the customers table, never the orders.
    DROP TABLE IF EXISTS pg_temp.customer_activity_renumbered;
    CREATE TEMP TABLE customer_activity_renumbered ON COMMIT DROP AS
    WITH customers AS (
        SELECT a.tenant_id, a.customer_id, a.name, a.region, a.paid_orders, a.lifetime_revenue_cents,
               a.first_order_at, a.last_order_at, a.avg_days_between_orders
        FROM mv.customer_activity a
        WHERE a.tenant_id IN (SELECT tenant_id FROM pg_temp.customer_activity_changed)
          AND NOT EXISTS (SELECT 1 FROM pg_temp.customer_activity_changed ch
                          WHERE ch.tenant_id = a.tenant_id AND ch.customer_id = a.customer_id)
        UNION ALL
        SELECT * FROM pg_temp.customer_activity_fresh
    ),
    ranked AS (
        SELECT customers.*,
               dense_rank() OVER (PARTITION BY tenant_id ORDER BY lifetime_revenue_cents DESC) AS revenue_rank
        FROM customers
    )
    SELECT ranked.*,
           row_number() OVER (PARTITION BY tenant_id ORDER BY revenue_rank, customer_id) AS position,
           row_number() OVER (PARTITION BY tenant_id, region ORDER BY revenue_rank, customer_id) AS region_position
    FROM ranked;

    -- Only rows that differ are written (whole rows compared, NULLs equal): a customer whose numbers
    -- did not move keeps its row, and readers keep the old rows until commit.
    DELETE FROM mv.customer_activity t
    USING (SELECT * FROM mv.customer_activity
           WHERE tenant_id IN (SELECT tenant_id FROM pg_temp.customer_activity_changed)
           EXCEPT ALL
           SELECT * FROM pg_temp.customer_activity_renumbered) s
    WHERE t.tenant_id = s.tenant_id AND t.customer_id = s.customer_id;
    INSERT INTO mv.customer_activity
    SELECT * FROM pg_temp.customer_activity_renumbered
    EXCEPT ALL
    SELECT * FROM mv.customer_activity WHERE tenant_id IN (SELECT tenant_id FROM pg_temp.customer_activity_changed);

    SELECT count(*) INTO row_count FROM mv.customer_activity;
    RETURN row_count;
END
$$;
REVOKE ALL ON FUNCTION tally.refresh_customer_activity(boolean) FROM PUBLIC;

INSERT INTO tally.incremental_views (view_name, rebuilt_at) VALUES ('customer_activity', NULL)
ON CONFLICT (view_name) DO UPDATE SET rebuilt_at = NULL;

CREATE VIEW report.customer_activity WITH (security_barrier) AS
SELECT * FROM mv.customer_activity
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.customer_activity TO tally_reader;
