-- One row per tenant-local day in [from, to], ascending, zeros where nothing happened.
-- The rolling window needs the six days before :from, so the calendar starts there.
WITH per_day AS (
    SELECT day,
           sum(orders_created) AS orders_created,
           sum(paid_orders)    AS paid_orders,
           sum(failed_orders)  AS failed_orders,
           sum(revenue_cents)  AS revenue_cents
    FROM report.daily_revenue
    WHERE day BETWEEN CAST(:from AS date) - 6 AND CAST(:to AS date)
      AND (CAST(:region AS text) IS NULL OR region = CAST(:region AS text))
    GROUP BY day
),
calendar AS (
    SELECT d::date AS day
    FROM generate_series(CAST(:from AS date) - 6, CAST(:to AS date), interval '1 day') AS d
),
filled AS (
    SELECT calendar.day,
           coalesce(per_day.orders_created, 0) AS orders_created,
           coalesce(per_day.paid_orders, 0)    AS paid_orders,
           coalesce(per_day.failed_orders, 0)  AS failed_orders,
           coalesce(per_day.revenue_cents, 0)  AS revenue_cents
    FROM calendar
    LEFT JOIN per_day USING (day)
),
rolling AS (
    SELECT filled.*,
           sum(revenue_cents) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS rolling_7d_revenue_cents
    FROM filled
)
SELECT day,
       orders_created::int,
       paid_orders::int,
       failed_orders::int,
       -- Sums of cents stay numeric, exact past bigint: Long carries every digit.
       revenue_cents,
       rolling_7d_revenue_cents
FROM rolling
WHERE day >= CAST(:from AS date)
ORDER BY day;
