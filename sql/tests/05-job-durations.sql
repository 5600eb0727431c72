-- jobDurations: hours from start to completion of completed jobs that have both times.
BEGIN;
SELECT plan(9);

-- Tenant A lives in Berlin (UTC+1 in February).
INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t05-a', 'Tenant A', 'Europe/Berlin'), ('t05-b', 'Tenant B', 'UTC'), ('t05-e', 'Tenant E', 'UTC');
INSERT INTO app.providers (tenant_id, id, name) VALUES
    ('t05-a', 1, 'Ada'), ('t05-a', 2, 'Ben'), ('t05-b', 1, 'Bea'), ('t05-e', 1, 'Eve');
INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at) VALUES
    ('t05-a', 1, 1, 'completed',   NULL, NULL, '2024-01-01Z', '2024-02-01 08:00Z', '2024-02-01 10:00Z'),  --  2 h
    ('t05-a', 2, 1, 'completed',   NULL, NULL, '2024-01-01Z', '2024-02-02 08:00Z', '2024-02-02 12:00Z'),  --  4 h
    ('t05-a', 3, 1, 'completed',   NULL, NULL, '2024-01-01Z', '2024-02-03 08:00Z', '2024-02-03 18:00Z'),  -- 10 h
    ('t05-a', 4, 1, 'completed',   NULL, NULL, '2024-01-01Z', '2024-02-04 08:00Z', '2024-02-04 09:30Z'),  -- 1.5 h
    ('t05-a', 5, 2, 'completed',   NULL, NULL, '2024-01-01Z', '2024-02-05 00:00Z', '2024-02-07 00:00Z'),  -- 48 h
    ('t05-a', 6, 2, 'completed',   NULL, NULL, '2024-01-01Z', NULL,                '2024-02-08 00:00Z'),
    ('t05-a', 7, 2, 'in_progress', NULL, NULL, '2024-01-01Z', '2024-02-09 00:00Z', NULL),
    -- 23:20 UTC on 29 February is 00:20 on 1 March in Berlin.
    ('t05-a', 8, 2, 'completed',   NULL, NULL, '2024-01-01Z', '2024-02-28 20:00Z', '2024-02-29 23:20Z'),  -- 27 h 20 min
    ('t05-b', 1, 1, 'completed',   NULL, NULL, '2024-01-01Z', '2024-02-01 00:00Z', '2024-02-05 00:00Z'),  -- 96 h
    ('t05-e', 1, 1, 'open',        NULL, NULL, '2024-01-01Z', NULL,                NULL);

REFRESH MATERIALIZED VIEW mv.job_durations_history;
REFRESH MATERIALIZED VIEW mv.job_durations_recent;

SELECT set_config('app.tenant_id', 't05-a', true);
SET LOCAL ROLE tally_reader;

SELECT results_eq(
    $$SELECT job_id, provider_id, provider_name, completed_on, round(duration_hours::numeric, 4)
      FROM report.job_durations ORDER BY job_id$$,
    $$VALUES (1::bigint, 1::bigint, 'Ada'::text, '2024-02-01'::date,  2.0000::numeric),
             (2,         1,         'Ada',       '2024-02-02',        4.0000),
             (3,         1,         'Ada',       '2024-02-03',       10.0000),
             (4,         1,         'Ada',       '2024-02-04',        1.5000),
             (5,         2,         'Ben',       '2024-02-07',       48.0000),
             (8,         2,         'Ben',       '2024-03-01',       27.3333)$$,
    'one row per completed job with a start, its duration in hours');
SELECT is_empty(
    $$SELECT * FROM report.job_durations WHERE job_id IN (6, 7)$$,
    'a completed job without a start and an unfinished job are left out');
SELECT results_eq(
    $$SELECT completed_on FROM report.job_durations WHERE job_id = 8$$,
    $$VALUES ('2024-03-01'::date)$$,
    'a job completed at 23:20 UTC on 29 February is completed on 1 March in Berlin');
SELECT results_eq(
    $$SELECT provider_id, count(*)::int,
             round(avg(duration_hours)::numeric, 2)::float8,
             round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8,
             round((percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8
      FROM report.job_durations WHERE completed_on BETWEEN '2024-02-01' AND '2024-02-29'
      GROUP BY provider_id ORDER BY provider_id$$,
    $$VALUES (1::bigint, 4, 4.38::float8, 3.00::float8, 8.20::float8),
             (2,         1, 48.00,        48.00,        48.00)$$,
    'February per provider: Ada 1.5, 2, 4, 10 h gives mean 4.38, median 3.00, p90 8.20');
SELECT results_eq(
    $$SELECT count(*)::int,
             round(avg(duration_hours)::numeric, 2)::float8,
             round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8,
             round((percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8
      FROM report.job_durations WHERE completed_on BETWEEN '2024-02-01' AND '2024-02-29'$$,
    $$VALUES (5, 13.10::float8, 4.00::float8, 32.80::float8)$$,
    'February overall: 1.5, 2, 4, 10, 48 h gives mean 13.10, median 4.00, p90 32.80');
SELECT is_empty(
    $$SELECT * FROM report.job_durations WHERE completed_on BETWEEN '2024-04-01' AND '2024-04-30'$$,
    'a range without completed jobs has no rows');
SELECT is_empty(
    $$SELECT * FROM report.job_durations WHERE tenant_id <> 't05-a' OR provider_name = 'Bea'$$,
    'tenant B''s job never appears to tenant A');

SELECT set_config('app.tenant_id', 't05-e', true);
SELECT is_empty('SELECT * FROM report.job_durations', 'a tenant without completed jobs has no rows');

RESET ROLE;
SELECT results_eq(
    $$SELECT job_id, duration_hours FROM mv.job_durations_history WHERE tenant_id = 't05-b'$$,
    $$VALUES (1::bigint, 96::float8)$$,
    'tenant B''s row exists in the materialized view, so its absence above is the filter at work');

SELECT * FROM finish();
ROLLBACK;
