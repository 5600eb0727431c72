-- Every plan of the tenant, also those without an active subscription; highest revenue first.
SELECT plan_id,
       plan_name,
       active_subscriptions::int,
       -- Sums stay numeric, exact past bigint: Long carries every digit.
       monthly_revenue_cents,
       total_api_calls
FROM report.plan_usage
ORDER BY monthly_revenue_cents DESC, plan_id;
