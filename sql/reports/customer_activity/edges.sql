-- One page of customers by revenue rank, then id. The rank is among all the tenant's customers;
-- a region filter does not re-rank.
-- The view numbers this order densely at refresh time, over all the tenant's customers (`position`)
-- and within each region (`region_position`). The cursor is the number in the list being read, so a
-- page is exactly the next `limit` numbers after it: a bounded range of a tenant-led index. (Through the
-- security-barrier view PostgreSQL cannot read an index in order, so ORDER BY ... LIMIT alone would
-- sort all the tenant's customers for every page.)
WITH listed AS (
    SELECT customer_activity.*,
           CASE WHEN CAST(:region AS text) IS NULL THEN position ELSE region_position END AS list_position
    FROM report.customer_activity
    WHERE (CAST(:region AS text) IS NULL OR region = CAST(:region AS text))
)
SELECT customer_id,
       name,
       region,
       paid_orders::int,
       lifetime_revenue_cents,
       first_order_at,
       last_order_at,
       avg_days_between_orders::float8,
       revenue_rank::int,
       list_position::text AS cursor
FROM listed
WHERE (CAST(:after AS bigint) IS NULL OR list_position > CAST(:after AS bigint))
  AND list_position <= coalesce(CAST(:after AS bigint), 0) + CAST(:limit AS int)
ORDER BY list_position
LIMIT CAST(:limit AS int);
