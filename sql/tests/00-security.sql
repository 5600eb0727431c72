-- The query role reads the tenant-filtered report views and nothing else, and only the tenant set in
-- app.tenant_id: row-level security does not apply to materialized views, so this is the isolation.
BEGIN;
SELECT plan(68);

-- The role itself.
SELECT ok(NOT rolsuper, 'tally_reader is not a superuser') FROM pg_roles WHERE rolname = 'tally_reader';
SELECT ok(NOT rolbypassrls, 'tally_reader cannot bypass row-level security') FROM pg_roles WHERE rolname = 'tally_reader';
SELECT is(
    (SELECT count(*)::int FROM pg_class WHERE relowner = 'tally_reader'::regrole)
  + (SELECT count(*)::int FROM pg_namespace WHERE nspowner = 'tally_reader'::regrole)
  + (SELECT count(*)::int FROM pg_proc WHERE proowner = 'tally_reader'::regrole)
  + (SELECT count(*)::int FROM pg_type WHERE typowner = 'tally_reader'::regrole),
    0, 'tally_reader owns no relation, schema, function or type');
SELECT is_empty($$
    SELECT c.oid::regclass
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('app', 'mv', 'tally')
      AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
      AND has_table_privilege('tally_reader', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
$$, 'tally_reader has no privilege on any table or view of app, mv or tally');
SELECT is_empty($$
    SELECT c.oid::regclass
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'report' AND c.relkind = 'v'
      AND NOT coalesce('security_barrier=true' = ANY (c.reloptions), false)
$$, 'every report.* view is a security_barrier view');

-- Two tenants with a row in every report.
INSERT INTO app.tenants (id, name, time_zone) VALUES ('t00-a', 'Tenant A', 'UTC'), ('t00-b', 'Tenant B', 'Europe/Paris');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('t00-a', 1, 'Ann', 'north'), ('t00-b', 1, 'Bea', 'north');
INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES ('t00-a', 1, 'Widget', 100), ('t00-b', 1, 'Gadget', 200);
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents)
VALUES ('t00-a', 1, 1, '2024-03-04 12:00Z', 'paid', 100), ('t00-b', 1, 1, '2024-03-04 12:00Z', 'paid', 200);
INSERT INTO app.order_lines (tenant_id, id, order_id, product_id, quantity, gross_amount_cents)
VALUES ('t00-a', 1, 1, 1, 1, 100), ('t00-b', 1, 1, 1, 1, 200);
INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES ('t00-a', 2024, 3, 1000), ('t00-b', 2024, 3, 2000);
INSERT INTO app.plans (tenant_id, id, name, monthly_price_cents) VALUES ('t00-a', 1, 'Basic', 1000), ('t00-b', 1, 'Basic', 2000);
INSERT INTO app.subscriptions (tenant_id, id, plan_id, customer_id, status, monthly_price_cents, started_at)
VALUES ('t00-a', 1, 1, 1, 'active', 1000, '2024-01-01Z'), ('t00-b', 1, 1, 1, 'active', 2000, '2024-01-01Z');
INSERT INTO app.usage_records (tenant_id, id, subscription_id, recorded_at, api_calls)
VALUES ('t00-a', 1, 1, '2024-03-01Z', 10), ('t00-b', 1, 1, '2024-03-01Z', 20);
INSERT INTO app.providers (tenant_id, id, name) VALUES ('t00-a', 1, 'Ada'), ('t00-b', 1, 'Ben');
INSERT INTO app.jobs (tenant_id, id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at)
VALUES ('t00-a', 1, 1, 'completed', 10, 12, '2024-03-01Z', '2024-03-02 08:00Z', '2024-03-02 10:00Z'),
       ('t00-b', 1, 1, 'completed', 20, 24, '2024-03-01Z', '2024-03-02 08:00Z', '2024-03-02 10:00Z');
INSERT INTO app.job_parts (tenant_id, id, job_id, total_cost) VALUES ('t00-a', 1, 1, 5), ('t00-b', 1, 1, 6);

REFRESH MATERIALIZED VIEW mv.daily_revenue_history;
REFRESH MATERIALIZED VIEW mv.daily_revenue_recent;
SELECT tally.refresh_view('plan_usage', false, true);
REFRESH MATERIALIZED VIEW mv.upsell_history;
REFRESH MATERIALIZED VIEW mv.upsell_recent;
SELECT tally.refresh_view('job_profit', false, true);
REFRESH MATERIALIZED VIEW mv.job_durations_history;
REFRESH MATERIALIZED VIEW mv.job_durations_recent;
SELECT tally.refresh_view('sales_vs_target', false, true);
SELECT tally.refresh_view('customer_activity', false, true);

-- No tenant set: a report reads nothing, although both tenants have rows.
SET LOCAL ROLE tally_reader;
SELECT is_empty('SELECT * FROM report.current_tenant', 'with no tenant set, report.current_tenant is empty');
SELECT is_empty('SELECT * FROM report.daily_revenue', 'with no tenant set, report.daily_revenue is empty');
SELECT is_empty('SELECT * FROM report.plan_usage', 'with no tenant set, report.plan_usage is empty');
SELECT is_empty('SELECT * FROM report.upsell', 'with no tenant set, report.upsell is empty');
SELECT is_empty('SELECT * FROM report.job_profit', 'with no tenant set, report.job_profit is empty');
SELECT is_empty('SELECT * FROM report.job_profit_months', 'with no tenant set, report.job_profit_months is empty');
SELECT is_empty('SELECT * FROM report.job_profit_provider_months', 'with no tenant set, report.job_profit_provider_months is empty');
SELECT is_empty('SELECT * FROM report.job_profit_hours', 'with no tenant set, report.job_profit_hours is empty');
SELECT is_empty('SELECT * FROM report.job_profit_provider_hours', 'with no tenant set, report.job_profit_provider_hours is empty');
SELECT is_empty('SELECT * FROM report.job_profit_days', 'with no tenant set, report.job_profit_days is empty');
SELECT is_empty('SELECT * FROM report.job_profit_provider_days', 'with no tenant set, report.job_profit_provider_days is empty');
SELECT is_empty('SELECT * FROM report.job_durations', 'with no tenant set, report.job_durations is empty');
SELECT is_empty('SELECT * FROM report.sales_vs_target', 'with no tenant set, report.sales_vs_target is empty');
SELECT is_empty('SELECT * FROM report.customer_activity', 'with no tenant set, report.customer_activity is empty');

-- Around the filtered views there is no way in.
SELECT throws_ok('SELECT * FROM mv.daily_revenue_history', '42501', NULL, 'tally_reader may not read mv.daily_revenue_history');
SELECT throws_ok('SELECT * FROM mv.daily_revenue_recent', '42501', NULL, 'tally_reader may not read mv.daily_revenue_recent');
SELECT throws_ok('SELECT * FROM mv.plan_usage', '42501', NULL, 'tally_reader may not read mv.plan_usage');
SELECT throws_ok('SELECT * FROM mv.upsell_history', '42501', NULL, 'tally_reader may not read mv.upsell_history');
SELECT throws_ok('SELECT * FROM mv.upsell_recent', '42501', NULL, 'tally_reader may not read mv.upsell_recent');
SELECT throws_ok('SELECT * FROM mv.job_profit', '42501', NULL, 'tally_reader may not read mv.job_profit');
SELECT throws_ok('SELECT * FROM mv.job_durations_history', '42501', NULL, 'tally_reader may not read mv.job_durations_history');
SELECT throws_ok('SELECT * FROM mv.job_durations_recent', '42501', NULL, 'tally_reader may not read mv.job_durations_recent');
SELECT throws_ok('SELECT * FROM mv.sales_vs_target', '42501', NULL, 'tally_reader may not read mv.sales_vs_target');
SELECT throws_ok('SELECT * FROM mv.customer_activity', '42501', NULL, 'tally_reader may not read mv.customer_activity');
SELECT throws_ok('SELECT * FROM mv.job_profit_months', '42501', NULL, 'tally_reader may not read mv.job_profit_months');
SELECT throws_ok('SELECT * FROM mv.job_profit_provider_months', '42501', NULL, 'tally_reader may not read mv.job_profit_provider_months');
SELECT throws_ok('SELECT * FROM mv.job_profit_hours', '42501', NULL, 'tally_reader may not read mv.job_profit_hours');
SELECT throws_ok('SELECT * FROM mv.job_profit_provider_hours', '42501', NULL, 'tally_reader may not read mv.job_profit_provider_hours');
SELECT throws_ok('SELECT * FROM mv.job_profit_days', '42501', NULL, 'tally_reader may not read mv.job_profit_days');
SELECT throws_ok('SELECT * FROM mv.job_profit_provider_days', '42501', NULL, 'tally_reader may not read mv.job_profit_provider_days');
SELECT throws_ok('SELECT * FROM app.tenants', '42501', NULL, 'tally_reader may not read app.tenants');
SELECT throws_ok('SELECT * FROM app.customers', '42501', NULL, 'tally_reader may not read app.customers');
SELECT throws_ok('SELECT * FROM app.products', '42501', NULL, 'tally_reader may not read app.products');
SELECT throws_ok('SELECT * FROM app.orders', '42501', NULL, 'tally_reader may not read app.orders');
SELECT throws_ok('SELECT * FROM app.order_lines', '42501', NULL, 'tally_reader may not read app.order_lines');
SELECT throws_ok('SELECT * FROM app.sales_targets', '42501', NULL, 'tally_reader may not read app.sales_targets');
SELECT throws_ok('SELECT * FROM app.plans', '42501', NULL, 'tally_reader may not read app.plans');
SELECT throws_ok('SELECT * FROM app.subscriptions', '42501', NULL, 'tally_reader may not read app.subscriptions');
SELECT throws_ok('SELECT * FROM app.usage_records', '42501', NULL, 'tally_reader may not read app.usage_records');
SELECT throws_ok('SELECT * FROM app.providers', '42501', NULL, 'tally_reader may not read app.providers');
SELECT throws_ok('SELECT * FROM app.jobs', '42501', NULL, 'tally_reader may not read app.jobs');
SELECT throws_ok('SELECT * FROM app.job_parts', '42501', NULL, 'tally_reader may not read app.job_parts');
SELECT throws_ok('SELECT * FROM tally.refresh_ledger', '42501', NULL, 'tally_reader may not read tally.refresh_ledger');
SELECT throws_ok($$INSERT INTO tally.refresh_ledger (view_name, started_at, finished_at, outcome, instance)
                  VALUES ('daily_revenue', now(), now(), 'success', 'x')$$,
                 '42501', NULL, 'tally_reader may not write tally.refresh_ledger');
SELECT throws_ok('REFRESH MATERIALIZED VIEW mv.daily_revenue_recent', '42501', NULL, 'tally_reader may not refresh a materialized view');

-- An empty tenant setting is not a tenant either.
SELECT set_config('app.tenant_id', '', true);
SELECT is_empty('SELECT * FROM report.customer_activity', 'with an empty tenant setting, report.customer_activity is empty');

-- Tenant A sees its own rows, and only those, in every report.
SELECT set_config('app.tenant_id', 't00-a', true);
SELECT results_eq('SELECT tenant_id, name FROM report.current_tenant', $$VALUES ('t00-a', 'Tenant A')$$, 'tenant A sees itself as the current tenant');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.daily_revenue', $$VALUES ('t00-a')$$, 'tenant A sees only its own daily_revenue rows');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.plan_usage', $$VALUES ('t00-a')$$, 'tenant A sees only its own plan_usage rows');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.upsell', $$VALUES ('t00-a')$$, 'tenant A sees only its own upsell rows');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_profit', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_profit rows');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_profit_months', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_profit month summaries');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_profit_provider_months', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_profit provider month summaries');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_profit_hours', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_profit hour summaries');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_profit_provider_hours', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_profit provider hour summaries');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_profit_days', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_profit day summaries');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_profit_provider_days', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_profit provider day summaries');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.job_durations', $$VALUES ('t00-a')$$, 'tenant A sees only its own job_durations rows');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.sales_vs_target', $$VALUES ('t00-a')$$, 'tenant A sees only its own sales_vs_target rows');
SELECT results_eq('SELECT DISTINCT tenant_id FROM report.customer_activity', $$VALUES ('t00-a')$$, 'tenant A sees only its own customer_activity rows');
SELECT results_eq('SELECT revenue_cents FROM report.daily_revenue', $$VALUES (100::numeric)$$, 'tenant A reads its own revenue, not tenant B''s');

-- Switching the setting switches the tenant; an unknown tenant sees nothing.
SELECT set_config('app.tenant_id', 't00-b', true);
SELECT results_eq('SELECT revenue_cents FROM report.daily_revenue', $$VALUES (200::numeric)$$, 'tenant B reads its own revenue, not tenant A''s');
SELECT set_config('app.tenant_id', 't00-nobody', true);
SELECT is_empty('SELECT * FROM report.daily_revenue', 'a tenant without data sees no rows');

RESET ROLE;
SELECT * FROM finish();
ROLLBACK;
