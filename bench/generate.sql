-- Tally scale data generator: fills every source table of docs/reports.md for N orders over T tenants of
-- Zipf-skewed sizes in several time zones, with customers, products, lines, plans, subscriptions,
-- usage records, providers, jobs, parts and sales targets in proportion.
--
--   psql -h 127.0.0.1 -U postgres -d tally_bench -v orders=10000000 -f bench/generate.sql
--
-- Variables (all optional): orders (10000000), tenants (100), seed (42), zipf (1.0, the skew
-- exponent: tenant k gets a share proportional to 1/k^zipf), days (730, the history length),
-- end_date (today, UTC: the history ends at its midnight UTC), validate (on: re-check the
-- foreign keys after the load; off recreates them NOT VALID).
--
-- Run it on a migrated database (Flyway V1/V2/R__*). It replaces everything in schema app and
-- empties tally.refresh_ledger (the views must be refreshed after it), so never point it at a
-- database with real tenants.
--
-- Deterministic: every value is a hash of (row key, stream, seed) (hashint8extended), not a draw
-- from random(), so the same seed, size and end_date give the same rows whatever plan PostgreSQL
-- picks; setseed() is set too, for anything drawn with random(). Ids are computed, not looked up:
-- tenant k's orders, customers, products... are consecutive id ranges, so a child row computes
-- its parent's id and an order's total is computed from the very same formulas its lines use.
--
-- Speed: set-based INSERT ... SELECT generate_series per table, foreign keys and indexes dropped
-- during the load and recreated after (primary keys, indexes, then foreign keys), then VACUUM
-- ANALYZE so the first refresh reads all-visible, hinted pages. Progress: one NOTICE per stage
-- with its time.
\set ON_ERROR_STOP on
\if :{?orders}
\else
  \set orders 10000000
\endif
\if :{?tenants}
\else
  \set tenants 100
\endif
\if :{?seed}
\else
  \set seed 42
\endif
\if :{?zipf}
\else
  \set zipf 1.0
\endif
\if :{?days}
\else
  \set days 730
\endif
\if :{?end_date}
\else
  SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS end_date \gset
\endif
\if :{?validate}
\else
  \set validate on
\endif

SET client_min_messages = notice;
SELECT setseed(:seed / 2147483647.0);
\ir generator.sql

\timing on
CALL bench.generate(:orders, :tenants, :seed, :zipf, :days, :'end_date', :'validate');
\echo bench: VACUUM ANALYZE
VACUUM (ANALYZE) app.tenants, app.customers, app.products, app.orders, app.order_lines, app.sales_targets,
    app.plans, app.subscriptions, app.usage_records, app.providers, app.jobs, app.job_parts;
UPDATE bench.meta SET seconds = extract(epoch FROM clock_timestamp() - loaded_at) + seconds;
SELECT orders, tenants, seed, end_date, round(seconds::numeric, 1) AS total_seconds FROM bench.meta;
