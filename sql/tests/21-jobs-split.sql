-- jobDurations and upsell are held in a history and a recent part (R__job_durations.sql,
-- R__upsell.sql), split as daily_revenue is (20-daily-revenue-split.sql). Whatever order and time
-- the parts are refreshed in, each report view must hold every completed job (jobDurations) and
-- every tenant-local day and provider (upsell) exactly once, with the rows the unsplit definition
-- gives: in every time zone, across local midnight, and as the recent window moves.
BEGIN;
SELECT plan(16);

INSERT INTO app.tenants (id, name, time_zone)
SELECT 't21-' || lower(regexp_replace(z, '[^A-Za-z0-9]+', '-', 'g')), 'Split ' || z, z
FROM unnest(ARRAY['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'America/St_Johns',
                  'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'UTC']) AS z;
INSERT INTO app.providers (tenant_id, id, name)
SELECT t.id, r.n, 'Provider ' || r.n FROM app.tenants t CROSS JOIN generate_series(1, 2) AS r (n)
WHERE t.id LIKE 't21-%';
-- Jobs completed at the first and last microsecond and at noon of every local day from 12 days
-- before 2026-03-10 to 2 days after, in each tenant's own zone, each taking some hours, some
-- without an estimate.
INSERT INTO app.jobs (tenant_id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at)
SELECT t.id,
       1 + ((d.n + s.k) % 2 + 2) % 2,
       'completed',
       CASE WHEN s.k = 1 THEN NULL ELSE 10 * (d.n + 20) END,
       12 * (d.n + 20) + s.k,
       '2026-01-01Z',
       ((date '2026-03-10' + d.n)::timestamp + s.at) AT TIME ZONE t.time_zone - (d.n + 20) * interval '1 hour',
       ((date '2026-03-10' + d.n)::timestamp + s.at) AT TIME ZONE t.time_zone
FROM app.tenants t
CROSS JOIN generate_series(-12, 2) AS d (n)
CROSS JOIN (VALUES (0, interval '0'), (1, interval '12 hours'), (2, interval '1 day' - interval '1 microsecond'))
    AS s (k, at)
WHERE t.id LIKE 't21-%';

-- The unsplit definitions, the references every stage is compared with, for the tenant set in app.tenant_id.
CREATE VIEW pg_temp.job_durations_reference AS
SELECT j.id AS job_id, j.provider_id, p.name AS provider_name, (j.completed_at AT TIME ZONE t.time_zone)::date AS completed_on,
       ((extract(epoch FROM j.completed_at) - extract(epoch FROM j.started_at)) / 3600)::float8 AS duration_hours
FROM app.jobs j
JOIN app.tenants t ON t.id = j.tenant_id
JOIN app.providers p ON p.tenant_id = j.tenant_id AND p.id = j.provider_id
WHERE j.tenant_id = current_setting('app.tenant_id', true)
  AND j.status = 'completed' AND j.started_at IS NOT NULL AND j.completed_at IS NOT NULL;

CREATE VIEW pg_temp.upsell_reference AS
SELECT (j.completed_at AT TIME ZONE t.time_zone)::date AS completed_on, j.provider_id, p.name AS provider_name,
       count(*) AS completed_jobs, sum(coalesce(j.estimated_value, 0)) AS total_estimated,
       sum(coalesce(j.final_value, 0)) AS total_final
FROM app.jobs j
JOIN app.tenants t ON t.id = j.tenant_id
JOIN app.providers p ON p.tenant_id = j.tenant_id AND p.id = j.provider_id
WHERE j.tenant_id = current_setting('app.tenant_id', true) AND j.status = 'completed' AND j.completed_at IS NOT NULL
GROUP BY 1, 2, 3;

-- Rows a report view has that its reference lacks, and the other way round, over every tenant.
CREATE FUNCTION pg_temp.mismatches(view_name text, columns text)
    RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    tenant text;
    total  bigint := 0;
    found  bigint;
BEGIN
    FOR tenant IN SELECT id FROM app.tenants WHERE id LIKE 't21-%' LOOP
        PERFORM set_config('app.tenant_id', tenant, true);
        EXECUTE format('SELECT count(*) FROM ((SELECT %2$s FROM report.%1$I EXCEPT ALL SELECT %2$s FROM pg_temp.%3$I)'
                       ' UNION ALL (SELECT %2$s FROM pg_temp.%3$I EXCEPT ALL SELECT %2$s FROM report.%1$I)) AS d',
                       view_name, columns, view_name || '_reference') INTO found;
        total := total + found;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
    RETURN total;
END
$$;

CREATE FUNCTION pg_temp.durations() RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_temp.mismatches('job_durations', 'job_id, provider_id, provider_name, completed_on, duration_hours')
$$;

CREATE FUNCTION pg_temp.upsell() RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_temp.mismatches('upsell', 'completed_on, provider_id, provider_name, completed_jobs, total_estimated, total_final')
$$;

-- Refreshes one part of both views with the window's clock pinned.
CREATE FUNCTION pg_temp.refresh(part text, clock text)
    RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('tally.split_clock', clock, true);
    EXECUTE format('REFRESH MATERIALIZED VIEW mv.%I', 'job_durations_' || part);
    EXECUTE format('REFRESH MATERIALIZED VIEW mv.%I', 'upsell_' || part);
    PERFORM set_config('tally.split_clock', '', true);
END
$$;

SELECT pg_temp.refresh('history', '2026-03-10 12:00+00');
SELECT pg_temp.refresh('recent', '2026-03-10 12:00+00');
SELECT is(pg_temp.durations(), 0::bigint, 'jobDurations, both parts refreshed together: every job exactly once, as unsplit');
SELECT is(pg_temp.upsell(), 0::bigint, 'upsell, both parts refreshed together: every day and provider exactly once, as unsplit');
SELECT is(
    (SELECT count(*)::int FROM mv.job_durations_history h
     JOIN mv.job_durations_recent r USING (tenant_id, job_id) WHERE r.completed_on >= h.edge)
    + (SELECT count(*)::int FROM mv.upsell_history h
       JOIN mv.upsell_recent r USING (tenant_id, completed_on, provider_id) WHERE r.completed_on >= h.edge),
    0, 'nothing served from a recent part is also in its history');
SELECT is(
    (SELECT count(*)::int FROM mv.job_durations_recent WHERE tenant_id = 't21-utc'), 27,
    'the recent part holds the jobs of the last 7 local days and the 2 ahead, not the whole history');

SELECT pg_temp.refresh('history', '2026-03-10 23:59:59+00');
SELECT pg_temp.refresh('recent', '2026-03-11 00:00:01+00');
SELECT is(pg_temp.durations(), 0::bigint, 'jobDurations, history before and recent after midnight: still every job once');
SELECT is(pg_temp.upsell(), 0::bigint, 'upsell, history before and recent after midnight: still every day once');

SELECT pg_temp.refresh('recent', '2026-03-12 05:00+00');
SELECT is(pg_temp.durations(), 0::bigint, 'jobDurations, the recent part a day later reaches back to the history''s edge');
SELECT is(pg_temp.upsell(), 0::bigint, 'upsell, the recent part a day later reaches back to the history''s edge');

SELECT pg_temp.refresh('history', '2026-03-13 12:00+00');
SELECT is(pg_temp.durations(), 0::bigint, 'jobDurations, a history newer than the recent part: every job once');
SELECT is(pg_temp.upsell(), 0::bigint, 'upsell, a history newer than the recent part: every day once');

-- A renamed provider is one provider in every answer, though the parts were refreshed apart.
UPDATE app.providers SET name = 'Renamed' WHERE tenant_id = 't21-utc' AND id = 1;
SELECT is(pg_temp.durations(), 0::bigint, 'jobDurations, a renamed provider has its new name in both parts at once');
SELECT is(pg_temp.upsell(), 0::bigint, 'upsell, a renamed provider has its new name in both parts at once');

-- A late change: a job completed on an old day is not seen until the history is refreshed.
INSERT INTO app.jobs (tenant_id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at)
VALUES ('t21-utc', 1, 'completed', 5, 7, '2026-01-01Z', '2026-03-01 08:00+00', '2026-03-01 10:00+00');
SELECT pg_temp.refresh('recent', '2026-03-13 12:05+00');
SELECT is(pg_temp.durations(), 1::bigint, 'jobDurations, a job completed on an old day waits for the next history refresh');
SELECT is(pg_temp.upsell(), 2::bigint, 'upsell, a job completed on an old day waits for the next history refresh (its day differs)');
SELECT pg_temp.refresh('history', '2026-03-14 12:00+00');
SELECT is(pg_temp.durations(), 0::bigint, 'jobDurations, the next history refresh brings it in');
SELECT is(pg_temp.upsell(), 0::bigint, 'upsell, the next history refresh brings it in');

SELECT * FROM finish();
ROLLBACK;
