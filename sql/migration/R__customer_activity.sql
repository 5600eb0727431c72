-- customerActivity: one row per customer with its paid-order history and revenue rank.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.customer_activity CASCADE;

CREATE MATERIALIZED VIEW mv.customer_activity AS
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
FROM ranked
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX customer_activity_key ON mv.customer_activity (tenant_id, customer_id);
-- A page is a range of these numbers.
CREATE UNIQUE INDEX customer_activity_position ON mv.customer_activity (tenant_id, position);
CREATE UNIQUE INDEX customer_activity_region_position ON mv.customer_activity (tenant_id, region, region_position);

CREATE VIEW report.customer_activity WITH (security_barrier) AS
SELECT * FROM mv.customer_activity
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.customer_activity TO tally_reader;
