-- Times every materialized view's refresh on a loaded bench database, one line per view:
--   view <name> ms <milliseconds> rows <rows>
-- plus the unsplit definitions of the split views (daily_revenue, upsell, job_durations as they
-- were before the split), built as scratch materialized views and refreshed the same way, so the
-- split parts compare with what one full refresh costs. Each refresh runs twice and the second is reported (the first warms the cache).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET statement_timeout = 0;

CREATE OR REPLACE FUNCTION pg_temp.time_refresh(view_name text)
    RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz;
    rows    bigint;
BEGIN
    EXECUTE format('REFRESH MATERIALIZED VIEW mv.%I', view_name);
    started := clock_timestamp();
    EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY mv.%I', view_name);
    EXECUTE format('SELECT count(*) FROM mv.%I', view_name) INTO rows;
    RETURN format('view %s ms %s rows %s', view_name,
                  round(extract(epoch FROM clock_timestamp() - started) * 1000), rows);
END
$$;

DROP MATERIALIZED VIEW IF EXISTS mv.scale_daily_revenue_unsplit;
CREATE MATERIALIZED VIEW mv.scale_daily_revenue_unsplit AS
SELECT o.tenant_id, (o.created_at AT TIME ZONE t.time_zone)::date AS day, c.region,
       count(*) AS orders_created, count(*) FILTER (WHERE o.status = 'paid') AS paid_orders,
       count(*) FILTER (WHERE o.status = 'failed') AS failed_orders,
       coalesce(sum(o.total_cents) FILTER (WHERE o.status = 'paid'), 0) AS revenue_cents
FROM app.orders o
JOIN app.tenants t ON t.id = o.tenant_id
JOIN app.customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
GROUP BY 1, 2, 3
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.scale_daily_revenue_unsplit (tenant_id, day, region);

DROP MATERIALIZED VIEW IF EXISTS mv.scale_upsell_unsplit;
CREATE MATERIALIZED VIEW mv.scale_upsell_unsplit AS
SELECT j.tenant_id,
       (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE t.time_zone)::date AS completed_on,
       j.provider_id, p.name AS provider_name, count(*) AS completed_jobs,
       sum(coalesce(j.estimated_value, 0)) AS total_estimated, sum(coalesce(j.final_value, 0)) AS total_final
FROM app.jobs j
JOIN app.tenants t ON t.id = j.tenant_id
JOIN app.providers p ON p.tenant_id = j.tenant_id AND p.id = j.provider_id
WHERE j.status = 'completed' AND j.completed_at IS NOT NULL
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.scale_upsell_unsplit (tenant_id, completed_on, provider_id);

DROP MATERIALIZED VIEW IF EXISTS mv.scale_job_durations_unsplit;
CREATE MATERIALIZED VIEW mv.scale_job_durations_unsplit AS
SELECT j.tenant_id, j.id AS job_id, j.provider_id, p.name AS provider_name,
       (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE t.time_zone)::date AS completed_on,
       ((extract(epoch FROM j.completed_at) - extract(epoch FROM j.started_at)) / 3600)::float8 AS duration_hours
FROM app.jobs j
JOIN app.tenants t ON t.id = j.tenant_id
JOIN app.providers p ON p.tenant_id = j.tenant_id AND p.id = j.provider_id
WHERE j.status = 'completed' AND j.started_at IS NOT NULL AND j.completed_at IS NOT NULL
  AND isfinite(j.started_at) AND isfinite(j.completed_at)
WITH NO DATA;
CREATE UNIQUE INDEX ON mv.scale_job_durations_unsplit (tenant_id, job_id);
CREATE INDEX ON mv.scale_job_durations_unsplit (tenant_id, completed_on);

\pset tuples_only on
\pset format unaligned
SELECT pg_temp.time_refresh(matviewname) FROM pg_matviews WHERE schemaname = 'mv' ORDER BY matviewname;

DROP MATERIALIZED VIEW mv.scale_daily_revenue_unsplit;
DROP MATERIALIZED VIEW mv.scale_upsell_unsplit;
DROP MATERIALIZED VIEW mv.scale_job_durations_unsplit;
