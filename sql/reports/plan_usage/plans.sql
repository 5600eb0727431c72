-- Every plan of the tenant, also those without an active subscription; highest revenue first.
SELECT plan_id,
       plan_name,
       active_subscriptions::int,
       monthly_revenue_cents::bigint,
       total_api_calls::bigint
FROM report.plan_usage
ORDER BY monthly_revenue_cents DESC, plan_id;
