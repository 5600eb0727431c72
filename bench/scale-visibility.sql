-- How soon a new order shows in dailyRevenue on a loaded bench database: one paid order is
-- inserted for the biggest tenant at now(), the recent part is refreshed as the scheduler does
-- (REFRESH ... CONCURRENTLY), and the reading view is asked for today's revenue before and after.
-- One line:
--   visibility recent_refresh_ms <ms> before <cents> after <cents> seen <true|false>
-- The order is removed again (and the part refreshed) so the database stays as loaded. A new order
-- is visible at most one recent interval (PT5M) plus recent_refresh_ms after it is written.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET statement_timeout = 0;

CREATE OR REPLACE FUNCTION pg_temp.visibility()
    RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    tenant   text;
    zone     text;
    customer bigint;
    order_id bigint;
    before   numeric;
    after    numeric;
    started  timestamptz;
    took     numeric;
BEGIN
    SELECT o.tenant_id INTO tenant FROM app.orders o GROUP BY 1 ORDER BY count(*) DESC LIMIT 1;
    SELECT time_zone INTO zone FROM app.tenants WHERE id = tenant;
    SELECT id INTO customer FROM app.customers WHERE tenant_id = tenant LIMIT 1;
    PERFORM set_config('app.tenant_id', tenant, true);
    SELECT coalesce(sum(revenue_cents), 0) INTO before FROM report.daily_revenue
    WHERE day = (now() AT TIME ZONE zone)::date;
    INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents)
    VALUES (tenant, customer, now(), 'paid', 12345) RETURNING id INTO order_id;
    started := clock_timestamp();
    REFRESH MATERIALIZED VIEW CONCURRENTLY mv.daily_revenue_recent;
    took := round(extract(epoch FROM clock_timestamp() - started) * 1000);
    SELECT coalesce(sum(revenue_cents), 0) INTO after FROM report.daily_revenue
    WHERE day = (now() AT TIME ZONE zone)::date;
    DELETE FROM app.orders WHERE tenant_id = tenant AND id = order_id;
    REFRESH MATERIALIZED VIEW CONCURRENTLY mv.daily_revenue_recent;
    RETURN format('visibility recent_refresh_ms %s before %s after %s seen %s', took, before, after,
                  after = before + 12345);
END
$$;

\pset tuples_only on
\pset format unaligned
SELECT pg_temp.visibility();
