-- job_profit is kept incrementally (V9, R__job_profit.sql): numbered oldest first within each UTC
-- hour, with hour summaries carrying the earlier hours of their day, day summaries the earlier days
-- of their month and month summaries the earlier months' totals, from which the connection's numbers
-- (newest first over the tenant and within each provider) and running totals follow. After every
-- kind of write the routine refresh leaves exactly the definition's rows (mv.job_profit_newest_first
-- computes them from the kept tables as edges.sql and totals.sql do), over the column limits, in the
-- zones furthest east and west and across local and UTC month edges, with late changes to old months
-- and a zone change; it renumbers only the hours written to, and re-summarizes only the providers
-- whose jobs changed.
BEGIN;
SELECT plan(29);

-- Built once on whatever the database holds; everything after this is routine.
SELECT tally.refresh_view('job_profit', false, true);

INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t24-e', 'Furthest east', 'Pacific/Kiritimati'), ('t24-w', 'Furthest west', 'Etc/GMT+12'),
    ('t24-a', 'Auckland', 'Pacific/Auckland'), ('t24-u', 'UTC', 'UTC');
INSERT INTO app.providers (tenant_id, id, name)
SELECT t, p, 'P' || p FROM unnest(ARRAY['t24-e', 't24-w', 't24-a', 't24-u']) t, generate_series(1, 3) p;
INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at) VALUES
    -- The limits: the largest final values of both signs, NULL and 0, the first and last instants
    -- and both infinities, several jobs at one instant (job id breaks the tie).
    ('t24-e', 1, 1, 'completed', NULL, 9999999999.99, '-infinity', NULL, '2026-01-10 00:00Z'),
    ('t24-e', 2, 2, 'completed', NULL, -9999999999.99, '-infinity', NULL, '2026-01-10 00:00Z'),
    ('t24-e', 3, 1, 'completed', NULL, NULL, '-infinity', NULL, '2026-01-10 00:00Z'),
    ('t24-e', 4, 2, 'completed', NULL, 0.00, '-infinity', NULL, '4714-11-24 00:00:00+00 BC'),
    ('t24-e', 5, 1, 'completed', NULL, 9999999999.99, '-infinity', NULL, '294276-12-31 23:59:59.999999+00'),
    ('t24-e', 6, 2, 'completed', NULL, 9999999999.99, '-infinity', NULL, 'infinity'),
    ('t24-e', 7, 1, 'completed', NULL, 9999999999.99, '-infinity', NULL, '-infinity'),
    ('t24-e', 8, 3, 'in_progress', NULL, 5.00, '-infinity', NULL, NULL),
    ('t24-w', 1, 1, 'completed', NULL, 9999999999.99, '-infinity', NULL, '4714-11-24 00:00:00+00 BC'),
    ('t24-w', 2, 1, 'completed', NULL, -9999999999.99, '-infinity', NULL, '294276-12-31 23:59:59.999999+00'),
    -- Across month edges: 31 January 12:00 UTC is 1 February in Auckland, 31 December 11:30 UTC is
    -- 1 January; in Etc/GMT+12, 1 March 06:00 UTC is still 29 February.
    ('t24-a', 1, 1, 'completed', NULL, 700.00, '2024-01-01Z', NULL, '2024-01-31 12:00Z'),
    ('t24-a', 2, 2, 'completed', NULL, 400.00, '2023-12-01Z', NULL, '2023-12-31 11:30Z'),
    ('t24-a', 3, 1, 'completed', NULL, 500.00, '2024-02-01Z', NULL, '2024-03-01 12:00Z'),
    ('t24-a', 4, 3, 'cancelled', NULL, 999.00, '2024-02-01Z', NULL, '2024-03-05 00:00Z'),
    ('t24-w', 3, 2, 'completed', NULL, 12.34, '2024-02-01Z', NULL, '2024-03-01 06:00Z'),
    ('t24-w', 4, 2, 'completed', NULL, 56.78, '2024-02-01Z', NULL, '2024-02-29 23:59:59.999999Z');
-- Many jobs over a few months, spread over three providers, some at equal instants.
INSERT INTO app.jobs (tenant_id, id, provider_id, status, final_value, created_at, completed_at)
SELECT 't24-u', g, 1 + g % 3, 'completed', CASE WHEN g % 7 = 0 THEN NULL ELSE g * 1.25 END, '2024-01-01Z',
       '2024-01-01Z'::timestamptz + (g / 2) * interval '17 hours'
FROM generate_series(1, 240) g;
INSERT INTO app.job_parts (tenant_id, job_id, total_cost)
SELECT 't24-e', 1, 9999999999.99 FROM generate_series(1, 3)
UNION ALL SELECT 't24-e', 4, 9999999999.99
UNION ALL SELECT 't24-e', 8, 1.00
UNION ALL SELECT 't24-w', 1, -9999999999.99
UNION ALL SELECT 't24-a', 1, 50.00
UNION ALL SELECT 't24-a', 4, 1.00
UNION ALL SELECT 't24-u', g, g % 5 * 0.5 FROM generate_series(1, 240, 3) g;

SELECT ok((SELECT count(*) FROM tally.job_profit_changes) > 0, 'the writes logged the days they touched');
SELECT tally.refresh_view('job_profit', true, false);
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'after inserts, the routine refresh gives exactly the definition''s rows (limits, zones, month edges, ties, providers)');
SELECT is_empty('SELECT * FROM tally.job_profit_changes', 'the refresh took the whole log');
SELECT results_eq(
    $$SELECT month, day, place, completed_on FROM mv.job_profit WHERE tenant_id = 't24-a' ORDER BY day, place$$,
    $$VALUES (2023 * 12 + 11, DATE '2023-12-31' - DATE '1970-01-01', 1::bigint, '2024-01-01'::date),
             (2024 * 12, DATE '2024-01-31' - DATE '1970-01-01', 1, '2024-02-01'),
             (2024 * 12 + 2, DATE '2024-03-01' - DATE '1970-01-01', 1, '2024-03-02')$$,
    'a job is numbered within its UTC day and month and dated in its tenant''s zone');
SELECT results_eq(
    $$SELECT month, jobs, carried_jobs, carried_final_value FROM mv.job_profit_months WHERE tenant_id = 't24-a' ORDER BY month$$,
    $$VALUES (2023 * 12 + 11, 1::bigint, 0::bigint, 0::numeric), (2024 * 12, 1, 1, 400.00), (2024 * 12 + 2, 1, 2, 1100.00)$$,
    'each month carries the count and sums of all earlier months');

-- A day no write touches is not renumbered: spoil a job of January (no write) and one of 1 February
-- (writes to other days of February), write, they stay spoiled.
CREATE TEMP TABLE t24_spoiled AS
SELECT job_id, hour_final_value FROM mv.job_profit WHERE tenant_id = 't24-u' AND job_id IN (1, 90);
UPDATE mv.job_profit SET hour_final_value = -1 WHERE tenant_id = 't24-u' AND job_id IN (1, 90);
-- Late data into old months: jobs completed late into closed months, an old job's final value and
-- parts changed, a job moved from February to March, a job reopened, a job and its parts deleted,
-- a part moved to another job, a cancelled job completed, a job moved to another provider.
INSERT INTO app.jobs (tenant_id, id, provider_id, status, final_value, created_at, completed_at)
VALUES ('t24-u', 1000, 2, 'completed', 3.00, '2024-01-01Z', '2024-02-03 05:00Z'),
       ('t24-a', 1000, 1, 'completed', 1.00, '2023-01-01Z', '2023-12-31 11:30Z');
UPDATE app.jobs SET final_value = 1.11 WHERE tenant_id = 't24-u' AND id = 100;
INSERT INTO app.job_parts (tenant_id, job_id, total_cost) VALUES ('t24-u', 101, 9.99);
UPDATE app.jobs SET completed_at = '2024-03-20 00:00Z' WHERE tenant_id = 't24-u' AND id = 110;
UPDATE app.jobs SET status = 'in_progress', completed_at = NULL WHERE tenant_id = 't24-u' AND id = 120;
DELETE FROM app.job_parts WHERE tenant_id = 't24-u' AND job_id = 130;
DELETE FROM app.jobs WHERE tenant_id = 't24-u' AND id IN (130, 131);
UPDATE app.job_parts SET job_id = 2 WHERE tenant_id = 't24-a' AND job_id = 1;
UPDATE app.jobs SET status = 'completed' WHERE tenant_id = 't24-a' AND id = 4;
UPDATE app.jobs SET provider_id = 3 WHERE tenant_id = 't24-e' AND id = 2;
SELECT tally.refresh_view('job_profit', true, false);
SELECT results_eq(
    $$SELECT job_id, completed_at, hour_final_value FROM mv.job_profit WHERE tenant_id = 't24-u' AND job_id IN (1, 90) ORDER BY job_id$$,
    $$VALUES (1::bigint, '2024-01-01 00:00Z'::timestamptz, -1::numeric), (90, '2024-02-01 21:00Z', -1)$$,
    'a day no write touched is kept as it was, not renumbered, also in a month written to');
UPDATE mv.job_profit j SET hour_final_value = s.hour_final_value FROM t24_spoiled s
WHERE j.tenant_id = 't24-u' AND j.job_id = s.job_id;
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'after late inserts, updates and deletes in old months, the routine refresh gives exactly the definition''s rows');
SELECT is_empty(
    $$SELECT month FROM mv.job_profit_months GROUP BY tenant_id, month HAVING count(*) > 1
      UNION ALL
      SELECT m.month FROM mv.job_profit_months m
      WHERE m.jobs <> (SELECT count(*) FROM mv.job_profit j WHERE j.tenant_id = m.tenant_id AND j.month = m.month)$$,
    'every month summary counts exactly its month''s jobs');

-- Several late writes into one old day (10 January: jobs 26-29) and into another day of the same
-- month (20 January: jobs 54, 55): values, parts, a job added, one deleted, one moved between them.
-- A day between them (15 January: jobs 40, 41) is not renumbered; the days after them in January
-- carry the new sums, and so do the months after.
UPDATE t24_spoiled s SET hour_final_value = j.hour_final_value FROM mv.job_profit j
WHERE j.tenant_id = 't24-u' AND j.job_id = 40 AND s.job_id = 1;
UPDATE mv.job_profit SET hour_final_value = -1 WHERE tenant_id = 't24-u' AND job_id = 40;
UPDATE app.jobs SET final_value = 26.26 WHERE tenant_id = 't24-u' AND id = 26;
UPDATE app.jobs SET final_value = NULL WHERE tenant_id = 't24-u' AND id = 29;
INSERT INTO app.job_parts (tenant_id, job_id, total_cost) VALUES ('t24-u', 27, 2.70), ('t24-u', 55, 5.50);
INSERT INTO app.jobs (tenant_id, id, provider_id, status, final_value, created_at, completed_at)
VALUES ('t24-u', 2000, 3, 'completed', 20.00, '2024-01-01Z', '2024-01-10 00:00Z'),
       ('t24-u', 2001, 1, 'completed', 20.01, '2024-01-01Z', '2024-01-20 23:59:59.999999Z');
DELETE FROM app.job_parts WHERE tenant_id = 't24-u' AND job_id = 28;
DELETE FROM app.jobs WHERE tenant_id = 't24-u' AND id = 28;
UPDATE app.jobs SET completed_at = '2024-01-20 12:00Z' WHERE tenant_id = 't24-u' AND id = 27;
UPDATE app.jobs SET final_value = 54.54 WHERE tenant_id = 't24-u' AND id = 54;
SELECT tally.refresh_view('job_profit', true, false);
SELECT results_eq(
    $$SELECT completed_at, hour_final_value FROM mv.job_profit WHERE tenant_id = 't24-u' AND job_id = 40$$,
    $$VALUES ('2024-01-15 04:00Z'::timestamptz, -1::numeric)$$,
    'late writes into two days of a month renumber those days only');
UPDATE mv.job_profit j SET hour_final_value = s.hour_final_value FROM t24_spoiled s
WHERE j.tenant_id = 't24-u' AND j.job_id = 40 AND s.job_id = 1;
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'after several late writes into two days of one old month, the routine refresh gives exactly the definition''s rows');
SELECT bag_eq('SELECT * FROM mv.job_profit_days', $$
    SELECT tenant_id, day, month, count(*) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost,
           coalesce(sum(count(*)) OVER w, 0)::bigint AS carried_jobs, coalesce(sum(sum(final_value)) OVER w, 0) AS carried_final_value,
           coalesce(sum(sum(parts_cost)) OVER w, 0) AS carried_parts_cost
    FROM mv.job_profit GROUP BY tenant_id, day, month
    WINDOW w AS (PARTITION BY tenant_id, month ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)$$,
    'the day summaries hold each day''s jobs and the sums of the earlier days of its month');
SELECT bag_eq('SELECT * FROM mv.job_profit_provider_days', $$
    SELECT tenant_id, provider_id, day, month, count(*) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost,
           coalesce(sum(count(*)) OVER w, 0)::bigint AS carried_jobs, coalesce(sum(sum(final_value)) OVER w, 0) AS carried_final_value,
           coalesce(sum(sum(parts_cost)) OVER w, 0) AS carried_parts_cost
    FROM mv.job_profit GROUP BY tenant_id, provider_id, day, month
    WINDOW w AS (PARTITION BY tenant_id, provider_id, month ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)$$,
    'the provider day summaries hold each provider''s days and the sums of the earlier days of its month');

-- Only the providers whose jobs changed are summarized again: on 22 January jobs 60 (provider 1)
-- and 61 (provider 2) share an instant; a late write to job 60 leaves provider 2's day and later
-- months as they were (spoiled here, still spoiled after), while provider 1's carry the new value.
CREATE TEMP TABLE t24_provider_days AS
SELECT * FROM mv.job_profit_provider_days WHERE tenant_id = 't24-u' AND provider_id = 2;
CREATE TEMP TABLE t24_provider_months AS
SELECT * FROM mv.job_profit_provider_months WHERE tenant_id = 't24-u' AND provider_id = 2;
UPDATE mv.job_profit_provider_days SET carried_jobs = -1
WHERE tenant_id = 't24-u' AND provider_id = 2 AND day = DATE '2024-01-22' - DATE '1970-01-01';
UPDATE mv.job_profit_provider_months SET carried_jobs = -1
WHERE tenant_id = 't24-u' AND provider_id = 2 AND month = 2024 * 12 + 1;
UPDATE app.jobs SET final_value = 60.60 WHERE tenant_id = 't24-u' AND id = 60;
SELECT tally.refresh_view('job_profit', true, false);
SELECT results_eq(
    $$SELECT (SELECT carried_jobs FROM mv.job_profit_provider_days
              WHERE tenant_id = 't24-u' AND provider_id = 2 AND day = DATE '2024-01-22' - DATE '1970-01-01'),
             (SELECT carried_jobs FROM mv.job_profit_provider_months
              WHERE tenant_id = 't24-u' AND provider_id = 2 AND month = 2024 * 12 + 1)$$,
    $$VALUES (-1::bigint, -1::bigint)$$,
    'a provider whose jobs did not change keeps its day and month summaries, though another provider''s job that day changed');
DELETE FROM mv.job_profit_provider_days WHERE tenant_id = 't24-u' AND provider_id = 2;
INSERT INTO mv.job_profit_provider_days SELECT * FROM t24_provider_days;
DELETE FROM mv.job_profit_provider_months WHERE tenant_id = 't24-u' AND provider_id = 2;
INSERT INTO mv.job_profit_provider_months SELECT * FROM t24_provider_months;
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'after a late write to one provider''s job, the routine refresh gives exactly the definition''s rows');
SELECT results_eq(
    $$SELECT month, final_value, carried_final_value FROM mv.job_profit_provider_months
      WHERE tenant_id = 't24-u' AND provider_id = 1 AND month IN (2024 * 12, 2024 * 12 + 1) ORDER BY month$$,
    $$SELECT month, sum(final_value),
             coalesce(sum(sum(final_value)) OVER (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
      FROM mv.job_profit_definition d
      CROSS JOIN LATERAL (SELECT tally.job_profit_month(d.completed_at) AS month) m
      WHERE tenant_id = 't24-u' AND provider_id = 1
      GROUP BY month ORDER BY month LIMIT 2$$,
    'the changed provider''s month and the months after it carry the new value');

-- Hours: 22 January holds jobs 60 and 61 at 06:00 and 62 and 63 at 23:00 UTC. Late writes to the
-- 23:00 hour (a new final value, a job added at its first instant after 62 and 63, a job moved from
-- it to 06:30, a final value set to NULL) renumber that hour and the one the moved job enters; a
-- job added at 05:59:59.999999 opens an hour of its own. 15 January holds jobs 40 and 41 at 04:00
-- and 42 and 43 at 21:00: a late write to job 43 renumbers 21:00 only, not job 40's hour.
UPDATE t24_spoiled s SET hour_final_value = j.hour_final_value FROM mv.job_profit j
WHERE j.tenant_id = 't24-u' AND j.job_id = 40 AND s.job_id = 1;
UPDATE mv.job_profit SET hour_final_value = -1 WHERE tenant_id = 't24-u' AND job_id = 40;
UPDATE app.jobs SET final_value = 43.43 WHERE tenant_id = 't24-u' AND id = 43;
UPDATE app.jobs SET final_value = 62.62 WHERE tenant_id = 't24-u' AND id = 62;
INSERT INTO app.jobs (tenant_id, id, provider_id, status, final_value, created_at, completed_at)
VALUES ('t24-u', 3000, 2, 'completed', 30.00, '2024-01-01Z', '2024-01-22 05:59:59.999999Z'),
       ('t24-u', 3001, 2, 'completed', NULL, '2024-01-01Z', '2024-01-22 23:00:00Z');
UPDATE app.jobs SET completed_at = '2024-01-22 06:30Z' WHERE tenant_id = 't24-u' AND id = 63;
UPDATE app.jobs SET final_value = NULL WHERE tenant_id = 't24-u' AND id = 61;
SELECT results_eq(
    $$SELECT hour - day * 24::bigint FROM tally.job_profit_changes WHERE tenant_id = 't24-u' GROUP BY 1 ORDER BY 1$$,
    $$VALUES (5::bigint), (6), (21), (23)$$,
    'the writes logged the UTC hours they touched, an hour''s last instant in its own hour');
SELECT tally.refresh_view('job_profit', true, false);
SELECT results_eq(
    $$SELECT hour_final_value FROM mv.job_profit WHERE tenant_id = 't24-u' AND job_id = 40$$,
    $$VALUES (-1::numeric)$$,
    'an hour no write touched is kept as it was, not renumbered, though its day was written to');
UPDATE mv.job_profit j SET hour_final_value = s.hour_final_value FROM t24_spoiled s
WHERE j.tenant_id = 't24-u' AND j.job_id = 40 AND s.job_id = 1;
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'after late writes into hours of old days (values, NULLs, an insert at an hour''s last instant, a move between hours), the routine refresh gives exactly the definition''s rows');
SELECT results_eq(
    $$SELECT job_id, hour - day * 24::bigint, place FROM mv.job_profit
      WHERE tenant_id = 't24-u' AND day = DATE '2024-01-22' - DATE '1970-01-01' ORDER BY hour, place$$,
    $$VALUES (3000::bigint, 5::bigint, 1::bigint), (60, 6, 1), (61, 6, 2), (63, 6, 3), (62, 23, 1), (3001, 23, 2)$$,
    'jobs are numbered within their UTC hour, oldest first, job id breaking ties');
SELECT bag_eq('SELECT * FROM mv.job_profit_hours', $$
    SELECT tenant_id, hour, day, month, count(*) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost,
           coalesce(sum(count(*)) OVER w, 0)::bigint AS carried_jobs, coalesce(sum(sum(final_value)) OVER w, 0) AS carried_final_value,
           coalesce(sum(sum(parts_cost)) OVER w, 0) AS carried_parts_cost
    FROM mv.job_profit GROUP BY tenant_id, hour, day, month
    WINDOW w AS (PARTITION BY tenant_id, day ORDER BY hour ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)$$,
    'the hour summaries hold each hour''s jobs and the sums of the earlier hours of its day');
SELECT bag_eq('SELECT * FROM mv.job_profit_provider_hours', $$
    SELECT tenant_id, provider_id, hour, day, month, count(*) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost,
           coalesce(sum(count(*)) OVER w, 0)::bigint AS carried_jobs, coalesce(sum(sum(final_value)) OVER w, 0) AS carried_final_value,
           coalesce(sum(sum(parts_cost)) OVER w, 0) AS carried_parts_cost
    FROM mv.job_profit GROUP BY tenant_id, provider_id, hour, day, month
    WINDOW w AS (PARTITION BY tenant_id, provider_id, day ORDER BY hour ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)$$,
    'the provider hour summaries hold each provider''s hours and the sums of the earlier hours of its day');

-- A month whose only jobs leave it is gone, and the months after it carry less.
UPDATE app.jobs SET status = 'cancelled' WHERE tenant_id = 't24-a' AND id IN (2, 1000);
SELECT tally.refresh_view('job_profit', true, false);
SELECT results_eq(
    $$SELECT month, carried_jobs FROM mv.job_profit_months WHERE tenant_id = 't24-a' ORDER BY month$$,
    $$VALUES (2024 * 12, 0::bigint), (2024 * 12 + 2, 1::bigint)$$,
    'a month left without jobs is gone and the later months carry only what is left');
SELECT bag_eq('SELECT * FROM mv.job_profit_provider_months', $$
    SELECT tenant_id, provider_id, month, count(*) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost,
           coalesce(sum(count(*)) OVER w, 0)::bigint AS carried_jobs, coalesce(sum(sum(final_value)) OVER w, 0) AS carried_final_value,
           coalesce(sum(sum(parts_cost)) OVER w, 0) AS carried_parts_cost
    FROM mv.job_profit GROUP BY tenant_id, provider_id, month
    WINDOW w AS (PARTITION BY tenant_id, provider_id ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)$$,
    'the provider month summaries hold each provider''s months and carried totals');

-- A row logged before hours were (a day without its hour) is read as its whole tenant.
UPDATE mv.job_profit SET hour_final_value = -1 WHERE tenant_id = 't24-u' AND job_id = 40;
INSERT INTO tally.job_profit_changes (tenant_id, month, day) VALUES ('t24-u', 2024 * 12 + 2, DATE '2024-03-20' - DATE '1970-01-01');
SELECT tally.refresh_view('job_profit', true, false);
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'a day logged without its hour renumbers its whole tenant (a row far from that day healed too)');

-- A tenant's zone changes: every one of its jobs may move to another local date.
UPDATE app.tenants SET time_zone = 'Pacific/Kiritimati' WHERE id = 't24-w';
UPDATE app.tenants SET time_zone = 'Etc/GMT+12' WHERE id = 't24-u';
SELECT tally.refresh_view('job_profit', true, false);
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'after tenants'' zones changed, the routine refresh gives exactly the definition''s rows');

-- The full rebuild heals what no trigger saw.
ALTER TABLE app.job_parts DISABLE TRIGGER job_profit_inserted;
INSERT INTO app.job_parts (tenant_id, job_id, total_cost) VALUES ('t24-u', 2, 1000.00);
ALTER TABLE app.job_parts ENABLE TRIGGER job_profit_inserted;
SELECT tally.refresh_view('job_profit', true, false);
SELECT isnt_empty('SELECT * FROM mv.job_profit_newest_first EXCEPT ALL SELECT * FROM mv.job_profit_definition',
    'a write no trigger saw is missed by the routine refresh');
SELECT ok(tally.refresh_view('job_profit', true, true) > 0, 'the full rebuild runs');
SELECT bag_eq('SELECT * FROM mv.job_profit_newest_first', 'SELECT * FROM mv.job_profit_definition',
    'the full rebuild heals it');
SELECT ok((SELECT rebuilt_at IS NOT NULL FROM tally.incremental_views WHERE view_name = 'job_profit'),
    'the full rebuild is recorded for the rebuild schedule');

SELECT * FROM finish();
ROLLBACK;
