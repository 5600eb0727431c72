-- Every view refreshes, and its numbers stay exact, when one tenant's rows hold the limits of every
-- source column: the largest bigint and numeric(12,2) amounts, many of them, negative differences,
-- zero divisors, and the first, last and infinite timestamps PostgreSQL accepts, in the zones
-- furthest east (+14) and west (-12). A refresh that raised here would stop every tenant's view.
-- M = 9223372036854775807 (bigint max); A = 9999999999.99 (numeric(12,2) max).
BEGIN;
SELECT plan(27);

INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t09-e', 'Furthest east', 'Pacific/Kiritimati'), ('t09-w', 'Furthest west', 'Etc/GMT+12');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t09-e', 1, 'Max', 'north'), ('t09-e', 2, 'Edges', 'north'), ('t09-w', 1, 'West', 'south');
INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES
    ('t09-e', 1, 'Everything', 9223372036854775807), ('t09-w', 1, 'Everything', 9223372036854775807);
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    -- 2026-01-10 00:00 UTC is Saturday 14:00 in Kiritimati: three paid orders of M each.
    ('t09-e', 1, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    ('t09-e', 2, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    ('t09-e', 3, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    -- The first and last instants and both infinities.
    ('t09-e', 4, 2, '4714-11-24 00:00:00+00 BC', 'paid', 9223372036854775807),
    ('t09-e', 5, 2, '294276-12-31 23:59:59.999999+00', 'paid', 9223372036854775807),
    ('t09-e', 6, 2, 'infinity', 'paid', 9223372036854775807),
    ('t09-e', 7, 2, '-infinity', 'paid', 9223372036854775807),
    ('t09-w', 1, 1, '4714-11-24 00:00:00+00 BC', 'paid', 9223372036854775807),
    ('t09-w', 2, 1, '294276-12-31 23:59:59.999999+00', 'paid', 9223372036854775807);
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents)
SELECT 't09-e', o, 1, 2147483647, 9223372036854775807 FROM generate_series(1, 7) AS o, generate_series(1, 2)
UNION ALL
SELECT 't09-w', o, 1, 2147483647, 9223372036854775807 FROM generate_series(1, 2) AS o;
INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES
    ('t09-e', 2026, 1, 9223372036854775807), ('t09-e', 2026, 2, 0);
INSERT INTO app.plans (tenant_id, id, name, monthly_price_cents) VALUES
    ('t09-e', 1, 'Top', 9223372036854775807), ('t09-w', 1, 'Top', 9223372036854775807);
INSERT INTO app.subscriptions (tenant_id, id, plan_id, customer_id, status, monthly_price_cents, started_at) VALUES
    ('t09-e', 1, 1, 1, 'active', 9223372036854775807, '-infinity'),
    ('t09-e', 2, 1, 1, 'active', 9223372036854775807, 'infinity'),
    ('t09-e', 3, 1, 2, 'active', 9223372036854775807, '2026-01-01Z');
INSERT INTO app.usage_records (tenant_id, subscription_id, recorded_at, api_calls)
SELECT 't09-e', s, 'infinity', 9223372036854775807 FROM generate_series(1, 3) AS s, generate_series(1, 2);
INSERT INTO app.providers (tenant_id, id, name) VALUES
    ('t09-e', 1, 'Big'), ('t09-e', 2, 'Zero'), ('t09-w', 1, 'West');
INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at) VALUES
    -- Provider 1, local 2026-01-10: estimated A, final -A, three times: a negative upsell of 6 A.
    ('t09-e', 1, 1, 'completed', 9999999999.99, -9999999999.99, '-infinity', '4714-11-24 00:00:00+00 BC', '2026-01-10 00:00Z'),
    ('t09-e', 2, 1, 'completed', 9999999999.99, -9999999999.99, '-infinity', '2026-01-10 00:00Z', '2026-01-10 00:00Z'),
    ('t09-e', 3, 1, 'completed', 9999999999.99, -9999999999.99, '-infinity', '-infinity', '2026-01-10 00:00Z'),
    -- Provider 2: nothing estimated (a zero divisor), final A; parts of 3 A.
    ('t09-e', 4, 2, 'completed', 0.00, 9999999999.99, '-infinity', '2026-01-09 10:00Z', '2026-01-10 00:00Z'),
    -- Final 0 with parts: no margin.
    ('t09-e', 5, 2, 'completed', NULL, 0.00, '-infinity', NULL, '2026-01-10 00:00Z'),
    -- Completed at the last instant and at infinity.
    ('t09-e', 6, 2, 'completed', 9999999999.99, 9999999999.99, '-infinity', '4714-11-24 00:00:00+00 BC', '294276-12-31 23:59:59.999999+00'),
    ('t09-e', 7, 2, 'completed', 9999999999.99, 9999999999.99, '-infinity', '2026-01-01Z', 'infinity'),
    ('t09-w', 1, 1, 'completed', -9999999999.99, 9999999999.99, '-infinity', '294276-12-31 23:59:59.999999+00', '4714-11-24 00:00:00+00 BC');
INSERT INTO app.job_parts (tenant_id, job_id, total_cost)
SELECT 't09-e', 4, 9999999999.99 FROM generate_series(1, 3)
UNION ALL SELECT 't09-e', 5, 9999999999.99
UNION ALL SELECT 't09-w', 1, -9999999999.99;

SELECT lives_ok('REFRESH MATERIALIZED VIEW mv.daily_revenue_history', 'daily_revenue''s history part refreshes over the column limits');
SELECT lives_ok('REFRESH MATERIALIZED VIEW mv.daily_revenue_recent', 'daily_revenue''s recent part refreshes over the column limits');
SELECT lives_ok($$SELECT tally.refresh_view('plan_usage', false, true)$$, 'plan_usage refreshes over the column limits');
SELECT lives_ok('REFRESH MATERIALIZED VIEW mv.upsell_history', 'upsell''s history part refreshes over the column limits');
SELECT lives_ok('REFRESH MATERIALIZED VIEW mv.upsell_recent', 'upsell''s recent part refreshes over the column limits');
SELECT lives_ok($$SELECT tally.refresh_view('job_profit', false, true)$$, 'job_profit refreshes over the column limits');
SELECT lives_ok('REFRESH MATERIALIZED VIEW mv.job_durations_history', 'job_durations''s history part refreshes over the column limits');
SELECT lives_ok('REFRESH MATERIALIZED VIEW mv.job_durations_recent', 'job_durations''s recent part refreshes over the column limits');
SELECT lives_ok($$SELECT tally.refresh_view('sales_vs_target', false, true)$$, 'sales_vs_target refreshes over the column limits');
SELECT lives_ok($$SELECT tally.refresh_view('customer_activity', false, true)$$, 'customer_activity refreshes over the column limits');
SELECT lives_ok('REFRESH MATERIALIZED VIEW mv.regions', 'regions refreshes over the column limits');
-- Every view is read by a concurrent refresh too, which compares old and new rows.
SELECT lives_ok('REFRESH MATERIALIZED VIEW CONCURRENTLY mv.daily_revenue_history', 'a concurrent refresh of the same rows works as well (history)');
SELECT lives_ok('REFRESH MATERIALIZED VIEW CONCURRENTLY mv.daily_revenue_recent', 'a concurrent refresh of the same rows works as well (recent)');

-- M = 9223372036854775807, 2M = 18446744073709551614, 3M = 27670116110564327421,
-- 4M = 36893488147419103228, 6M = 55340232221128654842; A = 9999999999.99.
SELECT results_eq(
    $$SELECT orders_created, paid_orders, revenue_cents FROM (SELECT tenant_id, day, orders_created, paid_orders, revenue_cents FROM mv.daily_revenue_history UNION ALL SELECT tenant_id, day, orders_created, paid_orders, revenue_cents FROM mv.daily_revenue_recent) d
      WHERE tenant_id = 't09-e' AND day = '2026-01-10'$$,
    $$VALUES (3::bigint, 3::bigint, 27670116110564327421::numeric)$$,
    'three orders of M cents sum to 3M, past bigint, exactly');
SELECT results_eq(
    $$SELECT day, orders_created, revenue_cents FROM (SELECT tenant_id, day, orders_created, paid_orders, revenue_cents FROM mv.daily_revenue_history UNION ALL SELECT tenant_id, day, orders_created, paid_orders, revenue_cents FROM mv.daily_revenue_recent) d WHERE tenant_id = 't09-e' AND day <> '2026-01-10' ORDER BY day$$,
    $$VALUES ('4714-11-25 BC'::date, 2::bigint, 18446744073709551614::numeric),
             ('294276-12-29'::date, 2::bigint, 18446744073709551614::numeric)$$,
    'the first instant and -infinity, the last instant and infinity, land on the days at the ends of time (Kiritimati kept LMT, -10:29, in 4714 BC)');
SELECT results_eq(
    $$SELECT active_subscriptions, monthly_revenue_cents, total_api_calls FROM mv.plan_usage WHERE tenant_id = 't09-e'$$,
    $$VALUES (3::bigint, 27670116110564327421::numeric, 55340232221128654842::numeric)$$,
    'three active subscriptions of M cents make 3M a month; six usage records of M calls make 6M');
SELECT results_eq(
    $$SELECT active_subscriptions, monthly_revenue_cents, total_api_calls FROM mv.plan_usage WHERE tenant_id = 't09-w'$$,
    $$VALUES (0::bigint, 0::numeric, 0::numeric)$$,
    'a plan without active subscriptions has zeros');
SELECT results_eq(
    $$SELECT completed_jobs, total_estimated, total_final, total_final - total_estimated
      FROM (SELECT tenant_id, completed_on, provider_id, completed_jobs, total_estimated, total_final FROM mv.upsell_history
            UNION ALL SELECT * FROM mv.upsell_recent) u
      WHERE tenant_id = 't09-e' AND completed_on = '2026-01-10' ORDER BY provider_id$$,
    $$VALUES (3::bigint, 29999999999.97::numeric, -29999999999.97::numeric, -59999999999.94::numeric),
             (2::bigint, 0.00::numeric, 9999999999.99::numeric, 9999999999.99::numeric)$$,
    'three jobs estimated at A and finished at -A: 3A, -3A and a negative upsell of 6A; nothing estimated sums to 0.00');
SELECT results_eq(
    $$SELECT final_value, parts_cost, profit, margin_percent FROM mv.job_profit WHERE tenant_id = 't09-e' AND job_id = 4$$,
    $$VALUES (9999999999.99::numeric, 29999999999.97::numeric, -19999999999.98::numeric, -200::float8)$$,
    'a job of A with three parts of A costs 3A, past numeric(12,2), and loses 2A: a margin of -200 %');
SELECT results_eq(
    $$SELECT final_value, parts_cost, profit, margin_percent FROM mv.job_profit WHERE tenant_id = 't09-e' AND job_id = 5$$,
    $$VALUES (0.00::numeric, 9999999999.99::numeric, -9999999999.99::numeric, NULL::float8)$$,
    'a final value of 0 is a zero divisor: no margin');
SELECT results_eq(
    $$SELECT job_id, running_jobs, running_final_value, running_parts_cost FROM mv.job_profit_newest_first
      WHERE tenant_id = 't09-e' ORDER BY position DESC LIMIT 1$$,
    $$VALUES (1::bigint, 7::bigint, 0.00::numeric, 39999999999.96::numeric)$$,
    'the running totals over all seven jobs: A + A + 0 + A - 3A = 0.00 final value, 4A of parts');
SELECT results_eq(
    $$SELECT job_id, round(duration_hours::numeric, 2) FROM (SELECT tenant_id, job_id, duration_hours FROM mv.job_durations_history UNION ALL SELECT tenant_id, job_id, duration_hours FROM mv.job_durations_recent) j
      WHERE tenant_id = 't09-e' AND job_id IN (2, 4, 3, 7) ORDER BY job_id$$,
    $$VALUES (2::bigint, 0.00::numeric), (4::bigint, 14.00::numeric)$$,
    'a job started and completed at once took 0 hours; an infinite start or end has no duration and is left out');
SELECT results_eq(
    $$SELECT job_id, duration_hours > 2620884671 FROM (SELECT tenant_id, job_id, duration_hours FROM mv.job_durations_history UNION ALL SELECT tenant_id, job_id, duration_hours FROM mv.job_durations_recent) j WHERE job_id = 6 AND tenant_id = 't09-e'
      UNION ALL
      SELECT job_id, duration_hours < -2620884671 FROM (SELECT tenant_id, job_id, duration_hours FROM mv.job_durations_history UNION ALL SELECT tenant_id, job_id, duration_hours FROM mv.job_durations_recent) j WHERE tenant_id = 't09-w'$$,
    $$VALUES (6::bigint, true), (1::bigint, true)$$,
    'a job from the first to the last instant lasts about 2.6 billion hours, one completed before it started as many negative');
SELECT results_eq(
    $$SELECT month, gross_sales_cents, weekend_gross_sales_cents, target_cents, attainment_percent
      FROM mv.sales_vs_target WHERE tenant_id = 't09-e' AND year = 2026 ORDER BY month$$,
    $$VALUES (1, 55340232221128654842::numeric, 55340232221128654842::numeric, 9223372036854775807::bigint, 600::float8),
             (2, 0::numeric, 0::numeric, 0::bigint, NULL::float8)$$,
    'six lines of M on a local Saturday make 6M of weekend sales, 600 % of a target of M; a target of 0 has no attainment');
SELECT results_eq(
    $$SELECT year, month, gross_sales_cents FROM mv.sales_vs_target WHERE tenant_id = 't09-w' ORDER BY year$$,
    $$VALUES (-4714, 11, 9223372036854775807::numeric), (294276, 12, 9223372036854775807::numeric)$$,
    'the first and last instants fall in local months at the ends of time');
SELECT results_eq(
    $$SELECT customer_id, paid_orders, lifetime_revenue_cents, avg_days_between_orders, revenue_rank
      FROM mv.customer_activity_numbered WHERE tenant_id = 't09-e' ORDER BY customer_id$$,
    $$VALUES (1::bigint, 3::bigint, 27670116110564327421::numeric, 0::float8, 2::bigint),
             (2::bigint, 4::bigint, 36893488147419103228::numeric, 109203528::float8, 1::bigint)$$,
    'lifetime revenue past bigint ranks exactly; only the gap between two finite times counts (109,203,528 days from 4714 BC to AD 294276)');
SELECT results_eq(
    $$SELECT first_order_at, last_order_at FROM mv.customer_activity WHERE tenant_id = 't09-e' AND customer_id = 2$$,
    $$VALUES ('-infinity'::timestamptz, 'infinity'::timestamptz)$$,
    'infinite order times are kept as the first and last order');

SELECT * FROM finish();
ROLLBACK;
