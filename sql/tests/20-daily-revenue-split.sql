-- dailyRevenue is held in a history and a recent part (R__daily_revenue.sql). Whatever order and
-- time the parts are refreshed in, report.daily_revenue must hold every tenant-local day exactly
-- once, with the numbers the unsplit definition gives: in every time zone, across local midnight,
-- and as the recent window moves. The clock the parts compute their window from is pinned with
-- tally.split_clock.
BEGIN;
SELECT plan(12);

-- Zones at the extremes: +14, -11, quarter- and half-hour offsets, and zones whose DST switch
-- happens at midnight (Santiago, Havana) so a local midnight may not exist.
INSERT INTO app.tenants (id, name, time_zone)
SELECT 't20-' || lower(regexp_replace(z, '[^A-Za-z0-9]+', '-', 'g')), 'Split ' || z, z
FROM unnest(ARRAY['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'America/St_Johns',
                  'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'UTC']) AS z;
INSERT INTO app.customers (tenant_id, id, name, region)
SELECT t.id, r.n, 'Customer ' || r.n, CASE r.n WHEN 1 THEN 'north' ELSE 'south' END
FROM app.tenants t CROSS JOIN generate_series(1, 2) AS r (n)
WHERE t.id LIKE 't20-%';
-- Orders at the first and last microsecond and at noon of every local day from 12 days before
-- 2026-03-10 to 2 days after, in each tenant's own zone.
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
SELECT t.id,
       1 + ((d.n + s.k) % 2 + 2) % 2,
       ((date '2026-03-10' + d.n)::timestamp + s.at) AT TIME ZONE t.time_zone,
       (ARRAY['paid', 'failed', 'pending'])[1 + ((d.n + s.k) % 3 + 3) % 3],
       100 * (d.n + 20) + s.k
FROM app.tenants t
CROSS JOIN generate_series(-12, 2) AS d (n)
CROSS JOIN (VALUES (0, interval '0'), (1, interval '12 hours'), (2, interval '1 day' - interval '1 microsecond'))
    AS s (k, at)
WHERE t.id LIKE 't20-%';

-- The unsplit definition, the reference every stage is compared with.
CREATE FUNCTION pg_temp.reference(tenant text)
    RETURNS TABLE (day date, region text, orders_created numeric, paid_orders numeric, failed_orders numeric,
                   revenue_cents numeric)
    LANGUAGE sql AS $$
    SELECT (o.created_at AT TIME ZONE t.time_zone)::date, c.region, count(*), count(*) FILTER (WHERE o.status = 'paid'),
           count(*) FILTER (WHERE o.status = 'failed'), coalesce(sum(o.total_cents) FILTER (WHERE o.status = 'paid'), 0)
    FROM app.orders o
    JOIN app.tenants t ON t.id = o.tenant_id
    JOIN app.customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
    WHERE o.tenant_id = tenant
    GROUP BY 1, 2
$$;

-- Rows the report view has that the reference lacks, and the other way round, over every tenant.
CREATE FUNCTION pg_temp.mismatches()
    RETURNS bigint
    LANGUAGE plpgsql AS $$
DECLARE
    tenant text;
    total  bigint := 0;
    found  bigint;
BEGIN
    FOR tenant IN SELECT id FROM app.tenants WHERE id LIKE 't20-%' LOOP
        PERFORM set_config('app.tenant_id', tenant, true);
        WITH served AS (
            SELECT day, region, orders_created::numeric, paid_orders::numeric, failed_orders::numeric,
                   revenue_cents::numeric
            FROM report.daily_revenue
        )
        SELECT count(*) INTO found FROM (
            (SELECT * FROM served EXCEPT ALL SELECT * FROM pg_temp.reference(tenant))
            UNION ALL
            (SELECT * FROM pg_temp.reference(tenant) EXCEPT ALL SELECT * FROM served)
        ) AS differences;
        total := total + found;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
    RETURN total;
END
$$;

CREATE FUNCTION pg_temp.refresh(part text, clock text)
    RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('tally.split_clock', clock, true);
    EXECUTE format('REFRESH MATERIALIZED VIEW mv.%I', 'daily_revenue_' || part);
    PERFORM set_config('tally.split_clock', '', true);
END
$$;

-- In every zone PostgreSQL knows, the first instant of a local day and the instant before it fall
-- on either side of that day's edge, as the recent part's index range and day test assume.
SELECT is(
    (SELECT count(*)::int
     FROM pg_timezone_names z,
          LATERAL (SELECT date '2026-03-04' AS edge) e
     WHERE ((e.edge::timestamp AT TIME ZONE z.name) AT TIME ZONE z.name)::date <> e.edge
        OR (((e.edge::timestamp AT TIME ZONE z.name) - interval '1 microsecond') AT TIME ZONE z.name)::date
           >= e.edge),
    0, 'in every time zone the first instant of the edge day is on it and the instant before is not');

SELECT pg_temp.refresh('history', '2026-03-10 12:00+00');
SELECT pg_temp.refresh('recent', '2026-03-10 12:00+00');
SELECT is(pg_temp.mismatches(), 0::bigint, 'both parts refreshed together: every day exactly once, as unsplit');
SELECT results_eq(
    $$SELECT DISTINCT edge FROM mv.daily_revenue_history WHERE tenant_id = 't20-utc'$$,
    $$VALUES (date '2026-03-04')$$,
    'the history ends before the last 7 local days: at noon UTC on 10 March the edge is 4 March');
SELECT results_eq(
    $$SELECT DISTINCT edge FROM mv.daily_revenue_history WHERE tenant_id IN ('t20-pacific-kiritimati', 't20-pacific-pago-pago')
      ORDER BY 1$$,
    $$VALUES (date '2026-03-04'), (date '2026-03-05')$$,
    'the edge is the tenant''s own local date: already 11 March at UTC+14, still 10 March at UTC-11');
SELECT is(
    (SELECT count(*)::int FROM mv.daily_revenue_history h
     JOIN mv.daily_revenue_recent r USING (tenant_id, day, region) WHERE r.day >= h.edge),
    0, 'no day served from the recent part is also in the history');

-- One second either side of midnight UTC moves the window by a day in UTC only.
SELECT pg_temp.refresh('history', '2026-03-10 23:59:59+00');
SELECT pg_temp.refresh('recent', '2026-03-11 00:00:01+00');
SELECT is(pg_temp.mismatches(), 0::bigint, 'history before and recent after midnight: still every day exactly once');

-- The window moves a day and more while the history waits for its daily refresh.
SELECT pg_temp.refresh('recent', '2026-03-12 05:00+00');
SELECT is(pg_temp.mismatches(), 0::bigint, 'the recent part refreshed a day later reaches back to the history''s edge');
SELECT ok(
    (SELECT min(day) FROM mv.daily_revenue_recent WHERE tenant_id = 't20-utc') <= date '2026-03-04',
    'the recent part starts at the history''s edge, not at its own window');

-- The history moves ahead of a recent part that has not been refreshed since.
SELECT pg_temp.refresh('history', '2026-03-13 12:00+00');
SELECT is(pg_temp.mismatches(), 0::bigint, 'a history newer than the recent part: every day exactly once');

-- A late change: an order on an old day is not seen until the history is refreshed.
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
VALUES ('t20-utc', 1, '2026-03-01 10:00+00', 'paid', 5000);
SELECT pg_temp.refresh('recent', '2026-03-13 12:05+00');
SELECT is(pg_temp.mismatches(), 2::bigint, 'a late order on an old day waits for the next history refresh (its day and region differ)');
SELECT pg_temp.refresh('history', '2026-03-14 12:00+00');
SELECT is(pg_temp.mismatches(), 0::bigint, 'the next history refresh brings it in');

-- A new order today is in the next recent refresh.
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
VALUES ('t20-utc', 2, '2026-03-14 12:01+00', 'paid', 700);
SELECT pg_temp.refresh('recent', '2026-03-14 12:02+00');
SELECT is(pg_temp.mismatches(), 0::bigint, 'an order today is in the next recent refresh');

SELECT * FROM finish();
ROLLBACK;
