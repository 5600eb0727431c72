-- upsell: completed jobs per tenant-local completion day and provider; NULL values count as 0.
BEGIN;
SELECT plan(10);

-- Tenant A lives in Tokyo (UTC+9).
INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t03-a', 'Tenant A', 'Asia/Tokyo'), ('t03-b', 'Tenant B', 'UTC'), ('t03-e', 'Tenant E', 'UTC');
INSERT INTO app.providers (tenant_id, id, name) VALUES
    ('t03-a', 1, 'Ada'), ('t03-a', 2, 'Ben'), ('t03-a', 3, 'Cy'),
    ('t03-b', 1, 'Bea'),
    ('t03-e', 1, 'Eve');
INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at) VALUES
    ('t03-a', 1, 1, 'completed',   100.00, 150.00, '2024-04-01Z', NULL, '2024-05-01 03:00Z'),
    ('t03-a', 2, 1, 'completed',     NULL,  80.00, '2024-04-01Z', NULL, '2024-05-01 05:00Z'),
    ('t03-a', 3, 2, 'completed',   200.00,   NULL, '2024-04-01Z', NULL, '2024-05-02 10:00Z'),
    -- 16:00 UTC on 30 April is 01:00 on 1 May in Tokyo.
    ('t03-a', 4, 2, 'completed',    50.00,  70.00, '2024-04-01Z', NULL, '2024-04-30 16:00Z'),
    ('t03-a', 5, 1, 'in_progress', 999.00,   NULL, '2024-04-01Z', NULL, NULL),
    ('t03-a', 6, 3, 'cancelled',    10.00,  10.00, '2024-04-01Z', NULL, '2024-05-01 03:00Z'),
    -- 15:30 UTC on 31 May is 00:30 on 1 June in Tokyo.
    ('t03-a', 7, 3, 'completed',    10.00,  10.00, '2024-04-01Z', NULL, '2024-05-31 15:30Z'),
    ('t03-a', 8, 3, 'completed',     NULL,  40.00, '2024-04-01Z', NULL, '2024-05-10 00:00Z'),
    ('t03-b', 1, 1, 'completed',  5000.00, 9000.00, '2024-04-01Z', NULL, '2024-05-01 03:00Z'),
    ('t03-e', 1, 1, 'open',         10.00,   NULL, '2024-04-01Z', NULL, NULL);

REFRESH MATERIALIZED VIEW mv.upsell_history;
REFRESH MATERIALIZED VIEW mv.upsell_recent;

SELECT set_config('app.tenant_id', 't03-a', true);
SET LOCAL ROLE tally_reader;

SELECT results_eq(
    $$SELECT completed_on, provider_id, provider_name, completed_jobs, total_estimated, total_final
      FROM report.upsell ORDER BY completed_on, provider_id$$,
    $$VALUES ('2024-05-01'::date, 1::bigint, 'Ada'::text, 2::bigint, 100.00::numeric, 230.00::numeric),
             ('2024-05-01',       2,         'Ben',       1,  50.00,           70.00),
             ('2024-05-02',       2,         'Ben',       1, 200.00,            0.00),
             ('2024-05-10',       3,         'Cy',        1,   0.00,           40.00),
             ('2024-06-01',       3,         'Cy',        1,  10.00,           10.00)$$,
    'completed jobs per local completion day and provider');
SELECT results_eq(
    $$SELECT total_estimated FROM report.upsell WHERE completed_on = '2024-05-10' AND provider_id = 3$$,
    $$VALUES (0.00::numeric)$$,
    'a job without an estimate counts as 0 estimated, so its day sums to 0.00, not NULL');
SELECT results_eq(
    $$SELECT total_final FROM report.upsell WHERE completed_on = '2024-05-02' AND provider_id = 2$$,
    $$VALUES (0.00::numeric)$$,
    'a job without a final value counts as 0 final, so its day sums to 0.00, not NULL');
SELECT is_empty(
    $$SELECT * FROM report.upsell WHERE completed_on = '2024-04-30'$$,
    'a job completed at 16:00 UTC on 30 April is completed on 1 May in Tokyo');
SELECT results_eq(
    $$SELECT completed_on FROM report.upsell WHERE provider_id = 3 AND total_final = 10.00$$,
    $$VALUES ('2024-06-01'::date)$$,
    'a job completed late on 31 May UTC falls in June locally');
SELECT results_eq(
    $$SELECT sum(completed_jobs)::int, sum(total_estimated), sum(total_final)
      FROM report.upsell WHERE completed_on BETWEEN '2024-05-01' AND '2024-05-31'$$,
    $$VALUES (5, 350.00::numeric, 340.00::numeric)$$,
    'May sums five completed jobs; open, in-progress and cancelled jobs are left out');
SELECT is_empty(
    $$SELECT * FROM report.upsell WHERE tenant_id <> 't03-a' OR provider_name = 'Bea'$$,
    'tenant B''s job never appears to tenant A');

SELECT set_config('app.tenant_id', 't03-e', true);
SELECT is_empty('SELECT * FROM report.upsell', 'a tenant without completed jobs has no rows');
SELECT set_config('app.tenant_id', 't03-a', true);
SELECT is_empty(
    $$SELECT * FROM report.upsell WHERE completed_on BETWEEN '2024-07-01' AND '2024-07-31'$$,
    'a range without completed jobs has no rows');

RESET ROLE;
SELECT results_eq(
    $$SELECT provider_id, total_final FROM mv.upsell_history WHERE tenant_id = 't03-b'$$,
    $$VALUES (1::bigint, 9000.00::numeric)$$,
    'tenant B''s row exists in the materialized view, so its absence above is the filter at work');

SELECT * FROM finish();
ROLLBACK;
