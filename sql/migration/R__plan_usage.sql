-- planUsage: every plan of the tenant with its active subscriptions, their monthly revenue and API calls.
--
-- Incremental (V7, V12, docs/reports.md "How each view is kept, and why"): mv.plan_usage is a plain
-- table with the rows of mv.plan_usage_definition. Each subscription's lifetime usage is kept summed
-- in mv.plan_usage_subscription_calls. The triggers of V12 log every subscription whose usage records
-- or own row a write touched, and every plan written (a subscription logs its old and new plan); the
-- routine refresh sums the logged subscriptions' usage again, each from its own records only (the
-- usage_records (tenant_id, subscription_id) index), then recomputes the logged plans and the plans
-- of the logged subscriptions from their subscriptions and the kept sums, writing only the rows
-- that differ. Usage records nobody wrote to are never read again: the refresh grows with what
-- changed (the written subscriptions' records, the subscriptions of the changed plans), not with
-- the usage history. The full rebuild (daily, and an admin's refreshReport) sums everything again
-- and heals what triggers cannot see (triggers disabled, a replica-role load).
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
DROP TABLE IF EXISTS mv.plan_usage_subscription_calls CASCADE;
DROP VIEW IF EXISTS mv.plan_usage_subscription_calls_definition CASCADE;

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

-- Each subscription's lifetime API calls, exactly the definition's usage_per_subscription (numeric:
-- a sum of bigint may pass bigint). A subscription without records has no row, as it has none there.
CREATE VIEW mv.plan_usage_subscription_calls_definition AS
SELECT tenant_id, subscription_id, sum(api_calls) AS api_calls
FROM app.usage_records
GROUP BY tenant_id, subscription_id;

CREATE TABLE mv.plan_usage_subscription_calls AS SELECT * FROM mv.plan_usage_subscription_calls_definition WITH NO DATA;
CREATE UNIQUE INDEX plan_usage_subscription_calls_key ON mv.plan_usage_subscription_calls (tenant_id, subscription_id);

-- The routine refresh: the logged subscriptions' sums again, then the logged plans and the plans of
-- the logged subscriptions. Full (or a TRUNCATE logged): both tables from their definitions. The log
-- is taken first, so every change it held is visible to the reads that follow; a change committed
-- meanwhile stays logged and is recomputed again next time, which is harmless.
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
    DROP TABLE IF EXISTS pg_temp.plan_usage_changed;
    CREATE TEMP TABLE plan_usage_changed ON COMMIT DROP AS
    WITH taken AS (DELETE FROM tally.plan_usage_changes RETURNING tenant_id, subscription_id, plan_id)
    SELECT DISTINCT tenant_id, subscription_id, plan_id FROM taken;
    IF full_rebuild OR EXISTS (SELECT 1 FROM pg_temp.plan_usage_changed WHERE tenant_id IS NULL) THEN
        -- The sums first: a routine refresh after this one starts from them. The view's rows come
        -- from the definition, not from the sums, so a sum gone wrong cannot survive a rebuild.
        PERFORM tally.rebuild_table('plan_usage_subscription_calls', ARRAY['tenant_id', 'subscription_id']);
        RETURN tally.rebuild_table('plan_usage', ARRAY['tenant_id', 'plan_id']);
    END IF;

    -- The logged subscriptions' sums, each from its own records only; a subscription left without
    -- records (or deleted) loses its row.
    DROP TABLE IF EXISTS pg_temp.plan_usage_subscriptions;
    CREATE TEMP TABLE plan_usage_subscriptions ON COMMIT DROP AS
    SELECT DISTINCT tenant_id, subscription_id FROM pg_temp.plan_usage_changed WHERE subscription_id IS NOT NULL;
    ANALYZE pg_temp.plan_usage_subscriptions;
    DELETE FROM mv.plan_usage_subscription_calls k USING pg_temp.plan_usage_subscriptions c
    WHERE k.tenant_id = c.tenant_id AND k.subscription_id = c.subscription_id;
    INSERT INTO mv.plan_usage_subscription_calls
    SELECT c.tenant_id, c.subscription_id, u.api_calls
    FROM pg_temp.plan_usage_subscriptions c
    CROSS JOIN LATERAL (
        SELECT sum(r.api_calls) AS api_calls
        FROM app.usage_records r
        WHERE r.tenant_id = c.tenant_id AND r.subscription_id = c.subscription_id
    ) u
    WHERE u.api_calls IS NOT NULL;

    -- The plans to recompute: those logged, and the plan each logged subscription is on now (a
    -- subscription that moved logged its old plan itself).
    DROP TABLE IF EXISTS pg_temp.plan_usage_plans;
    CREATE TEMP TABLE plan_usage_plans ON COMMIT DROP AS
    SELECT tenant_id, plan_id FROM pg_temp.plan_usage_changed WHERE plan_id IS NOT NULL
    UNION
    SELECT s.tenant_id, s.plan_id
    FROM pg_temp.plan_usage_subscriptions c
    JOIN app.subscriptions s ON s.tenant_id = c.tenant_id AND s.id = c.subscription_id;
    ANALYZE pg_temp.plan_usage_plans;

    -- Those plans that still exist, computed as the definition does, each from its own active
    -- subscriptions (the subscriptions (tenant_id, plan_id) index) and their kept sums. An
    -- aggregate without GROUP BY gives one row also for no active subscription: count 0 and NULL
    -- sums, which coalesce makes the definition's zeros.
    DROP TABLE IF EXISTS pg_temp.plan_usage_fresh;
    CREATE TEMP TABLE plan_usage_fresh ON COMMIT DROP AS
    SELECT p.tenant_id,
           p.id                                   AS plan_id,
           p.name                                 AS plan_name,
           a.active_subscriptions,
           coalesce(a.monthly_revenue_cents, 0)   AS monthly_revenue_cents,
           coalesce(a.total_api_calls, 0)         AS total_api_calls
    FROM pg_temp.plan_usage_plans c
    JOIN app.plans p ON p.tenant_id = c.tenant_id AND p.id = c.plan_id
    CROSS JOIN LATERAL (
        SELECT count(*)                      AS active_subscriptions,
               sum(s.monthly_price_cents)    AS monthly_revenue_cents,
               sum(coalesce(u.api_calls, 0)) AS total_api_calls
        FROM app.subscriptions s
        LEFT JOIN mv.plan_usage_subscription_calls u
               ON u.tenant_id = s.tenant_id AND u.subscription_id = s.id
        WHERE s.tenant_id = p.tenant_id AND s.plan_id = p.id AND s.status = 'active'
    ) a;

    -- Only rows that differ are written (whole rows compared, NULLs equal): readers keep the old
    -- rows until commit, and a plan whose numbers did not move keeps its row.
    DELETE FROM mv.plan_usage t
    USING (SELECT u.* FROM mv.plan_usage u JOIN pg_temp.plan_usage_plans c USING (tenant_id, plan_id)
           EXCEPT ALL
           SELECT * FROM pg_temp.plan_usage_fresh) s
    WHERE t.tenant_id = s.tenant_id AND t.plan_id = s.plan_id;
    INSERT INTO mv.plan_usage
    SELECT * FROM pg_temp.plan_usage_fresh
    EXCEPT ALL
    SELECT u.* FROM mv.plan_usage u JOIN pg_temp.plan_usage_plans c USING (tenant_id, plan_id);

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
