-- jobProfit: one row per completed job; parts summed once per job; NULL final value as 0.
BEGIN;
SELECT plan(12);

-- Tenant A lives in Los Angeles (UTC-8 in January).
INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t04-a', 'Tenant A', 'America/Los_Angeles'), ('t04-b', 'Tenant B', 'UTC'), ('t04-e', 'Tenant E', 'UTC');
INSERT INTO app.providers (tenant_id, id, name) VALUES
    ('t04-a', 1, 'Ada'), ('t04-a', 2, 'Ben'), ('t04-b', 1, 'Bea'), ('t04-e', 1, 'Eve');
INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at) VALUES
    ('t04-a', 1, 1, 'completed',   NULL,  500.00, '2024-01-01Z', NULL, '2024-01-15 20:00Z'),
    -- 07:30 UTC on the 16th is 23:30 on the 15th in Los Angeles.
    ('t04-a', 2, 1, 'completed',   NULL,    NULL, '2024-01-01Z', NULL, '2024-01-16 07:30Z'),
    -- Completed at the same instant as job 2: the higher job id comes first.
    ('t04-a', 3, 2, 'completed',   NULL,  200.00, '2024-01-01Z', NULL, '2024-01-16 07:30Z'),
    ('t04-a', 4, 2, 'completed',   NULL,    0.00, '2024-01-01Z', NULL, '2024-01-10 12:00Z'),
    ('t04-a', 5, 1, 'in_progress', NULL, 1000.00, '2024-01-01Z', NULL, NULL),
    ('t04-a', 6, 2, 'completed',   NULL,   90.00, '2024-01-01Z', NULL, '2024-01-20 12:00Z'),
    ('t04-b', 1, 1, 'completed',   NULL, 7777.00, '2024-01-01Z', NULL, '2024-01-15 20:00Z');
INSERT INTO app.job_parts (tenant_id, id, job_id, total_cost) VALUES
    -- Three parts on one job: its 500.00 must still count once.
    ('t04-a', 1, 1, 100.00),
    ('t04-a', 2, 1,  50.00),
    ('t04-a', 3, 1,  25.50),
    ('t04-a', 4, 2,  30.00),
    ('t04-a', 5, 5, 400.00),
    ('t04-a', 6, 6, 100.00),
    ('t04-b', 1, 1,   1.00);

SELECT tally.refresh_view('job_profit', false, true);

-- The connection's numbers (newest first) as edges.sql and totals.sql compute them from the kept
-- tables; 24-job-profit-incremental.sql holds them to the definition row for row.
SELECT results_eq(
    $$SELECT position, job_id, provider_id, completed_on, final_value, parts_cost, profit, margin_percent
      FROM mv.job_profit_newest_first WHERE tenant_id = 't04-a' ORDER BY position$$,
    $$VALUES (1::bigint, 6::bigint, 2::bigint, '2024-01-20'::date,  90.00::numeric(12,2), 100.00::numeric(12,2), -10.00::numeric(12,2), -11.11::float8),
             (2,         3,         2,         '2024-01-15',       200.00,                  0.00,                 200.00,                100.00),
             (3,         2,         1,         '2024-01-15',         0.00,                 30.00,                 -30.00,                NULL),
             (4,         1,         1,         '2024-01-15',       500.00,                175.50,                 324.50,                 64.90),
             (5,         4,         2,         '2024-01-10',         0.00,                  0.00,                   0.00,                NULL)$$,
    'one row per completed job, newest completion first, then job id descending');
SELECT results_eq(
    $$SELECT job_id FROM mv.job_profit_newest_first WHERE tenant_id = 't04-a' AND position > 2 ORDER BY position LIMIT 2$$,
    $$VALUES (2::bigint), (1::bigint)$$,
    'the page after cursor 2 starts at the next job in the connection''s order');
SELECT results_eq(
    $$SELECT job_id, provider_position FROM mv.job_profit_newest_first WHERE tenant_id = 't04-a' AND provider_id = 2 ORDER BY provider_position$$,
    $$VALUES (6::bigint, 1::bigint), (3::bigint, 2::bigint), (4::bigint, 3::bigint)$$,
    'within a provider the jobs are numbered densely in the same order, the cursor of the providerId filter');

SELECT set_config('app.tenant_id', 't04-a', true);
SET LOCAL ROLE tally_reader;

SELECT results_eq(
    $$SELECT final_value, parts_cost, profit FROM report.job_profit WHERE job_id = 1$$,
    $$VALUES (500.00::numeric(12,2), 175.50::numeric(12,2), 324.50::numeric(12,2))$$,
    'a job with three parts keeps its final value once and sums its parts');
SELECT results_eq(
    $$SELECT final_value, profit, margin_percent FROM report.job_profit WHERE job_id = 2$$,
    $$VALUES (0.00::numeric(12,2), -30.00::numeric(12,2), NULL::float8)$$,
    'a job without a final value counts as 0 and has no margin');
SELECT results_eq(
    $$SELECT margin_percent FROM report.job_profit WHERE job_id = 4$$,
    $$VALUES (NULL::float8)$$,
    'a job with a final value of 0 has no margin');
SELECT results_eq(
    $$SELECT parts_cost FROM report.job_profit WHERE job_id = 3$$,
    $$VALUES (0.00::numeric(12,2))$$,
    'a job without parts costs 0.00, not NULL');
SELECT results_eq(
    $$SELECT completed_at, completed_on FROM report.job_profit WHERE job_id = 2$$,
    $$VALUES ('2024-01-16 07:30Z'::timestamptz, '2024-01-15'::date)$$,
    'a job completed at 07:30 UTC on the 16th is completed on the 15th in Los Angeles');
SELECT results_eq(
    $$SELECT count(*)::int, sum(final_value), sum(parts_cost), sum(profit)
      FROM report.job_profit WHERE completed_on BETWEEN '2024-01-01' AND '2024-01-31'$$,
    $$VALUES (5, 790.00::numeric, 305.50::numeric, 484.50::numeric)$$,
    'January totals five completed jobs; the in-progress job and its part are left out');
SELECT is_empty(
    $$SELECT * FROM report.job_profit WHERE tenant_id <> 't04-a' OR final_value = 7777.00$$,
    'tenant B''s job never appears to tenant A');

SELECT set_config('app.tenant_id', 't04-e', true);
SELECT is_empty('SELECT * FROM report.job_profit', 'a tenant without completed jobs has no rows');

RESET ROLE;
SELECT results_eq(
    $$SELECT final_value, position FROM mv.job_profit_newest_first WHERE tenant_id = 't04-b'$$,
    $$VALUES (7777.00::numeric(12,2), 1::bigint)$$,
    'tenant B''s row exists in the kept table, with positions numbered per tenant');

SELECT * FROM finish();
ROLLBACK;
