-- One page of the jobs completed in the range, newest first, then job id descending.
-- The kept tables number jobs oldest first within each UTC hour, and carry sums from the earlier
-- hours of the day, the earlier days of the month and the earlier months (R__job_profit.sql): a
-- job's place in the list being read (the tenant's jobs, or one provider's) is its month's carried
-- count plus its day's plus its hour's plus its place in the hour, and its newest-first position, the
-- cursor, is the list's count less that place, plus one: exactly the numbers the view held when it
-- numbered newest first. A page is a run of consecutive places, so it is read as one bounded index
-- range of (tenant, hour, place) across the hours it spans; the range's newest job is found
-- by probing days from :to backwards. (Through the security-barrier view PostgreSQL cannot read an
-- index in order, so ORDER BY ... LIMIT alone would sort the whole range for every page; only
-- leakproof comparisons of a column with a value reach the view's index, so every bound is computed
-- outside it first; see bench/PLANS.md.)
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
    -- The range's newest job: days are probed from :to backwards, one index lookup each, and the
    -- first day with a job ends the walk (usually :to itself); on it the job last in the list's order,
    -- its hour then its place in the hour (a local day may span two UTC days and many hours).
    SELECT found.day, found.hour, found.place
    FROM days
    CROSS JOIN LATERAL (
        SELECT j.day, j.hour,
               CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN j.place ELSE j.provider_place END AS place
        FROM report.job_profit j
        WHERE j.completed_on = days.day
          AND (CAST(:provider_id AS bigint) IS NULL OR j.provider_id = CAST(:provider_id AS bigint))
        ORDER BY 2 DESC, 3 DESC
        LIMIT 1
    ) found
    LIMIT 1
),
newest_hour AS MATERIALIZED (
    -- The count of the list's jobs before the newest job's hour: its day's (utc_days) plus its own
    -- carried within the day, one lookup of the hour summaries' key.
    SELECT u.carried_jobs + h.carried_jobs AS carried_jobs
    FROM (SELECT carried_jobs FROM report.job_profit_hours
          WHERE hour = (SELECT hour FROM newest) AND CAST(:provider_id AS bigint) IS NULL
          UNION ALL
          SELECT carried_jobs FROM report.job_profit_provider_hours
          WHERE hour = (SELECT hour FROM newest) AND provider_id = CAST(:provider_id AS bigint)) h
    CROSS JOIN utc_days u
    WHERE u.day = (SELECT day FROM newest)
),
page_places AS MATERIALIZED (
    -- The page's places in the list, newest first: the `limit` places from the range's newest job
    -- down, or those after the cursor's position (position p is place count - p + 1). Numeric, so a
    -- cursor at the limits of bigint cannot overflow; places outside the list match no day.
    SELECT CASE WHEN CAST(:after AS bigint) IS NULL
                THEN (SELECT h.carried_jobs + n.place FROM newest n, newest_hour h)::numeric
                ELSE list.jobs - CAST(:after AS bigint)::numeric END AS last_place
    FROM list
),
page_days AS MATERIALIZED (
    -- The UTC days the page spans, with the count of the list's jobs before each.
    SELECT u.day, u.carried_jobs
    FROM utc_days u, page_places p
    WHERE u.carried_jobs < p.last_place
      AND u.carried_jobs + u.jobs > p.last_place - CAST(:limit AS int)
),
page_hours AS MATERIALIZED (
    -- The hours of those days the page spans, each with its part of the page as places within the
    -- hour, as bigint values computed here and materialized: only a plain comparison of a column
    -- with a value reaches the view's index below (arithmetic on another table's column would not).
    SELECT h.hour,
           pd.carried_jobs + h.carried_jobs AS carried_jobs,
           greatest(p.last_place - CAST(:limit AS int) + 1 - (pd.carried_jobs + h.carried_jobs), 1)::bigint AS first_place,
           least(p.last_place - (pd.carried_jobs + h.carried_jobs), h.jobs)::bigint                        AS last_place
    FROM page_days pd
    CROSS JOIN page_places p
    CROSS JOIN LATERAL (
        -- A day's hours, one index range of (tenant, [provider,] day).
        SELECT hour, jobs, carried_jobs FROM report.job_profit_hours
        WHERE CAST(:provider_id AS bigint) IS NULL AND day = pd.day
        UNION ALL
        SELECT hour, jobs, carried_jobs FROM report.job_profit_provider_hours
        WHERE provider_id = CAST(:provider_id AS bigint) AND day = pd.day
        OFFSET 0
    ) h
    WHERE pd.carried_jobs + h.carried_jobs < p.last_place
      AND pd.carried_jobs + h.carried_jobs + h.jobs > p.last_place - CAST(:limit AS int)
),
page_ends AS MATERIALIZED (
    -- The page's oldest and newest job as (hour, place in the hour): the page is every row between
    -- them in the (tenant, [provider,] hour, place) index, one range scan however many hours it spans.
    SELECT (SELECT hour FROM page_hours ORDER BY hour LIMIT 1)               AS first_hour,
           (SELECT first_place FROM page_hours ORDER BY hour LIMIT 1)        AS first_place,
           (SELECT hour FROM page_hours ORDER BY hour DESC LIMIT 1)          AS last_hour,
           (SELECT last_place FROM page_hours ORDER BY hour DESC LIMIT 1)    AS last_place
),
page AS (
    SELECT j.*, list.jobs - (ph.carried_jobs + j.list_place) + 1 AS list_position
    FROM (
        -- One branch per list; the one not asked for is cut by its constant condition. The bounds
        -- are row comparisons of the index's columns with values, so they reach the index through
        -- the security-barrier view (its operators are leakproof); the plain range of hours beside
        -- them is there for the generic plan's estimates, which otherwise prefer scanning the
        -- provider index's hours for the tenant's list (a row comparison's default selectivity is
        -- far wider than a range's).
        SELECT job_profit.*, place AS list_place
        FROM report.job_profit
        WHERE CAST(:provider_id AS bigint) IS NULL
          AND hour >= (SELECT first_hour FROM page_ends) AND hour <= (SELECT last_hour FROM page_ends)
          AND (hour, place) >= ((SELECT first_hour FROM page_ends), (SELECT first_place FROM page_ends))
          AND (hour, place) <= ((SELECT last_hour FROM page_ends), (SELECT last_place FROM page_ends))
        UNION ALL
        SELECT job_profit.*, provider_place
        FROM report.job_profit
        WHERE provider_id = CAST(:provider_id AS bigint)
          AND hour >= (SELECT first_hour FROM page_ends) AND hour <= (SELECT last_hour FROM page_ends)
          AND (hour, provider_place) >= ((SELECT first_hour FROM page_ends), (SELECT first_place FROM page_ends))
          AND (hour, provider_place) <= ((SELECT last_hour FROM page_ends), (SELECT last_place FROM page_ends))
        OFFSET 0
    ) j
    JOIN page_hours ph ON ph.hour = j.hour
    CROSS JOIN list
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
