-- dailyRevenue: orders per tenant-local day and customer region.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.daily_revenue CASCADE;

CREATE MATERIALIZED VIEW mv.daily_revenue AS
-- Local dates: the instant is first clamped two days inside PostgreSQL's timestamp range, so that
-- shifting it into the tenant's zone cannot overflow (only instants within two days of 4714 BC or
-- AD 294276, and +-infinity, land on the clamp's date; no report range reaches them).
WITH local_orders AS (
    SELECT o.tenant_id,
           c.region,
           (least(greatest(o.created_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE t.time_zone)::date AS day,
           o.status,
           o.total_cents
    FROM app.orders o
    JOIN app.tenants t ON t.id = o.tenant_id
    JOIN app.customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
)
SELECT tenant_id,
       day,
       region,
       count(*)                                                 AS orders_created,
       count(*) FILTER (WHERE status = 'paid')                  AS paid_orders,
       count(*) FILTER (WHERE status = 'failed')                AS failed_orders,
       -- numeric, not bigint: two orders of 5 * 10^18 cents overflow bigint, and a refresh must not fail.
       coalesce(sum(total_cents) FILTER (WHERE status = 'paid'), 0)   AS revenue_cents
FROM local_orders
GROUP BY tenant_id, day, region
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX daily_revenue_key ON mv.daily_revenue (tenant_id, day, region);

CREATE VIEW report.daily_revenue WITH (security_barrier) AS
SELECT * FROM mv.daily_revenue
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.daily_revenue TO tally_reader;
