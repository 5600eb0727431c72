-- upsell: estimated versus final value of completed jobs per tenant-local completion day and
-- provider. Held in two parts as daily_revenue is (see R__daily_revenue.sql for how the edge keeps
-- every day in exactly one part):
--   mv.upsell_history  days before the tenant's edge, the first of its last 7 local days when the
--                      history was refreshed (refreshed daily);
--   mv.upsell_recent   days from that edge on (refreshed every 15 minutes).
-- The provider's name is joined when read, not stored: the parts are refreshed at different
-- times, and a stored name would show a renamed provider twice in byProvider.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the views from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.upsell CASCADE;
DROP MATERIALIZED VIEW IF EXISTS mv.upsell_recent CASCADE;
DROP MATERIALIZED VIEW IF EXISTS mv.upsell_history CASCADE;

CREATE MATERIALIZED VIEW mv.upsell_history AS
-- Materialized: each tenant's edge is computed once, not once per job.
WITH edges AS MATERIALIZED (
    SELECT id AS tenant_id, time_zone, tally.recent_edge(time_zone, 7) AS edge
    FROM app.tenants
),
completed_jobs AS (
    SELECT j.tenant_id,
           j.provider_id,
           -- Clamped inside PostgreSQL's timestamp range first, so the shift cannot overflow (see R__daily_revenue.sql).
           (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE e.time_zone)::date AS completed_on,
           e.edge,
           -- Here a missing value counts as 0 (docs/reports.md): an unestimated or unpriced job adds nothing.
           coalesce(j.estimated_value, 0) AS estimated_value,
           coalesce(j.final_value, 0)     AS final_value
    FROM edges e
    JOIN app.jobs j ON j.tenant_id = e.tenant_id
    WHERE j.status = 'completed'
      AND j.completed_at IS NOT NULL
    -- OFFSET 0 keeps this a subquery, so each job's local day (and its tenant's edge) is computed once;
    -- pulled up, it was computed again for the filter and for the grouping.
    OFFSET 0
)
SELECT tenant_id,
       completed_on,
       provider_id,
       -- bigint and unconstrained numeric, never narrower: a refresh must not fail on any tenant's values.
       count(*)                 AS completed_jobs,
       sum(estimated_value)     AS total_estimated,
       sum(final_value)         AS total_final,
       edge
FROM completed_jobs
WHERE completed_on < edge
GROUP BY tenant_id, completed_on, provider_id, edge
-- Stored in key order, so a tenant's date range is a few adjacent pages: grouped by hash, the rows of
-- one tenant and range were scattered one per page (at 10M orders a 90-day read touched 4,277
-- pages for 8,363 rows; see bench/PLANS.md). A concurrent refresh appends only what changed.
ORDER BY tenant_id, completed_on, provider_id
WITH NO DATA;

COMMENT ON MATERIALIZED VIEW mv.upsell_history IS
    'History part of upsell (recent: P7D): days before the last 7 tenant-local days at its refresh';

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's date range.
CREATE UNIQUE INDEX upsell_history_key ON mv.upsell_history (tenant_id, completed_on, provider_id);

-- The recent part reads the history's edge, so it starts exactly where the history it was built
-- against ends; a tenant without history rows has no edge and all its days are recent.
CREATE MATERIALIZED VIEW mv.upsell_recent AS
WITH edges AS MATERIALIZED (
    SELECT t.id AS tenant_id,
           t.time_zone,
           coalesce((SELECT h.edge FROM mv.upsell_history h WHERE h.tenant_id = t.id LIMIT 1),
                    '-infinity'::date) AS edge
    FROM app.tenants t
),
completed_jobs AS (
    SELECT j.tenant_id, j.provider_id, j.completed_on, e.edge, j.estimated_value, j.final_value
    FROM edges e
    -- Per tenant, an index range scan of its recently completed jobs (jobs_tenant_completed_at, V6);
    -- OFFSET 0 keeps the planner from turning it into a scan of every job. The range starts a day
    -- early, a superset whatever the zone does at midnight; the exact test is completed_on >= edge.
    CROSS JOIN LATERAL (
        SELECT j.tenant_id,
               j.provider_id,
               (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE e.time_zone)::date AS completed_on,
               coalesce(j.estimated_value, 0) AS estimated_value,
               coalesce(j.final_value, 0)     AS final_value
        FROM app.jobs j
        WHERE j.tenant_id = e.tenant_id
          AND j.status = 'completed'
          AND j.completed_at >= (e.edge::timestamp AT TIME ZONE e.time_zone) - interval '1 day'
        OFFSET 0
    ) j
)
SELECT tenant_id,
       completed_on,
       provider_id,
       count(*)                 AS completed_jobs,
       sum(estimated_value)     AS total_estimated,
       sum(final_value)         AS total_final
FROM completed_jobs
WHERE completed_on >= edge
GROUP BY tenant_id, completed_on, provider_id
ORDER BY tenant_id, completed_on, provider_id
WITH NO DATA;

COMMENT ON MATERIALIZED VIEW mv.upsell_recent IS
    'Recent part of upsell (recent: P7D): days from the history''s edge on';

CREATE UNIQUE INDEX upsell_recent_key ON mv.upsell_recent (tenant_id, completed_on, provider_id);

CREATE VIEW report.upsell WITH (security_barrier) AS
WITH days AS (
    SELECT h.tenant_id, h.completed_on, h.provider_id, h.completed_jobs, h.total_estimated, h.total_final
    FROM mv.upsell_history h
    WHERE h.tenant_id = current_setting('app.tenant_id', true)
    UNION ALL
    SELECT r.tenant_id, r.completed_on, r.provider_id, r.completed_jobs, r.total_estimated, r.total_final
    FROM mv.upsell_recent r
    WHERE r.tenant_id = current_setting('app.tenant_id', true)
      AND r.completed_on >= coalesce((SELECT h.edge FROM mv.upsell_history h
                                      WHERE h.tenant_id = current_setting('app.tenant_id', true) LIMIT 1),
                                     '-infinity'::date)
)
SELECT days.tenant_id, days.completed_on, days.provider_id, p.name AS provider_name, days.completed_jobs,
       days.total_estimated, days.total_final
FROM days
JOIN app.providers p ON p.tenant_id = days.tenant_id AND p.id = days.provider_id;

GRANT SELECT ON report.upsell TO tally_reader;
