-- The whole range in one row; conversion is 0, not undefined, when nothing was created.
WITH range_totals AS (
    SELECT coalesce(sum(orders_created), 0) AS orders_created,
           coalesce(sum(paid_orders), 0)    AS paid_orders,
           coalesce(sum(revenue_cents), 0)  AS revenue_cents
    FROM report.daily_revenue
    WHERE day BETWEEN CAST(:from AS date) AND CAST(:to AS date)
      AND (CAST(:region AS text) IS NULL OR region = CAST(:region AS text))
)
SELECT orders_created::int,
       paid_orders::int,
       -- Exact past bigint: Long carries every digit.
       revenue_cents,
       CASE WHEN orders_created = 0 THEN 0
            ELSE round(paid_orders * 100.0 / orders_created, 2)
       END::float8 AS conversion_rate_percent
FROM range_totals;
