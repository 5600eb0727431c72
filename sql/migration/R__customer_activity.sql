-- customerActivity: one row per customer with its paid-order history and revenue rank.
--
-- Incremental (V7, V8, docs/reports.md "How each view is kept, and why"): mv.customer_activity is a
-- plain table with the rows of mv.customer_activity_definition. The triggers of V8 log every
-- customer whose row or paid orders a write touched; the routine refresh recomputes the aggregates
-- of those customers only (each one index range of orders_tenant_customer), then renumbers only the
-- customers whose numbers move (between a changed customer's old and new place, or below a revenue
-- value that appeared or vanished), from the old numbers of a few neighbours, and writes only them.
-- Why ranks and positions are numbered at refresh and not at read time, by EXPLAIN (ANALYZE, BUFFERS)
-- at 1M orders (bench/generate.sql; biggest tenant 9,639 customers; docs/reports.md has the figures):
-- the page at positions 9501-9550 ranked at read time scans the tenant's customers and sorts them
-- twice, 933 buffers and 160-260 ms, growing with the tenant (at 30M orders it has ~290,000
-- customers); from stored numbers it is one index range, 56 buffers and 0.3 ms, at any size. The
-- numbering is paid at refresh instead, off the readers' path, for the rows whose numbers move
-- (before, it renumbered every customer of each changed tenant: 29.5 s after the scale run's burst
-- at 10M against 11.1 s now, docs/reports.md). edges.sql and report.customer_activity stay as they were.
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
-- The routine refresh's probes: where a new revenue falls among the old rows, and the last old row
-- of a region before a place.
CREATE INDEX customer_activity_revenue ON mv.customer_activity (tenant_id, lifetime_revenue_cents DESC, customer_id);
CREATE INDEX customer_activity_region_place ON mv.customer_activity (tenant_id, region, position);

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
    CREATE INDEX ON pg_temp.customer_activity_changed (tenant_id, customer_id);
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
    CREATE INDEX ON pg_temp.customer_activity_fresh (tenant_id, lifetime_revenue_cents);
    ANALYZE pg_temp.customer_activity_fresh;

    -- Who moved where. Only the rows whose numbers change are read and written: the changed customers,
    -- and the others placed between a changed customer's old and new place (its position and
    -- region position move by one per customer that crossed them) or below a revenue value that
    -- appeared or vanished (its dense rank moves). Everything is counted from the old numbers of a
    -- few neighbours (index probes), never from the whole tenant. In the old order (revenue
    -- descending, then id; positions dense from 1) a new key's place is how many old rows come before
    -- it; an old row at position p comes after a new key placed at g exactly when g < p (keys are unique).
    DROP TABLE IF EXISTS pg_temp.customer_activity_moves;
    CREATE TEMP TABLE customer_activity_moves ON COMMIT DROP AS
    SELECT ch.tenant_id,
           ch.customer_id,
           o.position                AS old_position,
           o.region                  AS old_region,
           f.customer_id IS NOT NULL AS stays,
           f.lifetime_revenue_cents  AS new_revenue,
           f.region                  AS new_region,
           g.place                   AS new_place,
           -- Old rows of the new region before the new key: the region position of the last of them.
           coalesce((SELECT a.region_position FROM mv.customer_activity a
                     WHERE a.tenant_id = ch.tenant_id AND a.region = f.region AND a.position <= g.place
                     ORDER BY a.position DESC LIMIT 1), 0) AS new_region_place,
           -- Distinct old revenue values above the new one: the old dense rank of the nearest row above.
           coalesce((SELECT a.revenue_rank FROM mv.customer_activity a
                     WHERE a.tenant_id = ch.tenant_id AND a.lifetime_revenue_cents > f.lifetime_revenue_cents
                     ORDER BY a.lifetime_revenue_cents, a.customer_id DESC LIMIT 1), 0) AS old_levels_above
    FROM pg_temp.customer_activity_changed ch
    LEFT JOIN mv.customer_activity o ON o.tenant_id = ch.tenant_id AND o.customer_id = ch.customer_id
    LEFT JOIN pg_temp.customer_activity_fresh f ON f.tenant_id = ch.tenant_id AND f.customer_id = ch.customer_id
    -- The new key's place: the position of the last old row before it (a higher revenue, or the same
    -- revenue and a lower id), 0 when none is.
    LEFT JOIN LATERAL (
        SELECT greatest(
                   (SELECT a.position FROM mv.customer_activity a
                    WHERE a.tenant_id = ch.tenant_id AND a.lifetime_revenue_cents > f.lifetime_revenue_cents
                    ORDER BY a.lifetime_revenue_cents, a.customer_id DESC LIMIT 1),
                   (SELECT a.position FROM mv.customer_activity a
                    WHERE a.tenant_id = ch.tenant_id AND a.lifetime_revenue_cents = f.lifetime_revenue_cents
                      AND a.customer_id < f.customer_id
                    ORDER BY a.lifetime_revenue_cents, a.customer_id DESC LIMIT 1),
                   0) AS place
        WHERE f.customer_id IS NOT NULL
    ) g ON true;
    CREATE INDEX ON pg_temp.customer_activity_moves (tenant_id);
    ANALYZE pg_temp.customer_activity_moves;

    -- The revenue values that appear (+1) or vanish (-1): a changed customer's old or new value,
    -- held after the refresh by a fresh row or an unchanged customer, before it by any old row.
    DROP TABLE IF EXISTS pg_temp.customer_activity_levels;
    CREATE TEMP TABLE customer_activity_levels ON COMMIT DROP AS
    SELECT v.tenant_id, v.revenue, d.delta
    FROM (SELECT DISTINCT tenant_id, revenue
          FROM (SELECT a.tenant_id, a.lifetime_revenue_cents AS revenue
                FROM pg_temp.customer_activity_changed ch
                JOIN mv.customer_activity a ON a.tenant_id = ch.tenant_id AND a.customer_id = ch.customer_id
                UNION ALL
                SELECT tenant_id, lifetime_revenue_cents FROM pg_temp.customer_activity_fresh) values_touched) v
    -- Probes of one row each (LIMIT 1), so each is an index lookup whatever the estimates.
    CROSS JOIN LATERAL (
        SELECT (EXISTS (SELECT 1 FROM pg_temp.customer_activity_fresh f
                        WHERE f.tenant_id = v.tenant_id AND f.lifetime_revenue_cents = v.revenue)
                OR (SELECT 1 FROM mv.customer_activity a
                    WHERE a.tenant_id = v.tenant_id AND a.lifetime_revenue_cents = v.revenue
                      AND NOT EXISTS (SELECT 1 FROM pg_temp.customer_activity_changed ch
                                      WHERE ch.tenant_id = a.tenant_id AND ch.customer_id = a.customer_id)
                    LIMIT 1) IS NOT NULL)::int
             - ((SELECT 1 FROM mv.customer_activity a
                 WHERE a.tenant_id = v.tenant_id AND a.lifetime_revenue_cents = v.revenue LIMIT 1) IS NOT NULL)::int
               AS delta
    ) d
    WHERE d.delta <> 0;
    CREATE INDEX ON pg_temp.customer_activity_levels (tenant_id, revenue);
    ANALYZE pg_temp.customer_activity_levels;

    -- The unchanged customers whose numbers may move, each once: positions between a changed
    -- customer's old and new place (to the end for a customer that left, arrived or changed region),
    -- and revenues where the values that appeared and vanished above them do not cancel out.
    DROP TABLE IF EXISTS pg_temp.customer_activity_shifted;
    CREATE TEMP TABLE customer_activity_shifted ON COMMIT DROP AS
    WITH position_spans AS (
        SELECT tenant_id,
               least(old_position, new_place + 1) AS low,
               CASE WHEN old_position IS NOT NULL AND stays AND old_region = new_region
                    THEN greatest(old_position, new_place) END AS high
        FROM pg_temp.customer_activity_moves
    ),
    level_steps AS (
        -- Every value with the sum of the changes at and above it, and the next value below.
        SELECT tenant_id, revenue,
               sum(delta) OVER (PARTITION BY tenant_id ORDER BY revenue DESC) AS shift,
               lead(revenue) OVER (PARTITION BY tenant_id ORDER BY revenue DESC) AS next_revenue
        FROM pg_temp.customer_activity_levels
    ),
    -- Each span one index range: OFFSET 0 keeps each LATERAL a probe per span, so no estimate
    -- turns it into a scan of the whole table.
    candidates AS (
        SELECT r.*
        FROM position_spans s
        CROSS JOIN LATERAL (
            SELECT a.* FROM mv.customer_activity a
            WHERE a.tenant_id = s.tenant_id AND a.position >= s.low
              AND a.position <= coalesce(s.high, 9223372036854775807)
            OFFSET 0
        ) r
        UNION
        SELECT r.*
        FROM level_steps l
        CROSS JOIN LATERAL (
            SELECT a.* FROM mv.customer_activity a
            WHERE a.tenant_id = l.tenant_id AND a.lifetime_revenue_cents < l.revenue
              AND a.lifetime_revenue_cents >= coalesce(l.next_revenue, '-Infinity')
            OFFSET 0
        ) r
        WHERE l.shift <> 0
    )
    SELECT c.*
    FROM candidates c
    WHERE NOT EXISTS (SELECT 1 FROM pg_temp.customer_activity_changed ch
                      WHERE ch.tenant_id = c.tenant_id AND ch.customer_id = c.customer_id);

    -- Their new numbers and the changed customers' numbers, from the old numbers and the moves only:
    -- a position drops by one per changed customer that was before it and rises by one per changed
    -- customer now before it (within the region for the region position); a dense rank moves by the
    -- values that appeared and vanished above it.
    DROP TABLE IF EXISTS pg_temp.customer_activity_renumbered;
    CREATE TEMP TABLE customer_activity_renumbered ON COMMIT DROP AS
    -- Each number of an unchanged customer plus a running sum, in its order, of the changes before
    -- it: -1 at a changed customer's old position, +1 at its new place (a row placed at p comes
    -- before a new key placed at p, so rows sort before changes at the same number); within the
    -- region for the region position; the values that appeared (+1) and vanished (-1) above its revenue.
    -- Three passes, each a stream of the rows (whole, as one value; a change has none) and the
    -- changes, sorted and summed.
    WITH by_position AS (
        SELECT shifted, sum(change) OVER (PARTITION BY tenant_id ORDER BY at, change <> 0 ROWS UNBOUNDED PRECEDING) AS moved
        FROM (SELECT s AS shifted, s.tenant_id, s.position AS at, 0 AS change FROM pg_temp.customer_activity_shifted s
              UNION ALL
              SELECT NULL, tenant_id, old_position, -1 FROM pg_temp.customer_activity_moves WHERE old_position IS NOT NULL
              UNION ALL
              SELECT NULL, tenant_id, new_place, 1 FROM pg_temp.customer_activity_moves WHERE stays) p
    ),
    by_region AS (
        SELECT shifted, moved AS moved_position,
               sum(change) OVER (PARTITION BY tenant_id, region ORDER BY at, change <> 0 ROWS UNBOUNDED PRECEDING) AS moved
        FROM (SELECT shifted, moved, (shifted).tenant_id, (shifted).region, (shifted).position AS at, 0 AS change
              FROM by_position WHERE (shifted).customer_id IS NOT NULL
              UNION ALL
              SELECT NULL, NULL, tenant_id, old_region, old_position, -1 FROM pg_temp.customer_activity_moves WHERE old_position IS NOT NULL
              UNION ALL
              SELECT NULL, NULL, tenant_id, new_region, new_place, 1 FROM pg_temp.customer_activity_moves WHERE stays) r
    ),
    by_revenue AS (
        SELECT shifted, moved_position, moved_region,
               sum(change) OVER (PARTITION BY tenant_id ORDER BY revenue DESC, change <> 0 ROWS UNBOUNDED PRECEDING) AS moved
        FROM (SELECT shifted, moved_position, moved AS moved_region, (shifted).tenant_id,
                     (shifted).lifetime_revenue_cents AS revenue, 0 AS change
              FROM by_region WHERE (shifted).customer_id IS NOT NULL
              UNION ALL
              SELECT NULL, NULL, NULL, tenant_id, revenue, delta FROM pg_temp.customer_activity_levels) v
    )
    SELECT (shifted).tenant_id, (shifted).customer_id, (shifted).name, (shifted).region, (shifted).paid_orders,
           (shifted).lifetime_revenue_cents, (shifted).first_order_at, (shifted).last_order_at,
           (shifted).avg_days_between_orders,
           (shifted).revenue_rank + moved AS revenue_rank,
           (shifted).position + moved_position AS position,
           (shifted).region_position + moved_region AS region_position
    FROM by_revenue
    WHERE (shifted).customer_id IS NOT NULL
    UNION ALL
    -- A changed customer: the unchanged old rows before its new key, then the changed ones now before it.
    SELECT f.tenant_id, f.customer_id, f.name, f.region, f.paid_orders, f.lifetime_revenue_cents,
           f.first_order_at, f.last_order_at, f.avg_days_between_orders,
           m.old_levels_above + 1
               + coalesce((SELECT sum(l.delta) FROM pg_temp.customer_activity_levels l
                           WHERE l.tenant_id = f.tenant_id AND l.revenue > f.lifetime_revenue_cents), 0) AS revenue_rank,
           m.new_place + 1
               - (SELECT count(*) FROM pg_temp.customer_activity_moves o
                  WHERE o.tenant_id = m.tenant_id AND o.old_position <= m.new_place)
               + (SELECT count(*) FROM pg_temp.customer_activity_moves o
                  WHERE o.tenant_id = m.tenant_id AND o.stays
                    AND (o.new_revenue > m.new_revenue OR (o.new_revenue = m.new_revenue AND o.customer_id < m.customer_id)))
               AS position,
           m.new_region_place + 1
               - (SELECT count(*) FROM pg_temp.customer_activity_moves o
                  WHERE o.tenant_id = m.tenant_id AND o.old_region = m.new_region AND o.old_position <= m.new_place)
               + (SELECT count(*) FROM pg_temp.customer_activity_moves o
                  WHERE o.tenant_id = m.tenant_id AND o.stays AND o.new_region = m.new_region
                    AND (o.new_revenue > m.new_revenue OR (o.new_revenue = m.new_revenue AND o.customer_id < m.customer_id)))
               AS region_position
    FROM pg_temp.customer_activity_fresh f
    JOIN pg_temp.customer_activity_moves m ON m.tenant_id = f.tenant_id AND m.customer_id = f.customer_id;

    -- Only rows that differ are written (whole rows compared, NULLs equal): a customer whose numbers
    -- did not move keeps its row, and readers keep the old rows until commit. The old rows compared
    -- are those of the changed and shifted customers: every other row keeps its numbers.
    DROP TABLE IF EXISTS pg_temp.customer_activity_before;
    CREATE TEMP TABLE customer_activity_before ON COMMIT DROP AS
    SELECT a.* FROM pg_temp.customer_activity_changed ch
    JOIN mv.customer_activity a ON a.tenant_id = ch.tenant_id AND a.customer_id = ch.customer_id
    UNION ALL
    SELECT * FROM pg_temp.customer_activity_shifted;
    DELETE FROM mv.customer_activity t
    USING (SELECT * FROM pg_temp.customer_activity_before
           EXCEPT ALL
           SELECT * FROM pg_temp.customer_activity_renumbered) s
    WHERE t.tenant_id = s.tenant_id AND t.customer_id = s.customer_id;
    INSERT INTO mv.customer_activity
    SELECT * FROM pg_temp.customer_activity_renumbered
    EXCEPT ALL
    SELECT * FROM pg_temp.customer_activity_before;

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
