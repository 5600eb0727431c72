-- Times every materialized view's refresh on a loaded bench database, one line per view:
--   view <name> ms <milliseconds> rows <rows>
-- plus the unsplit definitions of the split views (daily_revenue, upsell, job_durations as they
-- were before the split), built as scratch materialized views and refreshed the same way, so the
-- split parts compare with what one full refresh costs. Each refresh runs twice and the second is reported (the first warms the cache).
-- Views kept incrementally (tally.incremental_views: plain tables with a change log) get four lines:
-- <view>_rebuild (the full rebuild, daily and on an admin's request), <view>_idle (a routine refresh
-- with an empty log), <view>_routine and <view>_routine_warm (a routine refresh after a burst of
-- writes, the first of -v rounds=N rounds and the median of the others; the burst: per tenant 20
-- new paid orders of two lines each now, one order a year old refunded and one a year old paid
-- late; 20 jobs completed now with a part each, a job a year old given a part and one a new final
-- value; a usage record now on each of its 20 oldest active subscriptions, one active subscription
-- cancelled and one moved to another plan, bench/scale-burst.sql), each burst rolled back so the
-- database stays as loaded.
-- With -v quick=on (bench/scale.sh's SCALE_QUICK=on) the unsplit definitions are left out and each
-- incremental view is rebuilt once, not warmed first: the routine refreshes, the point of the run,
-- are measured the same way, in a third of the time at 30M. With -v rebuild=off the incremental
-- views' full rebuilds are left out too (timed on their own before, e.g. right after a migration
-- emptied their tables: SELECT tally.refresh_view('<view>', true, true)). With -v views=off the
-- materialized views are not refreshed either (the incremental views' lines alone).
\set ON_ERROR_STOP on
\if :{?quick}
\else
  \set quick off
\endif
\if :{?rebuild}
\else
  \set rebuild on
\endif
\if :{?views}
\else
  \set views on
\endif
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

\if :quick
\else
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
\endif

CREATE OR REPLACE FUNCTION pg_temp.time_incremental(view_name text, full_rebuild boolean, label text)
    RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz;
    rows    bigint;
BEGIN
    started := clock_timestamp();
    rows := tally.refresh_view(view_name, true, full_rebuild);
    RETURN format('view %s ms %s rows %s', view_name || '_' || label,
                  round(extract(epoch FROM clock_timestamp() - started) * 1000), rows);
END
$$;

\pset tuples_only on
\pset format unaligned
\if :views
SELECT pg_temp.time_refresh(matviewname) FROM pg_matviews WHERE schemaname = 'mv' ORDER BY matviewname;
\endif
-- Twice each, the second reported, as above; the first rebuild also builds a never-built table.
\if :quick
\else
SELECT pg_temp.time_incremental(view_name, true, 'rebuild') IS NULL FROM tally.incremental_views ORDER BY view_name \g /dev/null
\endif
\if :rebuild
SELECT pg_temp.time_incremental(view_name, true, 'rebuild') FROM tally.incremental_views ORDER BY view_name;
\endif
-- Vacuumed as autovacuum would have by now: the change logs, which every routine refresh takes with
-- a DELETE, hold the load's and the rebuilds' dead rows (2.9M in customer_activity's at 30M, 146 MB
-- read by each refresh's scan of the log) until a vacuum, and the kept tables just rebuilt have
-- no statistics or visibility map yet. This machine's PostgreSQL runs with autovacuum off.
SELECT format('VACUUM (ANALYZE) %s', c.oid::regclass)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('tally', 'mv') AND c.relkind IN ('r', 'm') \gexec
SELECT pg_temp.time_incremental(view_name, false, 'idle') FROM tally.incremental_views ORDER BY view_name;
-- The burst and the routine refreshes :rounds times (default 5), each round rolled back: the first
-- round's pages are the coldest (<view>_routine), the later rounds' median is the warm figure
-- (<view>_routine_warm), what a refresh every few minutes on a busy primary mostly sees.
\if :{?rounds}
\else
  \set rounds 5
\endif
CREATE TEMP TABLE routine_rounds (view_name text, round int, ms numeric, rows bigint);
\set round 1
\ir scale-refresh-round.sql
SELECT format('view %s_routine ms %s rows %s', view_name, ms, rows) FROM routine_rounds WHERE round = 1 ORDER BY view_name;
SELECT format('view %s_routine_warm ms %s rows %s', view_name,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms::float8)), max(rows))
FROM routine_rounds WHERE round > 1 GROUP BY view_name ORDER BY view_name;

DROP MATERIALIZED VIEW IF EXISTS mv.scale_daily_revenue_unsplit;
DROP MATERIALIZED VIEW IF EXISTS mv.scale_upsell_unsplit;
DROP MATERIALIZED VIEW IF EXISTS mv.scale_job_durations_unsplit;
