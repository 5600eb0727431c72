-- What the benchmark's PostGraphile serves (docs/benchmarks.md, "Throughput with wrk"): dailyRevenue's days and
-- totals, as two functions over the security-barrier view report.daily_revenue. Their bodies are
-- the report's own SQL files (sql/reports/daily_revenue), inserted by the harness where their names
-- stand between at signs, with from, to and region as $1, $2 and $3, so PostgreSQL does the same
-- work for both servers. SECURITY
-- INVOKER (the default): they read as the caller's role, tally_reader, scoped by app.tenant_id.
-- Created afresh each run, from the report's SQL as it is now.
DROP SCHEMA IF EXISTS postgraphile CASCADE;
CREATE SCHEMA postgraphile;
GRANT USAGE ON SCHEMA postgraphile TO tally_reader;

CREATE TYPE postgraphile.daily_revenue_day AS (
    day date,
    orders_created int,
    paid_orders int,
    failed_orders int,
    revenue_cents numeric,
    rolling_7d_revenue_cents numeric
);

CREATE TYPE postgraphile.daily_revenue_total AS (
    orders_created int,
    paid_orders int,
    revenue_cents numeric,
    conversion_rate_percent float8
);

-- A set-returning SQL function of one SELECT, STABLE and not STRICT: PostgreSQL inlines it into
-- PostGraphile's query, so the plan is the report's own.
CREATE FUNCTION postgraphile.daily_revenue_days("from" date, "to" date, region text)
    RETURNS SETOF postgraphile.daily_revenue_day LANGUAGE sql STABLE AS $days$
@days.sql@
$days$;
-- A plain list, as Tally's days are, not a Relay connection.
COMMENT ON FUNCTION postgraphile.daily_revenue_days(date, date, text) IS E'@behavior -connection +list';

CREATE FUNCTION postgraphile.daily_revenue_totals("from" date, "to" date, region text)
    RETURNS postgraphile.daily_revenue_total LANGUAGE sql STABLE AS $totals$
@totals.sql@
$totals$;
