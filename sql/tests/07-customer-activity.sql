-- customerActivity: one row per customer, paid orders only, dense revenue rank, keyset position.
BEGIN;
SELECT plan(13);

INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t07-a', 'Tenant A', 'America/Chicago'), ('t07-b', 'Tenant B', 'UTC'), ('t07-e', 'Tenant E', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t07-a', 1, 'Ann', 'north'),
    ('t07-a', 2, 'Bob', 'south'),
    ('t07-a', 3, 'Cid', 'north'),
    ('t07-a', 4, 'Dee', 'south'),
    ('t07-a', 5, 'Eve', 'north'),
    ('t07-b', 1, 'Bea', 'north');
INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES ('t07-a', 1, 'Widget', 500);
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t07-a', 1, 1, '2024-01-01 00:00Z', 'paid',     1000),
    ('t07-a', 2, 1, '2024-01-03 12:00Z', 'paid',     2000),
    ('t07-a', 3, 1, '2024-01-08 00:00Z', 'paid',      500),
    ('t07-a', 4, 1, '2024-01-09 00:00Z', 'failed',   9999),
    ('t07-a', 5, 1, '2024-01-10 00:00Z', 'refunded', 5000),
    ('t07-a', 6, 2, '2024-02-01 00:00Z', 'paid',     3500),
    ('t07-a', 7, 4, '2024-03-01 00:00Z', 'paid',      600),
    ('t07-a', 8, 4, '2024-03-01 06:00Z', 'paid',      600),
    ('t07-a', 9, 5, '2024-03-02 00:00Z', 'pending',   800),
    ('t07-b', 1, 1, '2024-01-01 00:00Z', 'paid',    77777);
INSERT INTO app.order_lines (tenant_id, id, order_id, product_id, quantity, gross_amount_cents) VALUES
    -- Two lines on one order: the order's 2000 still counts once.
    ('t07-a', 1, 2, 1, 3, 1500),
    ('t07-a', 2, 2, 1, 1,  500);

SELECT tally.refresh_view('customer_activity', false, true);

SELECT set_config('app.tenant_id', 't07-a', true);
SET LOCAL ROLE tally_reader;

SELECT results_eq(
    $$SELECT position, customer_id, name, region, paid_orders, lifetime_revenue_cents,
             first_order_at, last_order_at, avg_days_between_orders, revenue_rank
      FROM report.customer_activity ORDER BY position$$,
    $$VALUES (1::bigint, 1::bigint, 'Ann'::text, 'north'::text, 3::bigint, 3500::numeric,
              '2024-01-01 00:00Z'::timestamptz, '2024-01-08 00:00Z'::timestamptz, 3.5::float8, 1::bigint),
             (2, 2, 'Bob', 'south', 1, 3500, '2024-02-01 00:00Z', '2024-02-01 00:00Z', NULL, 1),
             (3, 4, 'Dee', 'south', 2, 1200, '2024-03-01 00:00Z', '2024-03-01 06:00Z', 0.25, 2),
             (4, 3, 'Cid', 'north', 0,    0, NULL,                NULL,                NULL, 3),
             (5, 5, 'Eve', 'north', 0,    0, NULL,                NULL,                NULL, 3)$$,
    'one row per customer, by revenue rank then customer id');
SELECT results_eq(
    $$SELECT paid_orders, lifetime_revenue_cents FROM report.customer_activity WHERE customer_id = 1$$,
    $$VALUES (3::bigint, 3500::numeric)$$,
    'only paid orders count, an order with two lines once: 1000 + 2000 + 500');
SELECT results_eq(
    $$SELECT avg_days_between_orders FROM report.customer_activity WHERE customer_id = 1$$,
    $$VALUES (3.5::float8)$$,
    'the mean gap between consecutive paid orders: 2.5 and 4.5 days give 3.5');
SELECT results_eq(
    $$SELECT avg_days_between_orders FROM report.customer_activity WHERE customer_id = 2$$,
    $$VALUES (NULL::float8)$$,
    'a single paid order has no gap: null, not 0');
SELECT results_eq(
    $$SELECT paid_orders, lifetime_revenue_cents, first_order_at, last_order_at
      FROM report.customer_activity WHERE customer_id = 3$$,
    $$VALUES (0::bigint, 0::numeric, NULL::timestamptz, NULL::timestamptz)$$,
    'a customer without orders is listed with 0 orders, 0 revenue and no dates');
SELECT results_eq(
    $$SELECT paid_orders, lifetime_revenue_cents, revenue_rank FROM report.customer_activity WHERE customer_id = 5$$,
    $$VALUES (0::bigint, 0::numeric, 3::bigint)$$,
    'a pending order is not a paid order');
SELECT results_eq(
    $$SELECT customer_id, revenue_rank FROM report.customer_activity WHERE revenue_rank <= 2 ORDER BY position$$,
    $$VALUES (1::bigint, 1::bigint), (2::bigint, 1::bigint), (4::bigint, 2::bigint)$$,
    'equal revenue shares a rank and the next rank follows without a gap');
SELECT results_eq(
    $$SELECT customer_id FROM report.customer_activity WHERE position > 2 ORDER BY position LIMIT 2$$,
    $$VALUES (4::bigint), (3::bigint)$$,
    'the page after cursor 2 starts at the next customer in the connection''s order');
SELECT results_eq(
    $$SELECT customer_id, revenue_rank FROM report.customer_activity WHERE region = 'south' ORDER BY position$$,
    $$VALUES (2::bigint, 1::bigint), (4::bigint, 2::bigint)$$,
    'a region keeps each customer''s rank among all the tenant''s customers');
SELECT results_eq(
    $$SELECT customer_id, region_position FROM report.customer_activity WHERE region = 'north' ORDER BY region_position$$,
    $$VALUES (1::bigint, 1::bigint), (3::bigint, 2::bigint), (5::bigint, 3::bigint)$$,
    'within a region the customers are numbered densely in the same order, the cursor of the region filter');
SELECT is_empty(
    $$SELECT * FROM report.customer_activity WHERE tenant_id <> 't07-a' OR name = 'Bea'$$,
    'tenant B''s customer never appears to tenant A');

SELECT set_config('app.tenant_id', 't07-e', true);
SELECT is_empty('SELECT * FROM report.customer_activity', 'a tenant without customers has no rows');

RESET ROLE;
SELECT results_eq(
    $$SELECT name, lifetime_revenue_cents, position FROM mv.customer_activity_numbered WHERE tenant_id = 't07-b'$$,
    $$VALUES ('Bea'::text, 77777::numeric, 1::bigint)$$,
    'tenant B''s row exists in the materialized view, with positions numbered per tenant');
SELECT * FROM finish();
ROLLBACK;
