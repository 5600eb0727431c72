-- plan_usage is kept incrementally (R__plan_usage.sql, V12): after every kind of write its routine
-- refresh leaves exactly the rows of its full definition, over the column limits, with late usage
-- into old subscriptions, status, price and plan changes and deletes; it moves only the plans
-- written to, by the difference of the subscriptions written to, and sums again only those
-- subscriptions' usage (a plan's other subscriptions and usage nobody wrote to are not read again).
BEGIN;
SELECT plan(22);

-- Built once on whatever the database holds; everything after this is routine.
SELECT tally.refresh_view('plan_usage', false, true);

INSERT INTO app.tenants (id, name) VALUES ('t25-a', 'Tenant A'), ('t25-b', 'Tenant B');
INSERT INTO app.customers (tenant_id, id, name, region)
SELECT t, c, 'C' || c, 'north' FROM unnest(ARRAY['t25-a', 't25-b']) t, generate_series(1, 3) c;
INSERT INTO app.plans (tenant_id, id, name, monthly_price_cents) VALUES
    ('t25-a', 1, 'Basic', 1000), ('t25-a', 2, 'Pro', 5000), ('t25-a', 3, 'Max', 9223372036854775807),
    ('t25-a', 4, 'Unsold', 0), ('t25-a', 5, 'Quiet', 10),
    ('t25-b', 1, 'Other', 7000);
INSERT INTO app.subscriptions (tenant_id, id, plan_id, customer_id, status, monthly_price_cents, started_at, cancelled_at) VALUES
    ('t25-a', 1, 1, 1, 'active',    1000, '2020-01-01Z', NULL),
    ('t25-a', 2, 1, 2, 'active',     900, '2020-01-01Z', NULL),
    ('t25-a', 3, 2, 3, 'trialing',     0, '2024-01-01Z', NULL),
    ('t25-a', 4, 2, 1, 'cancelled', 5000, '2019-01-01Z', '2019-06-01Z'),
    -- The limits: three active prices of bigint max make 3M a month, past bigint.
    ('t25-a', 5, 3, 1, 'active', 9223372036854775807, '2024-01-01Z', NULL),
    ('t25-a', 6, 3, 2, 'active', 9223372036854775807, '2024-01-01Z', NULL),
    ('t25-a', 7, 3, 3, 'active', 9223372036854775807, '2024-01-01Z', NULL),
    ('t25-a', 8, 5, 3, 'active',      10, '2021-01-01Z', NULL),
    ('t25-b', 1, 1, 1, 'active',    7000, '2024-01-01Z', NULL);
INSERT INTO app.usage_records (tenant_id, id, subscription_id, recorded_at, api_calls) VALUES
    ('t25-a', 1, 1, '2020-02-01Z', 100),
    ('t25-a', 2, 1, '2020-03-01Z', 200),
    ('t25-a', 3, 3, '2024-02-01Z', 50),
    ('t25-a', 4, 4, '2019-02-01Z', 999),
    -- Two records of bigint max calls on one subscription: its sum is 2M, past bigint.
    ('t25-a', 5, 5, '2024-02-01Z', 9223372036854775807),
    ('t25-a', 6, 5, '2024-03-01Z', 9223372036854775807),
    ('t25-a', 7, 8, '2021-02-01Z', 5),
    ('t25-b', 1, 1, '2024-02-01Z', 123456);

SELECT ok((SELECT count(*) FROM tally.plan_usage_changes) > 0, 'the writes logged the subscriptions and plans they touched');
SELECT tally.refresh_view('plan_usage', true, false);
SELECT bag_eq('SELECT * FROM mv.plan_usage', 'SELECT * FROM mv.plan_usage_definition',
    'after inserts, the routine refresh holds exactly the definition''s rows (limits, plans without subscriptions, subscriptions without usage)');
SELECT bag_eq('SELECT * FROM mv.plan_usage_subscriptions', 'SELECT * FROM mv.plan_usage_subscriptions_definition',
    'the kept subscriptions are exactly the active ones, with their plans, prices and usage records'' sums');
SELECT results_eq(
    $$SELECT active_subscriptions, monthly_revenue_cents, total_api_calls FROM mv.plan_usage WHERE tenant_id = 't25-a' AND plan_id = 3$$,
    $$VALUES (3::bigint, 27670116110564327421::numeric, 18446744073709551614::numeric)$$,
    'three prices of M make 3M, two records of M calls make 2M, exactly');
SELECT is_empty('SELECT * FROM tally.plan_usage_changes', 'the refresh took the whole log');

-- A plan nobody writes to is not recomputed: spoil its row, write elsewhere, refresh.
UPDATE mv.plan_usage SET total_api_calls = -1 WHERE tenant_id = 't25-a' AND plan_id = 5;
UPDATE app.plans SET name = 'Pro 2' WHERE tenant_id = 't25-a' AND id = 2;
SELECT tally.refresh_view('plan_usage', true, false);
SELECT results_eq(
    $$SELECT total_api_calls FROM mv.plan_usage WHERE tenant_id = 't25-a' AND plan_id = 5$$,
    $$VALUES (-1::numeric)$$,
    'a plan no write touched is kept as it was, not recomputed');
-- A plan written to moves by the difference of the subscriptions written only: spoil Basic's row
-- and subscription 1's kept row, change subscription 2's price, refresh: both spoils stay.
UPDATE mv.plan_usage SET total_api_calls = total_api_calls + 1000 WHERE tenant_id = 't25-a' AND plan_id = 1;
UPDATE mv.plan_usage_subscriptions SET api_calls = 7 WHERE tenant_id = 't25-a' AND subscription_id = 1;
UPDATE app.subscriptions SET monthly_price_cents = 950 WHERE tenant_id = 't25-a' AND id = 2;
SELECT tally.refresh_view('plan_usage', true, false);
SELECT results_eq(
    $$SELECT monthly_revenue_cents, total_api_calls,
             (SELECT api_calls FROM mv.plan_usage_subscriptions WHERE tenant_id = 't25-a' AND subscription_id = 1)
      FROM mv.plan_usage WHERE tenant_id = 't25-a' AND plan_id = 1$$,
    $$VALUES (1950::numeric, 1300::numeric, 7::numeric)$$,
    'a plan written to moves by the written subscription''s difference: its other subscriptions and their records are not read again');
UPDATE mv.plan_usage SET total_api_calls = total_api_calls - 1000 WHERE tenant_id = 't25-a' AND plan_id = 1;
UPDATE mv.plan_usage_subscriptions SET api_calls = 300 WHERE tenant_id = 't25-a' AND subscription_id = 1;
-- A record of subscription 1 written (unchanged values): its sum is read from its records again.
UPDATE app.subscriptions SET status = 'active' WHERE tenant_id = 't25-a' AND id = 3;
UPDATE app.usage_records SET api_calls = api_calls WHERE tenant_id = 't25-a' AND id = 1;
SELECT tally.refresh_view('plan_usage', true, false);
SELECT results_eq(
    $$SELECT plan_name, active_subscriptions, monthly_revenue_cents, total_api_calls FROM mv.plan_usage WHERE tenant_id = 't25-a' AND plan_id IN (1, 2) ORDER BY plan_id$$,
    $$VALUES ('Basic'::text, 2::bigint, 1950::numeric, 300::numeric), ('Pro 2', 1, 0, 50)$$,
    'a renamed plan and a subscription become active show; a subscription whose record was written is summed again from its records');
UPDATE mv.plan_usage SET total_api_calls = 5 WHERE tenant_id = 't25-a' AND plan_id = 5;

-- Late usage into an old subscription, a usage record changed, moved to another subscription and
-- deleted; a status change away from active, a price change, a plan move; a subscription and a
-- plan deleted with what depends on them; new plans, one under the deleted plan's id; another
-- tenant's late usage.
INSERT INTO app.usage_records (tenant_id, id, subscription_id, recorded_at, api_calls) VALUES ('t25-a', 10, 2, '2020-01-15Z', 40);
UPDATE app.usage_records SET api_calls = 9223372036854775807 WHERE tenant_id = 't25-a' AND id = 7;
UPDATE app.usage_records SET subscription_id = 8 WHERE tenant_id = 't25-a' AND id = 2;
DELETE FROM app.usage_records WHERE tenant_id = 't25-a' AND id = 5;
UPDATE app.subscriptions SET status = 'cancelled', cancelled_at = '2024-06-01Z' WHERE tenant_id = 't25-a' AND id = 6;
UPDATE app.subscriptions SET monthly_price_cents = 1 WHERE tenant_id = 't25-a' AND id = 2;
UPDATE app.subscriptions SET plan_id = 4 WHERE tenant_id = 't25-a' AND id = 1;
DELETE FROM app.usage_records WHERE tenant_id = 't25-a' AND subscription_id = 4;
DELETE FROM app.subscriptions WHERE tenant_id = 't25-a' AND id = 4;
DELETE FROM app.usage_records WHERE tenant_id = 't25-a' AND subscription_id = 3;
DELETE FROM app.subscriptions WHERE tenant_id = 't25-a' AND id = 3;
DELETE FROM app.plans WHERE tenant_id = 't25-a' AND id = 2;
INSERT INTO app.plans (tenant_id, id, name, monthly_price_cents) VALUES ('t25-a', 6, 'New', 1), ('t25-a', 2, 'Again', 1);
INSERT INTO app.usage_records (tenant_id, id, subscription_id, recorded_at, api_calls) VALUES ('t25-b', 2, 1, '2000-01-01Z', 1);
SELECT tally.refresh_view('plan_usage', true, false);
SELECT bag_eq('SELECT * FROM mv.plan_usage', 'SELECT * FROM mv.plan_usage_definition',
    'after late usage, status, price and plan changes and deletes, the routine refresh holds exactly the definition''s rows');
SELECT bag_eq('SELECT * FROM mv.plan_usage_subscriptions', 'SELECT * FROM mv.plan_usage_subscriptions_definition',
    'the kept subscriptions follow moved, changed and deleted records, status, price and plan changes and deleted subscriptions');
SELECT results_eq(
    $$SELECT plan_id, active_subscriptions, monthly_revenue_cents, total_api_calls FROM mv.plan_usage WHERE tenant_id = 't25-a' ORDER BY plan_id$$,
    $$VALUES (1::bigint, 1::bigint, 1::numeric, 40::numeric),
             (2, 0, 0, 0),
             (3, 2, 18446744073709551614, 9223372036854775807),
             (4, 1, 1000, 100),
             (5, 1, 10, 9223372036854776007),
             (6, 0, 0, 0)$$,
    'worked by hand: Basic keeps subscription 2 (price 1, late 40 calls); Max two of three; Unsold gains subscription 1 with 100 calls; Quiet M (was 5) + 200 moved in; the new plans, one under a deleted plan''s id, have zeros');

-- A TRUNCATE logs everything: the next routine refresh is a full rebuild.
TRUNCATE app.usage_records;
SELECT tally.refresh_view('plan_usage', true, false);
SELECT bag_eq('SELECT * FROM mv.plan_usage', 'SELECT * FROM mv.plan_usage_definition',
    'after a TRUNCATE, the refresh holds exactly the definition''s rows');
SELECT bag_eq('SELECT * FROM mv.plan_usage_subscriptions', 'SELECT * FROM mv.plan_usage_subscriptions_definition',
    'and the kept subscriptions count no calls for the records that are gone');

-- A log over 10,000 rows (a bulk write of many statements) is not read row by row: the refresh
-- rebuilds instead (the log is deleted unread).
UPDATE tally.incremental_views SET rebuilt_at = '2000-01-01Z' WHERE view_name = 'plan_usage';
INSERT INTO app.usage_records (tenant_id, id, subscription_id, recorded_at, api_calls) VALUES ('t25-a', 30, 2, '2020-01-15Z', 7);
DO $$
BEGIN
    FOR i IN 1..10001 LOOP
        UPDATE app.usage_records SET api_calls = api_calls + 1 WHERE tenant_id = 't25-a' AND id = 30;
    END LOOP;
END
$$;
SELECT ok((SELECT count(*) FROM tally.plan_usage_changes) > 10000, 'many statements logged over 10,000 rows');
SELECT tally.refresh_view('plan_usage', true, false);
SELECT bag_eq('SELECT * FROM mv.plan_usage', 'SELECT * FROM mv.plan_usage_definition',
    'after a log over 10,000 rows, the routine refresh gives exactly the definition''s rows');
SELECT results_eq(
    $$SELECT rebuilt_at > '2000-01-01Z', (SELECT count(*) FROM tally.plan_usage_changes) FROM tally.incremental_views WHERE view_name = 'plan_usage'$$,
    $$VALUES (true, 0::bigint)$$,
    'it was a full rebuild, and it emptied the log');

-- The full rebuild heals what no trigger saw.
ALTER TABLE app.usage_records DISABLE TRIGGER plan_usage_inserted;
INSERT INTO app.usage_records (tenant_id, id, subscription_id, recorded_at, api_calls) VALUES ('t25-a', 20, 2, '2020-01-15Z', 1000);
ALTER TABLE app.usage_records ENABLE TRIGGER plan_usage_inserted;
SELECT tally.refresh_view('plan_usage', true, false);
SELECT isnt_empty('SELECT * FROM mv.plan_usage EXCEPT ALL SELECT * FROM mv.plan_usage_definition',
    'a write no trigger saw is missed by the routine refresh');
SELECT ok(tally.refresh_view('plan_usage', true, true) > 0, 'the full rebuild runs');
SELECT bag_eq('SELECT * FROM mv.plan_usage', 'SELECT * FROM mv.plan_usage_definition',
    'the full rebuild heals it');
SELECT bag_eq('SELECT * FROM mv.plan_usage_subscriptions', 'SELECT * FROM mv.plan_usage_subscriptions_definition',
    'and the kept subscriptions with it, so routine refreshes after it start right');
-- Only rows that differ are written: a full rebuild with nothing changed leaves every row in place.
CREATE TEMP TABLE t25_places AS SELECT tenant_id, plan_id, ctid::text AS place FROM mv.plan_usage;
SELECT tally.refresh_view('plan_usage', true, true);
SELECT is_empty('SELECT tenant_id, plan_id, ctid::text FROM mv.plan_usage EXCEPT SELECT * FROM t25_places',
    'a full rebuild with nothing changed rewrites no row');
SELECT ok((SELECT rebuilt_at IS NOT NULL FROM tally.incremental_views WHERE view_name = 'plan_usage'),
    'the full rebuild is recorded for the rebuild schedule');

SELECT * FROM finish();
ROLLBACK;
