-- One page of the jobs completed in the range, newest first, then job id descending.
-- The kept tables number jobs oldest first within each UTC day, and carry sums from the earlier days
-- of the month and from the earlier months (R__job_profit.sql): a job's place in the list being read
-- (the tenant's jobs, or one provider's) is its month's carried count plus its day's carried count
-- plus its place in the day, and its newest-first position, the cursor, is the list's count less
-- that place, plus one: exactly the numbers the view held when it numbered newest first. A page is a
-- run of consecutive places, so it is read as a bounded index range of (tenant, day, place) in the
-- one or few days it spans; the range's newest job is found by probing days from :to backwards. (Through
-- the security-barrier view PostgreSQL cannot read an index in order, so ORDER BY ... LIMIT alone
-- would sort the whole range for every page; only leakproof comparisons of a column with a value
-- reach the view's index, so every bound is computed outside it first; see bench/PLANS.md.)
WITH months AS MATERIALIZED (
    -- The list's month summaries, one index range of a small table (a row per month of history).
    SELECT month, jobs, carried_jobs
    FROM report.job_profit_months
    WHERE CAST(:provider_id AS bigint) IS NULL
    UNION ALL
    SELECT month, jobs, carried_jobs
    FROM report.job_profit_provider_months
    WHERE provider_id = CAST(:provider_id AS bigint)
),
list AS MATERIALIZED (
    SELECT coalesce(max(carried_jobs + jobs), 0) AS jobs FROM months
),
bounds AS MATERIALIZED (
    -- The UTC days the range's local dates can reach (a local date lies within a day of its UTC
    -- date in every zone), as plain integers: through scalar subqueries they reach the day summaries' index as values.
    SELECT CAST(:from AS date) - DATE '1970-01-01' - 1 AS first_day,
           CAST(:to AS date) - DATE '1970-01-01' + 1   AS last_day
),
utc_days AS MATERIALIZED (
    -- Those days' summaries, each with the count of the list's jobs before it: its month's carried
    -- count plus its own carried within the month. Only these days can hold a job of the range.
    SELECT d.day, d.jobs, m.carried_jobs + d.carried_jobs AS carried_jobs
    FROM report.job_profit_days d
    JOIN months m ON m.month = d.month
    WHERE d.day >= (SELECT first_day FROM bounds) AND d.day <= (SELECT last_day FROM bounds)
      AND CAST(:provider_id AS bigint) IS NULL
    UNION ALL
    SELECT d.day, d.jobs, m.carried_jobs + d.carried_jobs
    FROM report.job_profit_provider_days d
    JOIN months m ON m.month = d.month
    WHERE d.day >= (SELECT first_day FROM bounds) AND d.day <= (SELECT last_day FROM bounds)
      AND d.provider_id = CAST(:provider_id AS bigint)
),
days AS MATERIALIZED (
    -- Plain dates, so the lookup below compares date to date (a leakproof operator, which
    -- PostgreSQL lets into the security-barrier view as an index condition; a cast would not be).
    SELECT d::date AS day
    FROM generate_series(CAST(:to AS date), CAST(:from AS date), interval '-1 day') AS d
),
newest AS MATERIALIZED (
    -- The range's newest job, as its place in the list: days are probed from :to backwards, one
    -- index lookup each, and the first day with a job ends the walk (usually :to itself). A local
    -- day may span two UTC days, so its jobs' places are compared through their days' carried counts.
    SELECT found.place
    FROM days
    CROSS JOIN LATERAL (
        SELECT max(u.carried_jobs + CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN j.place ELSE j.provider_place END)
                   AS place
        FROM report.job_profit j
        JOIN utc_days u ON u.day = j.day
        WHERE j.completed_on = days.day
          AND (CAST(:provider_id AS bigint) IS NULL OR j.provider_id = CAST(:provider_id AS bigint))
    ) found
    WHERE found.place IS NOT NULL
    LIMIT 1
),
page_places AS MATERIALIZED (
    -- The page's places in the list, newest first: the `limit` places from the range's newest job
    -- down, or those after the cursor's position (position p is place count - p + 1). Numeric, so a
    -- cursor at the limits of bigint cannot overflow; places outside the list match no day.
    SELECT CASE WHEN CAST(:after AS bigint) IS NULL THEN (SELECT place FROM newest)::numeric
                ELSE list.jobs - CAST(:after AS bigint)::numeric END AS last_place
    FROM list
),
page_days AS MATERIALIZED (
    -- The UTC days the page spans, each with its part of the page as places within the day, as
    -- bigint values computed here and materialized: only a plain comparison of a column with a
    -- value reaches the view's index below (arithmetic on another table's column would not).
    SELECT u.day,
           u.carried_jobs,
           greatest(p.last_place - CAST(:limit AS int) + 1 - u.carried_jobs, 1)::bigint AS first_place,
           least(p.last_place - u.carried_jobs, u.jobs)::bigint                        AS last_place
    FROM utc_days u, page_places p
    WHERE u.carried_jobs < p.last_place
      AND u.carried_jobs + u.jobs > p.last_place - CAST(:limit AS int)
),
page AS (
    SELECT j.*, list.jobs - (pd.carried_jobs + j.list_place) + 1 AS list_position
    FROM page_days pd
    CROSS JOIN list
    CROSS JOIN LATERAL (
        -- One branch per list; the one not asked for is cut by its constant condition. OFFSET 0
        -- keeps the date range out of the branches, so PostgreSQL cannot prefer the (tenant,
        -- completed_on) index and read the whole range.
        SELECT job_profit.*, place AS list_place
        FROM report.job_profit
        WHERE CAST(:provider_id AS bigint) IS NULL
          AND day = pd.day AND place >= pd.first_place AND place <= pd.last_place
        UNION ALL
        SELECT job_profit.*, provider_place
        FROM report.job_profit
        WHERE provider_id = CAST(:provider_id AS bigint)
          AND day = pd.day AND provider_place >= pd.first_place AND provider_place <= pd.last_place
        OFFSET 0
    ) j
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
