-- The scale run's burst of writes (bench/scale-refresh.sql, bench/scale-readers.sh): per tenant 20
-- new paid orders of two lines each now, one order a year old refunded and one a year old paid
-- late; 20 jobs completed now with a part each, a job a year old given a part and one a new final
-- value; a usage record now on each of its 20 oldest active subscriptions, one active subscription
-- cancelled and one moved to another plan. Run inside a transaction the caller rolls back.
WITH new_orders AS (
    INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents, is_shipped)
    SELECT c.tenant_id, c.id, now(), 'paid', 1000, false
    FROM (SELECT tenant_id, min(id) AS id FROM app.customers GROUP BY tenant_id) c, generate_series(1, 20)
    RETURNING tenant_id, id
)
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents)
SELECT o.tenant_id, o.id, p.id, 1, 500
FROM new_orders o
JOIN (SELECT tenant_id, min(id) AS id FROM app.products GROUP BY tenant_id) p ON p.tenant_id = o.tenant_id,
     generate_series(1, 2);
UPDATE app.orders SET status = 'refunded'
WHERE (tenant_id, id) IN (SELECT tenant_id, min(id) FROM app.orders
                          WHERE status = 'paid' AND created_at < now() - interval '1 year' GROUP BY tenant_id);
UPDATE app.orders SET status = 'paid'
WHERE (tenant_id, id) IN (SELECT tenant_id, min(id) FROM app.orders
                          WHERE status = 'pending' AND created_at < now() - interval '1 year' GROUP BY tenant_id);
-- Jobs: per tenant 20 jobs completed now with a part each, one job completed about a year ago given
-- another part and one given a new final value (late data into a closed month).
WITH new_jobs AS (
    INSERT INTO app.jobs (tenant_id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at)
    SELECT p.tenant_id, p.id, 'completed', 100.00, 120.00, now(), now(), now()
    FROM (SELECT tenant_id, min(id) AS id FROM app.providers GROUP BY tenant_id) p, generate_series(1, 20)
    RETURNING tenant_id, id
)
INSERT INTO app.job_parts (tenant_id, job_id, total_cost)
SELECT tenant_id, id, 10.00 FROM new_jobs;
INSERT INTO app.job_parts (tenant_id, job_id, total_cost)
SELECT tenant_id, min(id), 5.00 FROM app.jobs
WHERE status = 'completed' AND completed_at < now() - interval '1 year' GROUP BY tenant_id;
UPDATE app.jobs SET final_value = coalesce(final_value, 0) + 1
WHERE (tenant_id, id) IN (SELECT tenant_id, max(id) FROM app.jobs
                          WHERE status = 'completed' AND completed_at < now() - interval '1 year' GROUP BY tenant_id);
-- Late usage into old subscriptions, a cancellation and a plan change: what plan_usage logs.
INSERT INTO app.usage_records (tenant_id, subscription_id, recorded_at, api_calls)
SELECT tenant_id, id, now(), 100
FROM (SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS n
      FROM app.subscriptions WHERE status = 'active') s
WHERE n <= 20;
UPDATE app.subscriptions SET status = 'cancelled', cancelled_at = now()
WHERE (tenant_id, id) IN (SELECT tenant_id, max(id) FROM app.subscriptions WHERE status = 'active' GROUP BY tenant_id);
UPDATE app.subscriptions s SET plan_id = p.plan_id
FROM (SELECT tenant_id, max(id) AS plan_id FROM app.plans GROUP BY tenant_id) p
WHERE s.tenant_id = p.tenant_id
  AND (s.tenant_id, s.id) IN (SELECT tenant_id, min(id) FROM app.subscriptions WHERE status = 'active' GROUP BY tenant_id);
