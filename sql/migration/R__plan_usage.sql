-- planUsage: every plan of the tenant with its active subscriptions, their monthly revenue and API calls.
--
-- Incremental (V7, V12, docs/reports.md "How each view is kept, and why"): mv.plan_usage is a plain
-- table with the rows of mv.plan_usage_definition. mv.plan_usage_subscriptions keeps every active
-- subscription as it was last counted (its plan, price and lifetime API calls), and each plan's row
-- is the count and sums of its kept subscriptions. The triggers of V12 log every subscription whose
-- row or usage records a write touched, and every plan written. The routine refresh counts the
-- logged subscriptions again, each from its own row and its own records only (the usage_records
-- (tenant_id, subscription_id) index), replaces their kept rows, and moves each plan's row by the
-- difference between their new and old kept rows (exact: counts are bigint, sums numeric). So it
-- grows with the subscriptions written to and their records, never with the usage history nor
-- with the subscriptions of a plan: one new usage record reads its subscription's records and
-- nothing else. The full rebuild (daily, and an admin's refreshReport) counts everything again and
-- heals what triggers cannot see (triggers disabled, a replica-role load).
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the tables from scratch.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = 'plan_usage') THEN
        DROP MATERIALIZED VIEW mv.plan_usage CASCADE;
    END IF;
END
$$;
DROP TABLE IF EXISTS mv.plan_usage CASCADE;
DROP VIEW IF EXISTS mv.plan_usage_definition CASCADE;
DROP TABLE IF EXISTS mv.plan_usage_subscriptions CASCADE;
DROP VIEW IF EXISTS mv.plan_usage_subscriptions_definition CASCADE;

-- The whole view, as the materialized view was defined: the full rebuild reads it, and pgTAP holds
-- the incremental table to it row for row.
CREATE VIEW mv.plan_usage_definition AS
-- Usage is summed per subscription first: joining raw usage records to subscriptions would
-- count a subscription's monthly price once per usage record.
WITH usage_per_subscription AS (
    SELECT tenant_id,
           subscription_id,
           sum(api_calls) AS api_calls
    FROM app.usage_records
    GROUP BY tenant_id, subscription_id
),
active_per_plan AS (
    SELECT s.tenant_id,
           s.plan_id,
           count(*)                          AS active_subscriptions,
           sum(s.monthly_price_cents)        AS monthly_revenue_cents,
           sum(coalesce(u.api_calls, 0))     AS total_api_calls
    FROM app.subscriptions s
    LEFT JOIN usage_per_subscription u
           ON u.tenant_id = s.tenant_id AND u.subscription_id = s.id
    WHERE s.status = 'active'
    GROUP BY s.tenant_id, s.plan_id
)
-- Every plan appears, also one without an active subscription (zeros then: nothing is active).
-- Counts stay bigint and sums of bigint stay numeric: two prices of 5 * 10^18 cents overflow bigint,
-- and a refresh must not fail on any tenant's values.
SELECT p.tenant_id,
       p.id                                   AS plan_id,
       p.name                                 AS plan_name,
       coalesce(a.active_subscriptions, 0)    AS active_subscriptions,
       coalesce(a.monthly_revenue_cents, 0)   AS monthly_revenue_cents,
       coalesce(a.total_api_calls, 0)         AS total_api_calls
FROM app.plans p
LEFT JOIN active_per_plan a ON a.tenant_id = p.tenant_id AND a.plan_id = p.id;

CREATE TABLE mv.plan_usage AS SELECT * FROM mv.plan_usage_definition WITH NO DATA;
-- Led by tenant_id so every read is one tenant's index range; the key a plan is replaced by.
CREATE UNIQUE INDEX plan_usage_key ON mv.plan_usage (tenant_id, plan_id);

-- Every active subscription as the definition counts it: its plan, its price and its lifetime API
-- calls (numeric: a sum of bigint may pass bigint; 0 without records, as the definition's coalesce).
CREATE VIEW mv.plan_usage_subscriptions_definition AS
SELECT s.tenant_id,
       s.id                          AS subscription_id,
       s.plan_id,
       s.monthly_price_cents,
       coalesce(u.api_calls, 0)      AS api_calls
FROM app.subscriptions s
LEFT JOIN (SELECT tenant_id, subscription_id, sum(api_calls) AS api_calls
           FROM app.usage_records
           GROUP BY tenant_id, subscription_id) u
       ON u.tenant_id = s.tenant_id AND u.subscription_id = s.id
WHERE s.status = 'active';

-- The subscriptions as last counted: each plan's row in mv.plan_usage is the count and sums of its
-- rows here, and no row here belongs to a plan without a row there.
CREATE TABLE mv.plan_usage_subscriptions AS SELECT * FROM mv.plan_usage_subscriptions_definition WITH NO DATA;
CREATE UNIQUE INDEX plan_usage_subscriptions_key ON mv.plan_usage_subscriptions (tenant_id, subscription_id);
CREATE INDEX plan_usage_subscriptions_plan ON mv.plan_usage_subscriptions (tenant_id, plan_id);

-- Writes the fresh plan rows (pg_temp.plan_usage_fresh) where they differ from the table (whole
-- rows compared, NULLs equal) over the plans listed once each (pg_temp.plan_usage_plans), and drops
-- the rows of listed plans that no longer exist together with the subscriptions kept for them:
-- readers keep the old rows until commit, an unchanged plan keeps its row. A plan that is gone has no subscriptions by the foreign key; any kept for it were counted
-- before they moved or went, and counting them again when their own log entry comes finds them
-- nowhere, so nothing is subtracted twice from a plan created again under the same id.
CREATE OR REPLACE FUNCTION tally.plan_usage_write()
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM mv.plan_usage t
    USING (SELECT u.* FROM mv.plan_usage u JOIN pg_temp.plan_usage_plans c USING (tenant_id, plan_id)
           EXCEPT ALL
           SELECT * FROM pg_temp.plan_usage_fresh) s
    WHERE t.tenant_id = s.tenant_id AND t.plan_id = s.plan_id;
    INSERT INTO mv.plan_usage
    SELECT * FROM pg_temp.plan_usage_fresh
    EXCEPT ALL
    SELECT u.* FROM mv.plan_usage u JOIN pg_temp.plan_usage_plans c USING (tenant_id, plan_id);
    DELETE FROM mv.plan_usage_subscriptions k
    USING pg_temp.plan_usage_plans c
    WHERE k.tenant_id = c.tenant_id AND k.plan_id = c.plan_id
      AND NOT EXISTS (SELECT 1 FROM pg_temp.plan_usage_fresh f WHERE f.tenant_id = c.tenant_id AND f.plan_id = c.plan_id);
END
$$;
REVOKE ALL ON FUNCTION tally.plan_usage_write() FROM PUBLIC;

-- The routine refresh: the logged subscriptions counted again, and the plans they were or are on
-- moved by the difference, with the logged plans (a new one starts at zeros, a renamed one takes
-- its name, a deleted one leaves). Full (or a TRUNCATE logged): the kept subscriptions from their
-- definition, then every plan's row from them, so both come from one reading of the sources. The
-- log is taken first, so every change it held is visible to the reads that follow; a change
-- committed meanwhile stays logged and is counted again next time, which changes nothing twice:
-- its subscription's kept row already holds it, so the difference is zero.
CREATE OR REPLACE FUNCTION tally.refresh_plan_usage(full_rebuild boolean)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Quiet about the scratch tables it drops if they exist.
    SET client_min_messages = warning
AS $$
DECLARE
    row_count bigint;
BEGIN
    -- A log over 10,000 rows (a bulk write: many statements, or one over many subscriptions) makes
    -- this a full rebuild, as customer_activity's triggers do for a bulk insert: counting that many
    -- subscriptions one by one costs more than reading all usage once, and taking such a log row by
    -- row (returned, then made distinct) grew with every statement the writes ran: 2M rows logged
    -- took 12 s before anything was counted (docs/reports.md). Counted with a limit, so a small log
    -- costs a small read.
    IF NOT full_rebuild
       AND (SELECT count(*) FROM (SELECT FROM tally.plan_usage_changes LIMIT 10001) s) > 10000 THEN
        full_rebuild := true;
    END IF;
    DROP TABLE IF EXISTS pg_temp.plan_usage_changed;
    IF full_rebuild THEN
        -- The rebuild reads every source after this, so nothing logged is needed: deleted, not read.
        DELETE FROM tally.plan_usage_changes;
        CREATE TEMP TABLE plan_usage_changed ON COMMIT DROP AS
        SELECT NULL::text AS tenant_id, NULL::bigint AS subscription_id, NULL::bigint AS plan_id WHERE false;
    ELSE
        CREATE TEMP TABLE plan_usage_changed ON COMMIT DROP AS
        WITH taken AS (DELETE FROM tally.plan_usage_changes RETURNING tenant_id, subscription_id, plan_id)
        SELECT DISTINCT tenant_id, subscription_id, plan_id FROM taken;
    END IF;
    DROP TABLE IF EXISTS pg_temp.plan_usage_plans;
    DROP TABLE IF EXISTS pg_temp.plan_usage_fresh;

    IF full_rebuild OR EXISTS (SELECT 1 FROM pg_temp.plan_usage_changed WHERE tenant_id IS NULL) THEN
        -- After this the kept table is exactly one reading of the definition (nobody else writes it).
        PERFORM tally.rebuild_table('plan_usage_subscriptions', ARRAY['tenant_id', 'subscription_id']);
        -- Every plan, also one without an active subscription: zeros, as the definition's coalesce.
        CREATE TEMP TABLE plan_usage_fresh ON COMMIT DROP AS
        SELECT p.tenant_id,
               p.id                                   AS plan_id,
               p.name                                 AS plan_name,
               coalesce(a.active_subscriptions, 0)    AS active_subscriptions,
               coalesce(a.monthly_revenue_cents, 0)   AS monthly_revenue_cents,
               coalesce(a.total_api_calls, 0)         AS total_api_calls
        FROM app.plans p
        LEFT JOIN (SELECT tenant_id, plan_id,
                          count(*)                 AS active_subscriptions,
                          sum(monthly_price_cents) AS monthly_revenue_cents,
                          sum(api_calls)           AS total_api_calls
                   FROM mv.plan_usage_subscriptions
                   GROUP BY tenant_id, plan_id) a
               ON a.tenant_id = p.tenant_id AND a.plan_id = p.id;
        -- Every plan there is, was or is counted for, each once (the write joins on this list).
        CREATE TEMP TABLE plan_usage_plans ON COMMIT DROP AS
        SELECT tenant_id, plan_id FROM pg_temp.plan_usage_fresh
        UNION SELECT tenant_id, plan_id FROM mv.plan_usage
        UNION SELECT tenant_id, plan_id FROM mv.plan_usage_subscriptions;
        PERFORM tally.plan_usage_write();
        UPDATE tally.incremental_views SET rebuilt_at = clock_timestamp() WHERE view_name = 'plan_usage';
        SELECT count(*) INTO row_count FROM mv.plan_usage;
        RETURN row_count;
    END IF;

    -- The logged subscriptions as counted before (their kept rows, taken out) and as they count now:
    -- active ones only, each summed from its own records.
    DROP TABLE IF EXISTS pg_temp.plan_usage_old;
    CREATE TEMP TABLE plan_usage_old ON COMMIT DROP AS
    WITH taken AS (
        DELETE FROM mv.plan_usage_subscriptions k
        USING (SELECT DISTINCT tenant_id, subscription_id FROM pg_temp.plan_usage_changed WHERE subscription_id IS NOT NULL) c
        WHERE k.tenant_id = c.tenant_id AND k.subscription_id = c.subscription_id
        RETURNING k.*
    )
    SELECT * FROM taken;
    DROP TABLE IF EXISTS pg_temp.plan_usage_new;
    CREATE TEMP TABLE plan_usage_new ON COMMIT DROP AS
    SELECT s.tenant_id,
           s.id                          AS subscription_id,
           s.plan_id,
           s.monthly_price_cents,
           coalesce(u.api_calls, 0)      AS api_calls
    FROM (SELECT DISTINCT tenant_id, subscription_id FROM pg_temp.plan_usage_changed WHERE subscription_id IS NOT NULL) c
    JOIN app.subscriptions s ON s.tenant_id = c.tenant_id AND s.id = c.subscription_id
    CROSS JOIN LATERAL (
        SELECT sum(r.api_calls) AS api_calls
        FROM app.usage_records r
        WHERE r.tenant_id = c.tenant_id AND r.subscription_id = c.subscription_id
    ) u
    WHERE s.status = 'active';
    INSERT INTO mv.plan_usage_subscriptions SELECT * FROM pg_temp.plan_usage_new;

    -- Each plan's difference; the plans to write are those and the logged plans.
    DROP TABLE IF EXISTS pg_temp.plan_usage_delta;
    CREATE TEMP TABLE plan_usage_delta ON COMMIT DROP AS
    SELECT tenant_id, plan_id,
           sum(n)            AS active_subscriptions,
           sum(price)        AS monthly_revenue_cents,
           sum(api_calls)    AS total_api_calls
    FROM (SELECT tenant_id, plan_id, 1 AS n, monthly_price_cents::numeric AS price, api_calls FROM pg_temp.plan_usage_new
          UNION ALL
          SELECT tenant_id, plan_id, -1, -(monthly_price_cents::numeric), -api_calls FROM pg_temp.plan_usage_old) d
    GROUP BY tenant_id, plan_id;
    CREATE TEMP TABLE plan_usage_plans ON COMMIT DROP AS
    SELECT tenant_id, plan_id FROM pg_temp.plan_usage_delta
    UNION
    SELECT tenant_id, plan_id FROM pg_temp.plan_usage_changed WHERE plan_id IS NOT NULL;

    -- A plan that still exists: its row moved by its difference (a plan without a row starts at
    -- zeros, as the definition gives a plan without active subscriptions).
    CREATE TEMP TABLE plan_usage_fresh ON COMMIT DROP AS
    SELECT p.tenant_id,
           p.id                                                                AS plan_id,
           p.name                                                              AS plan_name,
           coalesce(u.active_subscriptions, 0) + coalesce(d.active_subscriptions, 0)   AS active_subscriptions,
           coalesce(u.monthly_revenue_cents, 0) + coalesce(d.monthly_revenue_cents, 0) AS monthly_revenue_cents,
           coalesce(u.total_api_calls, 0) + coalesce(d.total_api_calls, 0)             AS total_api_calls
    FROM pg_temp.plan_usage_plans c
    JOIN app.plans p ON p.tenant_id = c.tenant_id AND p.id = c.plan_id
    LEFT JOIN mv.plan_usage u ON u.tenant_id = c.tenant_id AND u.plan_id = c.plan_id
    LEFT JOIN pg_temp.plan_usage_delta d ON d.tenant_id = c.tenant_id AND d.plan_id = c.plan_id;
    PERFORM tally.plan_usage_write();

    SELECT count(*) INTO row_count FROM mv.plan_usage;
    RETURN row_count;
END
$$;
REVOKE ALL ON FUNCTION tally.refresh_plan_usage(boolean) FROM PUBLIC;

INSERT INTO tally.incremental_views (view_name, rebuilt_at) VALUES ('plan_usage', NULL)
ON CONFLICT (view_name) DO UPDATE SET rebuilt_at = NULL;

CREATE VIEW report.plan_usage WITH (security_barrier) AS
SELECT * FROM mv.plan_usage
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.plan_usage TO tally_reader;
