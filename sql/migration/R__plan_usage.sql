-- planUsage: every plan of the tenant with its active subscriptions, their monthly revenue and API calls.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.plan_usage CASCADE;

CREATE MATERIALIZED VIEW mv.plan_usage AS
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
LEFT JOIN active_per_plan a ON a.tenant_id = p.tenant_id AND a.plan_id = p.id
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX plan_usage_key ON mv.plan_usage (tenant_id, plan_id);

CREATE VIEW report.plan_usage WITH (security_barrier) AS
SELECT * FROM mv.plan_usage
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.plan_usage TO tally_reader;
