-- sales_vs_target is kept incrementally (R__sales_vs_target.sql): after every kind of write its
-- routine refresh leaves exactly the rows of its full definition, over the column limits, in the
-- zones furthest east and west and across a local month's edge, with late changes to closed months;
-- and it recomputes only the days written to, then their months (a closed day nobody wrote to is not
-- read again), across DST days and orders or lines moved between days and months.
BEGIN;
SELECT plan(19);

-- Built once on whatever the database holds; everything after this is routine.
SELECT tally.refresh_view('sales_vs_target', false, true);

INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t22-e', 'Furthest east', 'Pacific/Kiritimati'), ('t22-w', 'Furthest west', 'Etc/GMT+12'),
    ('t22-a', 'Auckland', 'Pacific/Auckland'), ('t22-u', 'UTC', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region)
SELECT t, 1, 'C', 'north' FROM unnest(ARRAY['t22-e', 't22-w', 't22-a', 't22-u']) t;
INSERT INTO app.products (tenant_id, id, name, price_cents)
SELECT t, 1, 'P', 1 FROM unnest(ARRAY['t22-e', 't22-w', 't22-a', 't22-u']) t;
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    -- The limits: bigint max amounts, the first and last instants and both infinities.
    ('t22-e', 1, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    ('t22-e', 2, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    ('t22-e', 4, 1, '4714-11-24 00:00:00+00 BC', 'paid', 9223372036854775807),
    ('t22-e', 5, 1, '294276-12-31 23:59:59.999999+00', 'paid', 9223372036854775807),
    ('t22-e', 6, 1, 'infinity', 'paid', 9223372036854775807),
    ('t22-e', 7, 1, '-infinity', 'paid', 9223372036854775807),
    ('t22-w', 1, 1, '4714-11-24 00:00:00+00 BC', 'paid', 9223372036854775807),
    ('t22-w', 2, 1, '294276-12-31 23:59:59.999999+00', 'paid', 9223372036854775807),
    -- Across local month edges: 31 January UTC is 1 February in Auckland, 31 December is January.
    ('t22-a', 1, 1, '2024-01-31 12:00Z', 'paid', 700),
    ('t22-a', 2, 1, '2023-12-31 11:30Z', 'paid', 400),
    ('t22-a', 3, 1, '2024-03-01 12:00Z', 'paid', 500),
    ('t22-a', 4, 1, '2024-03-05 00:00Z', 'failed', 999),
    ('t22-u', 1, 1, '2024-03-16 00:00Z', 'paid', 300),
    ('t22-u', 2, 1, '2024-04-30 23:59:59.999999Z', 'pending', 10);
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents)
SELECT 't22-e', o, 1, 1, 9223372036854775807 FROM unnest(ARRAY[1, 2, 4, 5, 6, 7]) o, generate_series(1, 2)
UNION ALL SELECT 't22-w', o, 1, 1, 9223372036854775807 FROM generate_series(1, 2) o
UNION ALL SELECT 't22-a', o, 1, 1, 100 * o FROM generate_series(1, 4) o
UNION ALL SELECT 't22-a', 3, 1, 1, 50
UNION ALL SELECT 't22-u', o, 1, 1, 7 FROM generate_series(1, 2) o;
INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES
    ('t22-e', 2026, 1, 9223372036854775807), ('t22-e', 2026, 2, 0), ('t22-a', 2024, 6, 500),
    ('t22-u', 2000, 1, 1), ('t22-u', 2100, 12, 1);

SELECT ok((SELECT count(*) FROM tally.sales_vs_target_changes) > 0, 'the writes logged the keys they touched');
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT bag_eq('SELECT * FROM mv.sales_vs_target', 'SELECT * FROM mv.sales_vs_target_definition',
    'after inserts, the routine refresh holds exactly the definition''s rows (limits, zones, month edges, targets in the first and last years)');
SELECT is_empty('SELECT * FROM tally.sales_vs_target_changes', 'the refresh took the whole log');

-- A closed month nobody writes to is not read again: spoil it, refresh, it stays spoiled.
UPDATE mv.sales_vs_target SET gross_sales_cents = -1 WHERE tenant_id = 't22-a' AND year = 2024 AND month = 1;
-- Late data into old months: a line added to a paid order, a paid order refunded, an order paid
-- late, an order moved to another month, a line and an order deleted, targets changed and removed.
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents) VALUES ('t22-a', 1, 1, 1, 11);
UPDATE app.orders SET status = 'refunded' WHERE tenant_id = 't22-a' AND id = 3;
UPDATE app.orders SET status = 'paid' WHERE tenant_id = 't22-u' AND id = 2;
UPDATE app.orders SET created_at = '2019-07-06 12:00Z' WHERE tenant_id = 't22-e' AND id = 2;
DELETE FROM app.order_lines WHERE tenant_id = 't22-e' AND order_id = 4;
DELETE FROM app.orders WHERE tenant_id = 't22-e' AND id = 4;
UPDATE app.order_lines SET gross_amount_cents = 1 WHERE tenant_id = 't22-w' AND order_id = 2;
UPDATE app.sales_targets SET target_cents = 3 WHERE tenant_id = 't22-e' AND year = 2026 AND month = 2;
DELETE FROM app.sales_targets WHERE tenant_id = 't22-a';
INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES ('t22-a', 2024, 2, 1400);
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT results_eq(
    $$SELECT gross_sales_cents FROM mv.sales_vs_target WHERE tenant_id = 't22-a' AND year = 2024 AND month = 1$$,
    $$VALUES (-1::numeric)$$,
    'a month no write touched is kept as it was, not recomputed');
UPDATE mv.sales_vs_target SET gross_sales_cents = 200 WHERE tenant_id = 't22-a' AND year = 2024 AND month = 1;
SELECT bag_eq('SELECT * FROM mv.sales_vs_target', 'SELECT * FROM mv.sales_vs_target_definition',
    'after late inserts, updates and deletes in closed months, the routine refresh holds exactly the definition''s rows');
SELECT results_eq(
    $$SELECT gross_sales_cents, target_cents, attainment_percent FROM mv.sales_vs_target WHERE tenant_id = 't22-a' AND year = 2024 AND month = 2$$,
    $$VALUES (111::numeric, 1400::bigint, 7.93::float8)$$,
    'the late line and the late target of February 2024 both show');
SELECT is_empty(
    $$SELECT * FROM mv.sales_vs_target WHERE tenant_id = 't22-a' AND year = 2024 AND month IN (3, 6)$$,
    'a month whose only paid order was refunded and whose target was removed is gone');

-- A tenant's zone changes: every one of its months may move.
UPDATE app.tenants SET time_zone = 'Pacific/Kiritimati' WHERE id = 't22-a';
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT bag_eq('SELECT * FROM mv.sales_vs_target', 'SELECT * FROM mv.sales_vs_target_definition',
    'after a tenant''s zone changed, the routine refresh holds exactly the definition''s rows');

-- The full rebuild heals what no trigger saw.
ALTER TABLE app.order_lines DISABLE TRIGGER sales_vs_target_inserted;
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents) VALUES ('t22-u', 1, 1, 1, 1000);
ALTER TABLE app.order_lines ENABLE TRIGGER sales_vs_target_inserted;
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT isnt_empty('SELECT * FROM mv.sales_vs_target EXCEPT ALL SELECT * FROM mv.sales_vs_target_definition',
    'a write no trigger saw is missed by the routine refresh');
SELECT ok(tally.refresh_view('sales_vs_target', true, true) > 0, 'the full rebuild runs');
SELECT bag_eq('SELECT * FROM mv.sales_vs_target', 'SELECT * FROM mv.sales_vs_target_definition',
    'the full rebuild heals it');
SELECT ok((SELECT rebuilt_at IS NOT NULL FROM tally.incremental_views WHERE view_name = 'sales_vs_target'),
    'the full rebuild is recorded for the rebuild schedule');

-- Day rows: the full rebuild left exactly the definition's; a day nobody wrote to is not read again.
SELECT bag_eq('SELECT * FROM mv.sales_vs_target_days', 'SELECT * FROM mv.sales_vs_target_days_definition',
    'the full rebuild leaves exactly the day definition''s rows');
INSERT INTO app.tenants (id, name, time_zone) VALUES ('t22-d', 'DST', 'America/New_York');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('t22-d', 1, 'C', 'north');
INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES ('t22-d', 1, 'P', 1);
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    -- 10 March 2024 has 23 hours in New York (05:00Z to 04:00Z next day), 3 November 25 (04:00Z to 05:00Z).
    ('t22-d', 1, 1, '2024-03-10 05:00Z', 'paid', 1), ('t22-d', 2, 1, '2024-03-11 03:59:59.999999Z', 'paid', 1),
    ('t22-d', 3, 1, '2024-03-11 04:00Z', 'paid', 1), ('t22-d', 4, 1, '2024-11-03 04:00Z', 'paid', 1),
    ('t22-d', 5, 1, '2024-11-04 04:59:59.999999Z', 'paid', 1), ('t22-d', 6, 1, '2024-11-04 05:00Z', 'paid', 1),
    ('t22-d', 7, 1, '2024-03-09 12:00Z', 'paid', 1), ('t22-d', 8, 1, '2024-03-15 12:00Z', 'paid', 1),
    ('t22-d', 9, 1, '2024-03-31 23:00Z', 'paid', 1), ('t22-d', 10, 1, '2024-03-15 13:00Z', 'pending', 1);
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents)
SELECT 't22-d', o, 1, 1, o FROM generate_series(1, 10) o;
INSERT INTO app.sales_targets (tenant_id, year, month, target_cents) VALUES ('t22-d', 2024, 3, 1000);
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT bag_eq('SELECT * FROM mv.sales_vs_target', 'SELECT * FROM mv.sales_vs_target_definition',
    'orders on DST days of 23 and 25 hours and their edges land in the definition''s months');
SELECT results_eq(
    $$SELECT day, gross_sales_cents FROM mv.sales_vs_target_days WHERE tenant_id = 't22-d' AND day IN ('2024-03-10', '2024-11-03') ORDER BY day$$,
    $$VALUES ('2024-03-10'::date, 3::numeric), ('2024-11-03'::date, 9::numeric)$$,
    'a DST day holds exactly its 23 or 25 local hours');

-- Spoil an untouched day of a touched month: only the logged days are read again, the month is
-- summed from the day rows as they are.
UPDATE mv.sales_vs_target_days SET gross_sales_cents = 1000 WHERE tenant_id = 't22-d' AND day = '2024-03-09';
-- Several late writes into one old day, and into two days of one old month.
UPDATE app.orders SET status = 'refunded' WHERE tenant_id = 't22-d' AND id = 8;
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents) VALUES ('t22-d', 8, 1, 1, 50);
UPDATE app.orders SET status = 'paid' WHERE tenant_id = 't22-d' AND id = 10;
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents) VALUES ('t22-d', 1, 1, 1, 20);
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT results_eq(
    $$SELECT gross_sales_cents FROM mv.sales_vs_target WHERE tenant_id = 't22-d' AND year = 2024 AND month = 3$$,
    $$VALUES ((1000 + 1 + 20 + 2 + 3 + 10 + 9)::numeric)$$,
    'late writes reread their own days only; the month is summed from its day rows');
UPDATE mv.sales_vs_target_days SET gross_sales_cents = 7 WHERE tenant_id = 't22-d' AND day = '2024-03-09';
-- A target written logs its month only: the month is summed again from the healed day rows.
UPDATE app.sales_targets SET target_cents = 1001 WHERE tenant_id = 't22-d' AND year = 2024 AND month = 3;
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT bag_eq('SELECT * FROM mv.sales_vs_target', 'SELECT * FROM mv.sales_vs_target_definition',
    'after several late writes in one old day and two days of one old month, the definition''s rows');

-- Orders moved across a local month edge and across a local midnight onto a Saturday by their
-- created_at, and a line moved to an order of another day and month.
UPDATE app.orders SET created_at = '2024-04-01 04:00Z' WHERE tenant_id = 't22-d' AND id = 9;
UPDATE app.orders SET created_at = '2024-03-16 04:00Z' WHERE tenant_id = 't22-d' AND id = 10;
UPDATE app.order_lines SET order_id = 4 WHERE tenant_id = 't22-d' AND order_id = 1 AND gross_amount_cents = 20;
SELECT tally.refresh_view('sales_vs_target', true, false);
SELECT bag_eq('SELECT * FROM mv.sales_vs_target', 'SELECT * FROM mv.sales_vs_target_definition',
    'after orders moved across a local midnight and month edge and a line moved between orders, the definition''s rows');
SELECT bag_eq('SELECT * FROM mv.sales_vs_target_days', 'SELECT * FROM mv.sales_vs_target_days_definition',
    'and the day rows are exactly the day definition''s');

SELECT * FROM finish();
ROLLBACK;
