-- upsell: estimated versus final value of completed jobs per tenant-local completion day and provider.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.upsell CASCADE;

CREATE MATERIALIZED VIEW mv.upsell AS
WITH completed_jobs AS (
    SELECT j.tenant_id,
           j.provider_id,
           (j.completed_at AT TIME ZONE t.time_zone)::date AS completed_on,
           -- Here a missing value counts as 0 (docs/reports.md): an unestimated or unpriced job adds nothing.
           coalesce(j.estimated_value, 0) AS estimated_value,
           coalesce(j.final_value, 0)     AS final_value
    FROM app.jobs j
    JOIN app.tenants t ON t.id = j.tenant_id
    WHERE j.status = 'completed'
      AND j.completed_at IS NOT NULL
)
SELECT c.tenant_id,
       c.completed_on,
       c.provider_id,
       p.name                   AS provider_name,
       count(*)::int            AS completed_jobs,
       sum(c.estimated_value)   AS total_estimated,
       sum(c.final_value)       AS total_final
FROM completed_jobs c
JOIN app.providers p ON p.tenant_id = c.tenant_id AND p.id = c.provider_id
GROUP BY c.tenant_id, c.completed_on, c.provider_id, p.name
-- Stored in key order, so a tenant's date range is a few adjacent pages: grouped by hash, the rows of
-- one tenant and range were scattered one per page (at 10M orders a 90-day read touched 4,277
-- pages for 8,363 rows; see bench/PLANS.md). A concurrent refresh appends only what changed.
ORDER BY c.tenant_id, c.completed_on, c.provider_id
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's date range.
CREATE UNIQUE INDEX upsell_key ON mv.upsell (tenant_id, completed_on, provider_id);

CREATE VIEW report.upsell WITH (security_barrier) AS
SELECT * FROM mv.upsell
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.upsell TO tally_reader;
