-- planUsage: every plan, active subscriptions only, each subscription's price counted once.
BEGIN;
SELECT plan(8);

INSERT INTO app.tenants (id, name) VALUES ('t02-a', 'Tenant A'), ('t02-b', 'Tenant B'), ('t02-e', 'Tenant E');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t02-a', 1, 'Ann', 'north'), ('t02-a', 2, 'Bob', 'south'), ('t02-a', 3, 'Cid', 'north'),
    ('t02-b', 1, 'Bea', 'north');
INSERT INTO app.plans (tenant_id, id, name, monthly_price_cents) VALUES
    ('t02-a', 1, 'Basic',  1000),
    ('t02-a', 2, 'Pro',    5000),
    ('t02-a', 3, 'Legacy', 2000),
    ('t02-a', 4, 'Unsold',    0),
    ('t02-b', 1, 'Other',  7000);
INSERT INTO app.subscriptions (tenant_id, id, plan_id, customer_id, status, monthly_price_cents, started_at, cancelled_at) VALUES
    ('t02-a', 1, 2, 1, 'active',    5000, '2024-01-01Z', NULL),
    -- The price is the subscription's, not the plan's: a discounted Pro.
    ('t02-a', 2, 2, 2, 'active',    4500, '2024-01-01Z', NULL),
    ('t02-a', 3, 1, 3, 'active',    1000, '2024-01-01Z', NULL),
    ('t02-a', 4, 3, 1, 'cancelled', 2000, '2023-01-01Z', '2023-06-01Z'),
    ('t02-a', 5, 3, 2, 'trialing',     0, '2024-02-01Z', NULL),
    ('t02-a', 6, 1, 2, 'cancelled', 1000, '2023-01-01Z', '2023-02-01Z'),
    ('t02-b', 1, 1, 1, 'active',    7000, '2024-01-01Z', NULL);
INSERT INTO app.usage_records (tenant_id, id, subscription_id, recorded_at, api_calls) VALUES
    -- Three records on one subscription: its 5000 must still count once.
    ('t02-a', 1, 1, '2024-03-01Z', 100),
    ('t02-a', 2, 1, '2024-03-02Z', 200),
    ('t02-a', 3, 1, '2024-03-03Z', 300),
    ('t02-a', 4, 3, '2024-03-01Z',  50),
    ('t02-a', 5, 4, '2023-03-01Z', 999),
    ('t02-a', 6, 5, '2024-03-01Z',  10),
    ('t02-a', 7, 6, '2023-01-15Z',   7),
    ('t02-b', 1, 1, '2024-03-01Z', 123456);

SELECT tally.refresh_view('plan_usage', false, true);

SELECT set_config('app.tenant_id', 't02-a', true);
SET LOCAL ROLE tally_reader;

SELECT results_eq(
    $$SELECT plan_id, plan_name, active_subscriptions, monthly_revenue_cents, total_api_calls
      FROM report.plan_usage ORDER BY monthly_revenue_cents DESC, plan_id$$,
    $$VALUES (2::bigint, 'Pro'::text,    2::bigint, 9500::numeric, 600::numeric),
             (1,         'Basic',        1, 1000,         50),
             (3,         'Legacy',       0, 0,            0),
             (4,         'Unsold',       0, 0,            0)$$,
    'every plan appears, by monthly revenue descending then plan id');
SELECT results_eq(
    $$SELECT monthly_revenue_cents FROM report.plan_usage WHERE plan_id = 2$$,
    $$VALUES (9500::numeric)$$,
    'a subscription with three usage records adds its price once (5000 + 4500, not 3 x 5000 + 4500)');
SELECT results_eq(
    $$SELECT total_api_calls FROM report.plan_usage WHERE plan_id = 2$$,
    $$VALUES (600::numeric)$$,
    'all usage records of an active subscription count, a subscription without records adds none');
SELECT results_eq(
    $$SELECT active_subscriptions, monthly_revenue_cents, total_api_calls FROM report.plan_usage WHERE plan_id = 3$$,
    $$VALUES (0::bigint, 0::numeric, 0::numeric)$$,
    'cancelled and trialing subscriptions and their usage do not count');
SELECT results_eq(
    $$SELECT active_subscriptions, monthly_revenue_cents FROM report.plan_usage WHERE plan_id = 1$$,
    $$VALUES (1::bigint, 1000::numeric)$$,
    'a cancelled subscription of a plan with an active one does not count');
SELECT is_empty(
    $$SELECT * FROM report.plan_usage WHERE tenant_id <> 't02-a' OR plan_name = 'Other'$$,
    'tenant B''s plan never appears to tenant A');

SELECT set_config('app.tenant_id', 't02-e', true);
SELECT is_empty('SELECT * FROM report.plan_usage', 'a tenant without plans has no rows');

RESET ROLE;
SELECT results_eq(
    $$SELECT plan_name, monthly_revenue_cents, total_api_calls FROM mv.plan_usage WHERE tenant_id = 't02-b'$$,
    $$VALUES ('Other'::text, 7000::numeric, 123456::numeric)$$,
    'tenant B''s row exists in the materialized view, so its absence above is the filter at work');

SELECT * FROM finish();
ROLLBACK;
