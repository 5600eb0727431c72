-- customer_activity is kept incrementally (V8, R__customer_activity.sql): after every kind of write
-- its routine refresh leaves exactly the rows of its full definition (aggregates, dense revenue
-- ranks, positions over the tenant and within each region, as readers see them counted from the
-- value buckets), over the column limits and in the zones furthest east and west, with late changes
-- to old orders; it recomputes only the customers written to (an unchanged customer's aggregates
-- are not read from the orders again) and rewrites only the rows whose numbers moved: ties made
-- and broken, revenue values appearing and vanishing, region moves, refunds and deletes, customers
-- crossing bucket boundaries and leaving or joining the customers without revenue, step by step
-- and in a long random sequence. A customer whose only writes are new paid orders later than its
-- last is moved by them (its history not read again), with the average gap exact to the last digit;
-- any other write recounts it, and an order a recount already saw is never added twice.
BEGIN;
SELECT plan(39);

-- Everything the refresh keeps, against its definition, both ways: the stored rows, the counts per
-- bucket and per region and bucket, and what readers see (rank, position, region position counted
-- from the buckets) against the view as the materialized view defined it.
CREATE FUNCTION pg_temp.t23_differing() RETURNS bigint LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM (SELECT * FROM mv.customer_activity EXCEPT ALL SELECT * FROM mv.customer_activity_definition) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_definition EXCEPT ALL SELECT * FROM mv.customer_activity) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_buckets EXCEPT ALL SELECT * FROM mv.customer_activity_buckets_definition) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_buckets_definition EXCEPT ALL SELECT * FROM mv.customer_activity_buckets) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_region_buckets EXCEPT ALL SELECT * FROM mv.customer_activity_region_buckets_definition) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_region_buckets_definition EXCEPT ALL SELECT * FROM mv.customer_activity_region_buckets) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_numbered EXCEPT ALL SELECT * FROM mv.customer_activity_ranked) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_ranked EXCEPT ALL SELECT * FROM mv.customer_activity_numbered) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_gaps EXCEPT ALL SELECT * FROM mv.customer_activity_gaps_definition) d)
         + (SELECT count(*) FROM (SELECT * FROM mv.customer_activity_gaps_definition EXCEPT ALL SELECT * FROM mv.customer_activity_gaps) d)
$$;

-- The bucket is monotone in the list order: a higher revenue never gets a later bucket, at every
-- value up to 100,000 (every digit boundary below it) and around the powers of ten up to the limits.
SELECT is_empty($$
    WITH v AS (SELECT DISTINCT x::numeric AS revenue
               FROM (SELECT generate_series(0, 100000) AS x
                     UNION ALL
                     SELECT 10::numeric ^ e + d FROM generate_series(5, 25) e, generate_series(-2, 2) d) s),
         b AS (SELECT revenue, tally.customer_activity_bucket(revenue, 1) AS bucket FROM v)
    SELECT * FROM (SELECT revenue, bucket, lag(bucket) OVER (ORDER BY revenue DESC) AS bucket_above FROM b) o
    WHERE bucket < bucket_above$$,
    'a higher revenue never lands in a later bucket (checked across every digit boundary up to 100,000 and at powers of ten)');
SELECT ok(tally.customer_activity_bucket(1000, 1) < tally.customer_activity_bucket(999, 1)
          AND tally.customer_activity_bucket(1009, 1) = tally.customer_activity_bucket(1000, 1)
          AND tally.customer_activity_bucket(1, 1) < tally.customer_activity_bucket(0, 1)
          AND tally.customer_activity_bucket(0, 255) < tally.customer_activity_bucket(0, 256)
          AND tally.customer_activity_bucket(0, 256) = tally.customer_activity_bucket(0, 511),
    'buckets split at the third digit, revenue 0 comes last, split by id range');

-- Built once on whatever the database holds; everything after this is routine.
SELECT tally.refresh_view('customer_activity', false, true);

INSERT INTO app.tenants (id, name, time_zone) VALUES
    ('t23-e', 'Furthest east', 'Pacific/Kiritimati'), ('t23-w', 'Furthest west', 'Etc/GMT+12'),
    ('t23-a', 'Auckland', 'Pacific/Auckland'), ('t23-q', 'Quiet', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t23-e', 1, 'Max', 'north'), ('t23-e', 2, 'Edges', 'north'), ('t23-e', 3, 'None', 'south'),
    ('t23-w', 1, 'West', 'south'),
    ('t23-a', 1, 'Ann', 'north'), ('t23-a', 2, 'Bob', 'south'), ('t23-a', 3, 'Cid', 'north'),
    ('t23-a', 4, 'Dee', 'south'), ('t23-a', 5, 'Eve', 'north'), ('t23-a', 6, 'Fay', 'east'),
    ('t23-q', 1, 'Quinn', 'north'), ('t23-q', 2, 'Quentin', 'north');
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    -- The limits: bigint max totals, the first and last instants and both infinities.
    ('t23-e', 1, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    ('t23-e', 2, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    ('t23-e', 3, 1, '2026-01-10 00:00Z', 'paid', 9223372036854775807),
    ('t23-e', 4, 2, '4714-11-24 00:00:00+00 BC', 'paid', 9223372036854775807),
    ('t23-e', 5, 2, '294276-12-31 23:59:59.999999+00', 'paid', 9223372036854775807),
    ('t23-e', 6, 2, 'infinity', 'paid', 9223372036854775807),
    ('t23-e', 7, 2, '-infinity', 'paid', 9223372036854775807),
    ('t23-w', 1, 1, '4714-11-24 00:00:00+00 BC', 'paid', 9223372036854775807),
    ('t23-w', 2, 1, '294276-12-31 23:59:59.999999+00', 'paid', 0),
    -- Ties in revenue (shared dense ranks), unpaid orders, a customer without orders, equal instants.
    ('t23-a', 1, 1, '2024-01-01 00:00Z', 'paid', 1000),
    ('t23-a', 2, 1, '2024-01-03 12:00Z', 'paid', 2000),
    ('t23-a', 3, 1, '2024-01-08 00:00Z', 'paid', 500),
    ('t23-a', 4, 1, '2024-01-09 00:00Z', 'failed', 9999),
    ('t23-a', 5, 2, '2024-02-01 00:00Z', 'paid', 3500),
    ('t23-a', 6, 4, '2024-03-01 00:00Z', 'paid', 600),
    ('t23-a', 7, 4, '2024-03-01 00:00Z', 'paid', 600),
    ('t23-a', 8, 5, '2024-03-02 00:00Z', 'pending', 800),
    ('t23-a', 9, 6, '2023-06-01 00:00Z', 'refunded', 800),
    ('t23-q', 1, 1, '2024-01-01 00:00Z', 'paid', 10),
    ('t23-q', 2, 2, '2024-01-02 00:00Z', 'paid', 20);

SELECT ok((SELECT count(*) FROM tally.customer_activity_changes) > 0, 'the writes logged the customers they touched');
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'after inserts, the routine refresh holds exactly the definition''s rows (limits, zones, ties, customers without orders)');
SELECT is_empty('SELECT * FROM tally.customer_activity_changes', 'the refresh took the whole log');

-- Order lines do not feed the view (an order counts with its own total): writing them logs nothing.
INSERT INTO app.products (tenant_id, id, name, price_cents) VALUES ('t23-a', 1, 'Widget', 500);
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents) VALUES ('t23-a', 1, 1, 1, 7);
SELECT is_empty('SELECT * FROM tally.customer_activity_changes', 'a line written logs no customer');

-- A customer nobody writes to keeps its aggregates: spoil one in a tenant that will be renumbered,
-- and one in a tenant nobody writes to; after the refresh both are still spoiled.
UPDATE mv.customer_activity SET paid_orders = -1 WHERE tenant_id = 't23-a' AND customer_id = 4;
UPDATE mv.customer_activity SET paid_orders = -1 WHERE tenant_id = 't23-q' AND customer_id = 1;
-- Late data into old periods: an old order paid late, a paid one refunded, an old order moved to
-- another customer, one deleted, a new customer with an old order, a customer moved to another
-- region, one renamed, one deleted (with its orders), a total corrected at the limit.
UPDATE app.orders SET status = 'paid' WHERE tenant_id = 't23-a' AND id = 8;
UPDATE app.orders SET status = 'refunded' WHERE tenant_id = 't23-a' AND id = 5;
UPDATE app.orders SET customer_id = 3 WHERE tenant_id = 't23-a' AND id = 2;
DELETE FROM app.order_lines WHERE tenant_id = 't23-a' AND order_id = 1;
DELETE FROM app.orders WHERE tenant_id = 't23-a' AND id = 1;
INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('t23-a', 7, 'Gus', 'west');
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-a', 10, 7, '2019-07-06 12:00Z', 'paid', 600), ('t23-a', 11, 7, '2019-07-06 12:00Z', 'paid', 0);
UPDATE app.customers SET region = 'east' WHERE tenant_id = 't23-a' AND id = 1;
UPDATE app.customers SET name = 'Deirdre' WHERE tenant_id = 't23-a' AND id = 5;
DELETE FROM app.orders WHERE tenant_id = 't23-a' AND customer_id = 6;
DELETE FROM app.customers WHERE tenant_id = 't23-a' AND id = 6;
UPDATE app.orders SET total_cents = 9223372036854775807 WHERE tenant_id = 't23-w' AND id = 2;
UPDATE app.orders SET created_at = 'infinity' WHERE tenant_id = 't23-e' AND id = 1;
SELECT tally.refresh_view('customer_activity', true, false);
SELECT results_eq(
    $$SELECT paid_orders FROM mv.customer_activity WHERE (tenant_id, customer_id) IN (('t23-a', 4), ('t23-q', 1)) ORDER BY tenant_id$$,
    $$VALUES (-1::bigint), (-1::bigint)$$,
    'a customer no write touched keeps its aggregates, whether its tenant was renumbered or not');
SELECT results_eq(
    $$SELECT position, revenue_rank FROM mv.customer_activity_numbered WHERE tenant_id = 't23-a' AND customer_id = 4$$,
    $$SELECT position, revenue_rank FROM mv.customer_activity_ranked WHERE tenant_id = 't23-a' AND customer_id = 4$$,
    'its numbers follow the customers around it that changed');
UPDATE mv.customer_activity SET paid_orders = 2 WHERE tenant_id = 't23-a' AND customer_id = 4;
UPDATE mv.customer_activity SET paid_orders = 1 WHERE tenant_id = 't23-q' AND customer_id = 1;
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'after late inserts, updates and deletes of old orders and customers, the routine refresh holds exactly the definition''s rows');
SELECT results_eq(
    $$SELECT customer_id, paid_orders, lifetime_revenue_cents, revenue_rank, position, region_position
      FROM mv.customer_activity_numbered WHERE tenant_id = 't23-a' ORDER BY position$$,
    $$VALUES (3::bigint, 1::bigint, 2000::numeric, 1::bigint, 1::bigint, 1::bigint),
             (4, 2, 1200, 2, 2, 1),
             (5, 1, 800, 3, 3, 2),
             (7, 2, 600, 4, 4, 1),
             (1, 1, 500, 5, 5, 1),
             (2, 0, 0, 6, 6, 2)$$,
    'the late payment, the refund, the moved and deleted orders and the new, moved and deleted customers all show');

-- A quiet tenant written to again.
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES ('t23-q', 3, 2, '2024-01-03 00:00Z', 'paid', 5);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a tenant nobody wrote to for a while picks up its next write');

-- Step by step in one tenant, each step checked against the definition: ties made and broken,
-- revenue values appearing and vanishing (the dense rank of everyone below moves), region moves,
-- a refund, deletes and arrivals.
INSERT INTO app.tenants (id, name, time_zone) VALUES ('t23-s', 'Steps', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t23-s', 1, 'One', 'n'), ('t23-s', 2, 'Two', 's'), ('t23-s', 3, 'Three', 'n'),
    ('t23-s', 4, 'Four', 's'), ('t23-s', 5, 'Five', 'n'), ('t23-s', 6, 'Six', 'e');
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-s', 1, 1, '2025-01-01 00:00Z', 'paid', 1000), ('t23-s', 2, 2, '2025-01-02 00:00Z', 'paid', 900),
    ('t23-s', 3, 3, '2025-01-03 00:00Z', 'paid', 800), ('t23-s', 4, 4, '2025-01-04 00:00Z', 'paid', 800);
SELECT tally.refresh_view('customer_activity', true, false);
CREATE TEMP TABLE t23_rows AS SELECT customer_id, ctid::text AS row_at FROM mv.customer_activity WHERE tenant_id = 't23-s';

-- A tie broken upwards: 850 appears, 800 stays (customer 3), so 3, 5 and 6 move down a rank.
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-s', 5, 4, '2025-02-01 00:00Z', 'paid', 50);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a tie broken (a revenue value appears above the rest of the tie): exactly the definition''s rows');
SELECT results_eq(
    $$SELECT customer_id, ctid::text FROM mv.customer_activity WHERE tenant_id = 't23-s' AND customer_id IN (1, 2) ORDER BY 1$$,
    $$SELECT customer_id, row_at FROM t23_rows WHERE customer_id IN (1, 2) ORDER BY 1$$,
    'the customers above every change keep their rows: they are not rewritten');

-- A move that crosses nobody (850 vanishes, 851 appears): only the changed customer's row is written.
DROP TABLE t23_rows;
CREATE TEMP TABLE t23_rows AS SELECT customer_id, ctid::text AS row_at FROM mv.customer_activity WHERE tenant_id = 't23-s';
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-s', 6, 4, '2025-02-02 00:00Z', 'paid', 1);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT results_eq(
    $$SELECT customer_id, ctid::text FROM mv.customer_activity WHERE tenant_id = 't23-s' AND customer_id <> 4 ORDER BY 1$$,
    $$SELECT customer_id, row_at FROM t23_rows WHERE customer_id <> 4 ORDER BY 1$$,
    'a customer that crossed nobody is the only row written');

-- A refund to 0: 800 vanishes (0 is held by 5 and 6), everyone below moves up a rank.
UPDATE app.orders SET status = 'refunded' WHERE tenant_id = 't23-s' AND id = 3;
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a refund whose revenue value vanishes (the customer joins the 0 tie): exactly the definition''s rows');

-- A first order while others still have none: 10 appears below everyone who had paid.
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-s', 7, 5, '2025-03-01 00:00Z', 'paid', 10);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a first order (a revenue value appears above the customers without orders): exactly the definition''s rows');

-- A tie made at the top: 900 vanishes into 1000, and a pending order paid late in the same refresh.
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-s', 8, 2, '2025-03-02 00:00Z', 'paid', 100), ('t23-s', 9, 6, '2025-03-03 00:00Z', 'pending', 10);
UPDATE app.orders SET status = 'paid' WHERE tenant_id = 't23-s' AND id = 9;
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a tie made (a revenue value vanishes into another) and a late payment into an existing value: exactly the definition''s rows');

-- Region moves: the first customer changes region, the only customer of a region leaves it.
UPDATE app.customers SET region = 's' WHERE tenant_id = 't23-s' AND id = 1;
UPDATE app.customers SET region = 'n' WHERE tenant_id = 't23-s' AND id = 6;
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'region moves (a region emptied, positions in the region left and the region joined): exactly the definition''s rows');

-- Deletes and arrivals: a customer deleted with its orders, a new top customer in a new region, a
-- new customer without orders, an order moved between customers.
DELETE FROM app.orders WHERE tenant_id = 't23-s' AND customer_id = 2;
DELETE FROM app.customers WHERE tenant_id = 't23-s' AND id = 2;
INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('t23-s', 7, 'Seven', 'w'), ('t23-s', 8, 'Eight', 'e');
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-s', 10, 7, '2025-04-01 00:00Z', 'paid', 5000);
UPDATE app.orders SET customer_id = 3 WHERE tenant_id = 't23-s' AND id = 7;
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'deletes, arrivals and a moved order: exactly the definition''s rows');

-- A long random sequence in a tenant whose revenues tie often (totals from five values), a
-- refresh after every round of writes, each compared with the definition (both ways). Rows are
-- picked by their place in id order, not ORDER BY random(): that depended on where rows sat on
-- disk, so the seeded sequence differed between databases.
INSERT INTO app.tenants (id, name, time_zone) VALUES ('t23-r', 'Random', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region)
SELECT 't23-r', i, 'R' || i, (ARRAY['n', 's', 'e'])[1 + i % 3] FROM generate_series(1, 30) i;
CREATE TEMP TABLE t23_rounds (round int, differing bigint, levels bigint, miscounted bigint);
SELECT setseed(0.23);
DO $$
DECLARE
    next_customer bigint := 31;
    picked        bigint;
    reported      bigint;
BEGIN
    FOR round IN 1..40 LOOP
        FOR step IN 1..4 LOOP
            CASE floor(random() * 9)::int
            WHEN 0, 1 THEN  -- an order, paid or not
                INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
                SELECT 't23-r', c.id, timestamptz '2024-01-01' + random() * interval '700 days',
                       (ARRAY['paid', 'paid', 'pending', 'refunded'])[1 + floor(random() * 4)::int],
                       (ARRAY[0, 100, 200, 300, 500])[1 + floor(random() * 5)::int]
                FROM (SELECT id FROM app.customers WHERE tenant_id = 't23-r' ORDER BY id
                      OFFSET floor(random() * (SELECT count(*) FROM app.customers WHERE tenant_id = 't23-r')) LIMIT 1) c;
            WHEN 2 THEN  -- a refund or a late payment
                UPDATE app.orders SET status = CASE status WHEN 'paid' THEN 'refunded' ELSE 'paid' END
                WHERE tenant_id = 't23-r' AND id = (SELECT id FROM app.orders WHERE tenant_id = 't23-r' ORDER BY id
                            OFFSET floor(random() * (SELECT count(*) FROM app.orders WHERE tenant_id = 't23-r')) LIMIT 1);
            WHEN 3 THEN  -- an order deleted
                DELETE FROM app.orders
                WHERE tenant_id = 't23-r' AND id = (SELECT id FROM app.orders WHERE tenant_id = 't23-r' ORDER BY id
                            OFFSET floor(random() * (SELECT count(*) FROM app.orders WHERE tenant_id = 't23-r')) LIMIT 1);
            WHEN 4 THEN  -- an order moved to another customer
                UPDATE app.orders
                SET customer_id = (SELECT id FROM app.customers WHERE tenant_id = 't23-r' ORDER BY id
                            OFFSET floor(random() * (SELECT count(*) FROM app.customers WHERE tenant_id = 't23-r')) LIMIT 1)
                WHERE tenant_id = 't23-r' AND id = (SELECT id FROM app.orders WHERE tenant_id = 't23-r' ORDER BY id
                            OFFSET floor(random() * (SELECT count(*) FROM app.orders WHERE tenant_id = 't23-r')) LIMIT 1);
            WHEN 5 THEN  -- a total corrected
                UPDATE app.orders SET total_cents = (ARRAY[0, 100, 200, 300, 500])[1 + floor(random() * 5)::int]
                WHERE tenant_id = 't23-r' AND id = (SELECT id FROM app.orders WHERE tenant_id = 't23-r' ORDER BY id
                            OFFSET floor(random() * (SELECT count(*) FROM app.orders WHERE tenant_id = 't23-r')) LIMIT 1);
            WHEN 6 THEN  -- a region move
                UPDATE app.customers SET region = (ARRAY['n', 's', 'e', 'w'])[1 + floor(random() * 4)::int]
                WHERE tenant_id = 't23-r' AND id = (SELECT id FROM app.customers WHERE tenant_id = 't23-r' ORDER BY id
                            OFFSET floor(random() * (SELECT count(*) FROM app.customers WHERE tenant_id = 't23-r')) LIMIT 1);
            WHEN 7 THEN  -- a new customer
                INSERT INTO app.customers (tenant_id, id, name, region)
                VALUES ('t23-r', next_customer, 'R' || next_customer, (ARRAY['n', 's', 'e'])[1 + floor(random() * 3)::int]);
                next_customer := next_customer + 1;
            ELSE  -- a customer deleted with its orders
                picked := (SELECT id FROM app.customers WHERE tenant_id = 't23-r' ORDER BY id
                            OFFSET floor(random() * (SELECT count(*) FROM app.customers WHERE tenant_id = 't23-r')) LIMIT 1);
                DELETE FROM app.orders WHERE tenant_id = 't23-r' AND customer_id = picked;
                DELETE FROM app.customers WHERE tenant_id = 't23-r' AND id = picked;
            END CASE;
        END LOOP;
        reported := tally.refresh_view('customer_activity', true, false);
        INSERT INTO t23_rounds
        SELECT round, pg_temp.t23_differing(),
               (SELECT max(revenue_rank) FROM mv.customer_activity_numbered WHERE tenant_id = 't23-r'),
               reported - (SELECT count(*) FROM mv.customer_activity);
    END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM t23_rounds WHERE differing > 0), 0::bigint,
    'after each of 40 rounds of random writes (orders, refunds, late payments, deletes, moved orders and totals, region moves, new and deleted customers), exactly the definition''s rows');
SELECT is((SELECT count(*) FROM t23_rounds WHERE miscounted <> 0), 0::bigint,
    'each routine refresh reports the rows it holds, counted from what it changed (customers came and went)');
SELECT ok((SELECT count(DISTINCT levels) FROM t23_rounds) > 3,
    'the random rounds made and removed revenue values (the number of ranks varied)');

-- Bucket boundaries: 1000-1009 is one bucket, 990-999 another; revenue 0 is split by id range
-- (ids 255 | 256, 257, 260 | 600). Each step checked against the definition.
INSERT INTO app.tenants (id, name, time_zone) VALUES ('t23-b', 'Boundaries', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t23-b', 1, 'B1', 'n'), ('t23-b', 2, 'B2', 's'), ('t23-b', 3, 'B3', 'n'), ('t23-b', 4, 'B4', 's'),
    ('t23-b', 5, 'B5', 'n'), ('t23-b', 6, 'B6', 's'), ('t23-b', 255, 'B255', 'n'), ('t23-b', 256, 'B256', 's'),
    ('t23-b', 257, 'B257', 'n'), ('t23-b', 600, 'B600', 's');
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-b', 1, 1, '2025-01-01 00:00Z', 'paid', 1005), ('t23-b', 2, 2, '2025-01-01 00:00Z', 'paid', 1005),
    ('t23-b', 3, 3, '2025-01-01 00:00Z', 'paid', 1000), ('t23-b', 4, 4, '2025-01-01 00:00Z', 'paid', 999),
    ('t23-b', 5, 5, '2025-01-01 00:00Z', 'paid', 999), ('t23-b', 6, 6, '2025-01-01 00:00Z', 'paid', 990);
SELECT tally.refresh_view('customer_activity', true, false);
-- Up across the boundary into a tie: 999 to 1005.
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-b', 7, 4, '2025-02-01 00:00Z', 'paid', 6);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a customer crossing a bucket boundary into a tie: exactly the definition''s numbers');
-- A tie made at a bucket's lowest value (999 to 1000) while 999 vanishes: everyone below ranks one
-- higher, yet the bucket below (990) is not rewritten: its rank is counted, not stored.
CREATE TEMP TABLE t23_boundary_rows AS SELECT customer_id, ctid::text AS row_at FROM mv.customer_activity WHERE tenant_id = 't23-b';
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-b', 8, 5, '2025-02-01 00:00Z', 'paid', 1);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a tie made at a bucket''s boundary value while a value vanishes: exactly the definition''s numbers');
SELECT results_eq(
    $$SELECT customer_id, ctid::text FROM mv.customer_activity WHERE tenant_id = 't23-b' AND customer_id IN (6, 600) ORDER BY 1$$,
    $$SELECT customer_id, row_at FROM t23_boundary_rows WHERE customer_id IN (6, 600) ORDER BY 1$$,
    'customers in buckets nobody left or entered keep their rows though their ranks moved');
-- A first order: one customer leaves the customers without revenue; only its id range is renumbered.
DROP TABLE t23_boundary_rows;
CREATE TEMP TABLE t23_boundary_rows AS SELECT customer_id, ctid::text AS row_at FROM mv.customer_activity WHERE tenant_id = 't23-b';
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES
    ('t23-b', 9, 256, '2025-03-01 00:00Z', 'paid', 5);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a first order (leaving the customers without revenue): exactly the definition''s numbers');
SELECT results_eq(
    $$SELECT customer_id, ctid::text FROM mv.customer_activity WHERE tenant_id = 't23-b' AND customer_id IN (255, 600) ORDER BY 1$$,
    $$SELECT customer_id, row_at FROM t23_boundary_rows WHERE customer_id IN (255, 600) ORDER BY 1$$,
    'the customers without revenue in other id ranges keep their rows');
-- A refund to 0 (joining the first id range, before 255 by id) and a new customer without orders.
UPDATE app.orders SET status = 'refunded' WHERE tenant_id = 't23-b' AND id = 1;
INSERT INTO app.customers (tenant_id, id, name, region) VALUES ('t23-b', 260, 'B260', 'n');
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a refund to 0 and a new customer without orders, in different id ranges: exactly the definition''s numbers');

-- New paid orders later than a customer's last move its row without reading its history: spoil a
-- customer's count, order again, and the spoiled count moves by one (a recount would have healed it).
INSERT INTO app.tenants (id, name, time_zone) VALUES ('t23-m', 'Moved', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region)
SELECT 't23-m', i, 'M' || i, (ARRAY['n', 's'])[1 + i % 2] FROM generate_series(1, 12) i;
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
SELECT 't23-m', 1 + i % 10, timestamptz '2024-01-01' + i * interval '3 days 1 hour 7 minutes 13.000017 seconds', 'paid', 100 + i % 7
FROM generate_series(1, 60) i;
SELECT tally.refresh_view('customer_activity', true, false);
UPDATE mv.customer_activity SET paid_orders = paid_orders + 1000 WHERE tenant_id = 't23-m' AND customer_id = 1;
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
VALUES ('t23-m', 1, '2026-01-01 00:00:00.000001Z', 'paid', 5);
SELECT ok((SELECT count(*) FROM tally.customer_activity_appends WHERE tenant_id = 't23-m') = 1
          AND NOT EXISTS (SELECT 1 FROM tally.customer_activity_changes WHERE tenant_id = 't23-m'),
    'a new paid order is logged with its instant and total, its customer is not logged to be recounted');
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is((SELECT paid_orders FROM mv.customer_activity WHERE tenant_id = 't23-m' AND customer_id = 1),
          (SELECT count(*) + 1000 FROM app.orders WHERE tenant_id = 't23-m' AND customer_id = 1 AND status = 'paid'),
    'a customer ordering again is moved by its new order, its older orders not read again');
-- Any other write recounts it: a refund heals the spoiled count.
UPDATE app.orders SET status = 'refunded'
WHERE tenant_id = 't23-m' AND id = (SELECT min(id) FROM app.orders WHERE tenant_id = 't23-m' AND customer_id = 1);
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'a refund recounts the customer from its orders: exactly the definition''s rows');

-- Rounds of new orders at instants to the microsecond, each later than its customer's last (so
-- moved), with a second customer's order at its last instant exactly and one before it (both
-- recounted), first orders of customers without any, and an infinite last instant followed by
-- another: after each round the rows, average gaps and gaps equal the definition's to the last digit.
CREATE TEMP TABLE t23_moved_rounds (round int, differing bigint, moved bigint);
SELECT setseed(0.42);
DO $$
DECLARE
    at_last timestamptz;
BEGIN
    FOR r IN 1..12 LOOP
        INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
        SELECT 't23-m', c, (SELECT coalesce(max(created_at), '2024-01-01') FROM app.orders
                            WHERE tenant_id = 't23-m' AND customer_id = c AND status = 'paid')
                           + (1 + floor(random() * 1e12)::bigint) * interval '1 microsecond',
               'paid', floor(random() * 1000)::bigint
        FROM generate_series(3, 12) c, generate_series(1, 1 + r % 3);
        at_last := (SELECT max(created_at) FROM app.orders WHERE tenant_id = 't23-m' AND customer_id = 2 AND status = 'paid');
        INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
        VALUES ('t23-m', 2, CASE WHEN r % 2 = 0 THEN at_last ELSE at_last - interval '1 microsecond' END, 'paid', 7);
        IF r = 6 THEN
            INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES ('t23-m', 5, 'infinity', 'paid', 1);
        ELSIF r = 7 THEN
            INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES ('t23-m', 5, 'infinity', 'paid', 2);
        END IF;
        INSERT INTO t23_moved_rounds
        SELECT r, NULL, count(DISTINCT customer_id) FROM tally.customer_activity_appends a
        WHERE a.tenant_id = 't23-m'
          AND a.created_at > (SELECT coalesce(s.last_order_at, '-infinity') FROM mv.customer_activity s
                              WHERE s.tenant_id = a.tenant_id AND s.customer_id = a.customer_id);
        PERFORM tally.refresh_view('customer_activity', true, false);
        UPDATE t23_moved_rounds SET differing = pg_temp.t23_differing() WHERE t23_moved_rounds.round = r;
    END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM t23_moved_rounds WHERE differing > 0), 0::bigint,
    'after each of 12 rounds of new orders (moved, at a last instant, before it, first orders, infinite instants), exactly the definition''s rows and gaps');
SELECT ok((SELECT min(moved) FROM t23_moved_rounds) >= 8,
    'those rounds moved most customers by their new orders');

-- An order a recount already saw is not added again: here its log row outlives the recount (as an
-- order committed between the refresh taking the log and recounting does), and the next refresh
-- recounts its customer rather than adding it.
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES ('t23-m', 3, '2030-01-01Z', 'paid', 50);
CREATE TEMP TABLE t23_outlived AS SELECT * FROM tally.customer_activity_appends WHERE tenant_id = 't23-m';
DELETE FROM tally.customer_activity_appends WHERE tenant_id = 't23-m';
UPDATE app.customers SET name = 'M3 renamed' WHERE tenant_id = 't23-m' AND id = 3;
SELECT tally.refresh_view('customer_activity', true, false);
INSERT INTO tally.customer_activity_appends SELECT * FROM t23_outlived;
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'an order whose log row outlived the recount that saw it is counted once');

-- A bulk insert (over 10,000 rows) logs its customers to be recounted, not each order.
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
SELECT 't23-m', 1 + i % 12, timestamptz '2023-01-01' + i * interval '1 minute', 'paid', 1 FROM generate_series(1, 10001) i;
SELECT ok(NOT EXISTS (SELECT 1 FROM tally.customer_activity_appends WHERE tenant_id = 't23-m')
          AND (SELECT count(DISTINCT customer_id) FROM tally.customer_activity_changes WHERE tenant_id = 't23-m') = 12,
    'a bulk insert logs its customers, not its orders');
SELECT tally.refresh_view('customer_activity', true, false);
SELECT is(pg_temp.t23_differing(), 0::bigint, 'after a bulk insert, exactly the definition''s rows');

-- The full rebuild heals what no trigger saw.
ALTER TABLE app.orders DISABLE TRIGGER customer_activity_inserted;
INSERT INTO app.orders (tenant_id, id, customer_id, created_at, status, total_cents) VALUES ('t23-q', 4, 1, '2024-01-04 00:00Z', 'paid', 1000);
ALTER TABLE app.orders ENABLE TRIGGER customer_activity_inserted;
SELECT tally.refresh_view('customer_activity', true, false);
SELECT isnt_empty('SELECT * FROM mv.customer_activity EXCEPT ALL SELECT * FROM mv.customer_activity_definition',
    'a write no trigger saw is missed by the routine refresh');
SELECT ok(tally.refresh_view('customer_activity', true, true) > 0, 'the full rebuild runs');
SELECT is(pg_temp.t23_differing(), 0::bigint,
    'the full rebuild heals it');

SELECT * FROM finish();
ROLLBACK;
