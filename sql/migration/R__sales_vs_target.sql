-- salesVsTarget: gross sales of paid orders per tenant-local month, its weekend part, and the month's target.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.sales_vs_target CASCADE;

CREATE MATERIALIZED VIEW mv.sales_vs_target AS
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
       ON g.tenant_id = s.tenant_id AND g.year = s.year AND g.month = s.month
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and a year is one tenant's index range.
CREATE UNIQUE INDEX sales_vs_target_key ON mv.sales_vs_target (tenant_id, year, month);

CREATE VIEW report.sales_vs_target WITH (security_barrier) AS
SELECT * FROM mv.sales_vs_target
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.sales_vs_target TO tally_reader;
