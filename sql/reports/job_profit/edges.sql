-- One page of the jobs completed in the range, newest first, then job id descending.
-- The view numbers this order densely at refresh time, over all the tenant's jobs (`position`) and
-- within each provider's (`provider_position`). The cursor is the number in the list being read, and
-- the range's jobs are consecutive numbers in it, so every page is a bounded range of a tenant-led
-- index: after a cursor, the next `limit` numbers; the first page, the `limit` numbers from the
-- range's newest job on. (Through the security-barrier view PostgreSQL cannot read an index in
-- order, so ORDER BY ... LIMIT alone would sort the whole range for every page: at 10M orders, 34k
-- jobs for a 90-day first page; see bench/PLANS.md.)
WITH days AS MATERIALIZED (
    -- Plain dates, so the lookup below compares date to date (a leakproof operator, which
    -- PostgreSQL lets into the security-barrier view as an index condition; a cast would not be).
    SELECT d::date AS day
    FROM generate_series(CAST(:to AS date), CAST(:from AS date), interval '-1 day') AS d
),
first_position AS (
    -- The range's newest job: days are probed from :to backwards, one index lookup each, and the
    -- first day with a job ends the walk (usually :to itself). Both bounds of the page are computed
    -- here: only a plain comparison (no arithmetic, which is not leakproof) reaches the view's index.
    SELECT newest.list_position AS first, newest.list_position + CAST(:limit AS int) AS beyond
    FROM days
    CROSS JOIN LATERAL (
        SELECT min(CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END)
                   AS list_position
        FROM report.job_profit
        WHERE completed_on = days.day
          AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
    ) newest
    WHERE newest.list_position IS NOT NULL
    LIMIT 1
),
page AS (
    -- The page's numbers first, as an index range; OFFSET 0 keeps the date range out of this
    -- subquery, so PostgreSQL cannot prefer the (tenant, completed_on) index and read the whole range.
    SELECT job_profit.*,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END AS list_position
    FROM report.job_profit
    WHERE (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
      AND ((CAST(:after AS bigint) IS NULL
            AND CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END
                >= (SELECT first FROM first_position)
            AND CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END
                < (SELECT beyond FROM first_position))
        OR (CAST(:after AS bigint) IS NOT NULL
            AND CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END
                > CAST(:after AS bigint)
            AND CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END
                <= CAST(:after AS bigint) + CAST(:limit AS int)))
    OFFSET 0
)
SELECT job_id,
       provider_id,
       completed_at,
       -- Unconstrained numeric: sums pass numeric(12,2), and Decimal keeps every digit.
       final_value,
       parts_cost,
       profit,
       margin_percent::float8,
       list_position::text AS cursor
FROM page
WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
ORDER BY list_position
LIMIT CAST(:limit AS int);
