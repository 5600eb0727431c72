-- salesVsTarget: gross of lines of paid orders per tenant-local month, its local-weekend part, the target.
BEGIN;
SELECT plan(11);

-- Tenant A lives in Auckland (UTC+13 from January to early April).
INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t06-a', 'Tenant A', 'Pacific/Auckland'), ('t06-b', 'Tenant B', 'UTC'), ('t06-e', 'Tenant E', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('t06-a', 1, 'Ann', 'north'), ('t06-b', 1, 'Bea', 'north');
INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES ('t06-a', 1, 'Widget', 100), ('t06-b', 1, 'Gadget', 100);
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    -- Friday 23:00 locally.
    ('t06-a', 1, 1, '2024-03-01 10:00Z', 'paid',    3000),
    -- Friday in UTC, Saturday 01:00 locally: weekend.
    ('t06-a', 2, 1, '2024-03-01 12:00Z', 'paid',     500),
    -- 31 January in UTC, 1 February locally.
    ('t06-a', 3, 1, '2024-01-31 12:00Z', 'paid',     700),
    ('t06-a', 4, 1, '2024-03-05 00:00Z', 'failed',  9999),
    -- Sunday in UTC, Monday 01:00 locally: not weekend.
    ('t06-a', 5, 1, '2024-03-10 12:00Z', 'paid',     250),
    -- 2023 in UTC, 1 January 2024 locally.
    ('t06-a', 6, 1, '2023-12-31 11:30Z', 'paid',     400),
    ('t06-a', 7, 1, '2024-04-01 00:00Z', 'pending',  123),
    -- 2024 in UTC, 1 January 2025 locally.
    ('t06-a', 8, 1, '2024-12-31 11:30Z', 'paid',     800),
    -- Saturday both in UTC and locally.
    ('t06-a', 9, 1, '2024-03-16 00:00Z', 'paid',     300),
    ('t06-b', 1, 1, '2024-03-16 00:00Z', 'paid',   77777);
INSERT INTO app.order_lines (tenant_id, id, order_id, product_id, quantity, gross_amount_cents) VALUES
    -- Two lines on one order: each counts once, the order's total not at all.
    ('t06-a', 1, 1, 1, 1, 1000),
    ('t06-a', 2, 1, 1, 2, 2000),
    ('t06-a', 3, 2, 1, 1,  500),
    ('t06-a', 4, 3, 1, 1,  700),
    ('t06-a', 5, 4, 1, 1, 9999),
    ('t06-a', 6, 5, 1, 1,  250),
    ('t06-a', 7, 6, 1, 1,  400),
    ('t06-a', 8, 7, 1, 1,  123),
    ('t06-a', 9, 8, 1, 1,  800),
    ('t06-a', 10, 9, 1, 1, 300),
    ('t06-b', 1, 1, 1, 1, 77777);
INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES
    ('t06-a', 2024, 1, 1000),
    ('t06-a', 2024, 3, 4000),
    ('t06-a', 2024, 4,    0),
    ('t06-a', 2024, 6,  500),
    ('t06-b', 2024, 3,    1);

SELECT tally.refresh_view('sales_vs_target', false, true);

SELECT set_config('app.tenant_id', 't06-a', true);
SET LOCAL ROLE tally_reader;

SELECT results_eq(
    $$SELECT year, month, gross_sales_cents, weekend_gross_sales_cents, target_cents, attainment_percent
      FROM report.sales_vs_target ORDER BY year, month$$,
    $$VALUES (2024, 1, 400::numeric, 0::numeric,   1000::bigint, 40.00::float8),
             (2024, 2, 700,          0,           NULL,         NULL),
             (2024, 3, 4050,         800,         4000,         101.25),
             (2024, 4, 0,            0,           0,            NULL),
             (2024, 6, 0,            0,           500,          0.00),
             (2025, 1, 800,          0,           NULL,         NULL)$$,
    'one row per local month with sales or a target');
SELECT results_eq(
    $$SELECT gross_sales_cents FROM report.sales_vs_target WHERE year = 2024 AND month = 3$$,
    $$VALUES (4050::numeric)$$,
    'March sums the lines of paid orders: 1000 + 2000 + 500 + 250 + 300; the failed order''s line is left out');
SELECT results_eq(
    $$SELECT weekend_gross_sales_cents FROM report.sales_vs_target WHERE year = 2024 AND month = 3$$,
    $$VALUES (800::numeric)$$,
    'weekend is the local Saturday and Sunday: Friday-UTC 500 and Saturday 300 count, Sunday-UTC 250 does not');
SELECT results_eq(
    $$SELECT gross_sales_cents FROM report.sales_vs_target WHERE year = 2024 AND month IN (1, 2) ORDER BY month$$,
    $$VALUES (400::numeric), (700::numeric)$$,
    'orders belong to their local month: late 31 December UTC is January, late 31 January UTC is February');
SELECT is_empty(
    $$SELECT * FROM report.sales_vs_target WHERE year = 2023$$,
    'no sales fall in 2023 locally');
SELECT results_eq(
    $$SELECT target_cents, attainment_percent FROM report.sales_vs_target WHERE year = 2024 AND month = 2$$,
    $$VALUES (NULL::bigint, NULL::float8)$$,
    'a month without a target has neither target nor attainment');
SELECT results_eq(
    $$SELECT target_cents, attainment_percent FROM report.sales_vs_target WHERE year = 2024 AND month = 4$$,
    $$VALUES (0::bigint, NULL::float8)$$,
    'a target of 0 has no attainment');
SELECT results_eq(
    $$SELECT gross_sales_cents, attainment_percent FROM report.sales_vs_target WHERE year = 2024 AND month = 6$$,
    $$VALUES (0::numeric, 0.00::float8)$$,
    'a target without sales has 0 sales and 0 attainment');
SELECT is_empty(
    $$SELECT * FROM report.sales_vs_target WHERE tenant_id <> 't06-a' OR gross_sales_cents = 77777$$,
    'tenant B''s sales never appear to tenant A');

SELECT set_config('app.tenant_id', 't06-e', true);
SELECT is_empty('SELECT * FROM report.sales_vs_target', 'a tenant without sales or targets has no rows');

RESET ROLE;
SELECT results_eq(
    $$SELECT gross_sales_cents, target_cents FROM mv.sales_vs_target WHERE tenant_id = 't06-b'$$,
    $$VALUES (77777::numeric, 1::bigint)$$,
    'tenant B''s row exists in the materialized view, so its absence above is the filter at work');

SELECT * FROM finish();
ROLLBACK;
