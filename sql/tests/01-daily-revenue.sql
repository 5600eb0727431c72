-- dailyRevenue: orders per tenant-local day and region, revenue from paid orders only.
BEGIN;
SELECT plan(9);

-- Tenant A lives in New York (UTC-5 in January); B is another tenant on the same days; E has no orders.
INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t01-a', 'Tenant A', 'America/New_York'),
    ('t01-b', 'Tenant B', 'UTC'),
    ('t01-e', 'Tenant E', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t01-a', 1, 'Ann', 'north'),
    ('t01-a', 2, 'Bob', 'south'),
    ('t01-b', 1, 'Bea', 'north');
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t01-a', 1, 1, '2024-01-10 15:00Z', 'paid',     1000),
    ('t01-a', 2, 1, '2024-01-10 16:00Z', 'paid',     2500),
    ('t01-a', 3, 2, '2024-01-10 17:00Z', 'failed',    700),
    -- 03:00 UTC on the 11th is 22:00 on the 10th in New York.
    ('t01-a', 4, 2, '2024-01-11 03:00Z', 'paid',      400),
    ('t01-a', 5, 1, '2024-01-11 12:00Z', 'pending',   900),
    ('t01-a', 6, 1, '2024-01-12 12:00Z', 'refunded',  300),
    ('t01-b', 1, 1, '2024-01-10 12:00Z', 'paid',    99999);

REFRESH MATERIALIZED VIEW mv.daily_revenue_history;
REFRESH MATERIALIZED VIEW mv.daily_revenue_recent;

SELECT set_config('app.tenant_id', 't01-a', true);
SET LOCAL ROLE tally_reader;

SELECT results_eq(
    $$SELECT day, region, orders_created, paid_orders, failed_orders, revenue_cents
      FROM report.daily_revenue ORDER BY day, region$$,
    $$VALUES ('2024-01-10'::date, 'north'::text, 2::bigint, 2::bigint, 0::bigint, 3500::numeric),
             ('2024-01-10',       'south',       2,         1,         1,         400),
             ('2024-01-11',       'north',       1,         0,         0,         0),
             ('2024-01-12',       'north',       1,         0,         0,         0)$$,
    'tenant A has one row per local day and region with created, paid and failed orders and paid revenue');
SELECT is_empty(
    $$SELECT * FROM report.daily_revenue WHERE day = '2024-01-11' AND region = 'south'$$,
    'an order at 03:00 UTC belongs to the previous local day in New York');
SELECT results_eq(
    $$SELECT sum(revenue_cents)::bigint FROM report.daily_revenue WHERE day = '2024-01-10'$$,
    $$VALUES (3900::bigint)$$,
    'the local 10th earns 1000 + 2500 + 400 cents across regions');
SELECT results_eq(
    $$SELECT sum(orders_created)::bigint, sum(paid_orders)::bigint, sum(revenue_cents)::bigint
      FROM report.daily_revenue WHERE day BETWEEN '2024-01-10' AND '2024-01-12'$$,
    $$VALUES (6::bigint, 3::bigint, 3900::bigint)$$,
    'pending, failed and refunded orders are created but earn nothing');
SELECT results_eq(
    $$SELECT sum(revenue_cents)::bigint FROM report.daily_revenue WHERE region = 'south'$$,
    $$VALUES (400::bigint)$$,
    'the region is the customer''s region');
SELECT is_empty(
    $$SELECT * FROM report.daily_revenue WHERE tenant_id <> 't01-a' OR revenue_cents = 99999$$,
    'tenant B''s order never appears to tenant A');

SELECT set_config('app.tenant_id', 't01-e', true);
SELECT is_empty('SELECT * FROM report.daily_revenue', 'a tenant without orders has no rows');

RESET ROLE;
SELECT results_eq(
    $$SELECT day, revenue_cents FROM mv.daily_revenue_history WHERE tenant_id = 't01-b'$$,
    $$VALUES ('2024-01-10'::date, 99999::numeric)$$,
    'tenant B''s row exists in the history part, so its absence above is the filter at work');
SELECT is(
    (SELECT count(*)::int FROM mv.daily_revenue_history WHERE tenant_id LIKE 't01-%'),
    5, 'the history part has tenant A''s four rows and tenant B''s one, all older than a week');

SELECT * FROM finish();
ROLLBACK;
