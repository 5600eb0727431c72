-- One page of customers by revenue rank, then id. The rank is among all the tenant's customers;
-- a region filter does not re-rank.
-- The cursor is the number of the customer in the list being read (all the tenant's customers, or
-- the region's), so a page is the next `limit` numbers after it. Numbers are not stored: customers
-- are numbered inside value buckets of revenue (R__customer_activity.sql), and a customer's number is
-- the customers of the buckets before its own plus its place in the bucket; its rank likewise from
-- the distinct revenues. So a page is: the tenant's bucket counts summed in order (a few thousand
-- rows at most, whatever the tenant's size), the one or few buckets the page's numbers fall in, and
-- in each a bounded range of places, one tenant-led index range. Every comparison that reaches the
-- security-barrier views is of bigints or texts (leakproof), so PostgreSQL can push it into the
-- index scan; ORDER BY ... LIMIT alone would sort all the tenant's customers for every page.
WITH tenant_buckets AS (
    SELECT bucket,
           customers,
           (sum(customers) OVER w - customers)::bigint AS customers_before,
           (sum(levels) OVER w - levels)::bigint AS levels_before
    FROM report.customer_activity_buckets
    WINDOW w AS (ORDER BY bucket)
),
region_buckets AS (
    SELECT bucket,
           customers,
           (sum(customers) OVER (ORDER BY bucket) - customers)::bigint AS customers_before
    FROM report.customer_activity_region_buckets
    WHERE region = CAST(:region AS text)
),
listed AS (
    SELECT bucket, customers, customers_before, levels_before
    FROM tenant_buckets
    WHERE CAST(:region AS text) IS NULL
    UNION ALL
    SELECT r.bucket, r.customers, r.customers_before, t.levels_before
    FROM region_buckets r
    JOIN tenant_buckets t ON t.bucket = r.bucket
    WHERE CAST(:region AS text) IS NOT NULL
),
-- The buckets holding the numbers after the cursor up to the page's last, and that range in each.
-- Materialized, so the range's bounds reach the places' index as values: computed inside the
-- lateral reads they would be subtractions, which may raise (not leakproof) and so stay above the
-- security barrier, filtering a whole bucket instead of bounding the index range.
pages AS MATERIALIZED (
    SELECT bucket,
           customers_before,
           levels_before,
           coalesce(CAST(:after AS bigint), 0) - customers_before AS after_place,
           coalesce(CAST(:after AS bigint), 0) + CAST(:limit AS int) - customers_before AS last_place
    FROM listed
    WHERE customers_before < coalesce(CAST(:after AS bigint), 0) + CAST(:limit AS int)
      AND customers_before + customers > coalesce(CAST(:after AS bigint), 0)
)
SELECT a.customer_id,
       a.name,
       a.region,
       a.paid_orders::int,
       a.lifetime_revenue_cents,
       a.first_order_at,
       a.last_order_at,
       a.avg_days_between_orders::float8,
       (p.levels_before + a.bucket_rank)::int AS revenue_rank,
       (p.customers_before + a.list_place)::text AS cursor
FROM pages p
CROSS JOIN LATERAL (
    SELECT c.*, c.bucket_place AS list_place
    FROM report.customer_activity_places c
    WHERE CAST(:region AS text) IS NULL
      AND c.bucket = p.bucket AND c.bucket_place > p.after_place AND c.bucket_place <= p.last_place
    UNION ALL
    SELECT c.*, c.region_bucket_place
    FROM report.customer_activity_places c
    WHERE c.region = CAST(:region AS text)
      AND c.bucket = p.bucket AND c.region_bucket_place > p.after_place AND c.region_bucket_place <= p.last_place
) a
ORDER BY p.customers_before + a.list_place
LIMIT CAST(:limit AS int);
