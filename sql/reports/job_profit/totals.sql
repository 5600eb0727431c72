-- The whole range in one row, whatever page is being read; also when no job was completed in it.
-- The range's jobs are consecutive places in the list (the tenant's jobs, or one provider's,
-- oldest first), and every job carries its hour's running sums through it, its hour the sums of the
-- earlier hours of its day, its day those of the earlier days of its month, and its month the sums
-- of all earlier months (R__job_profit.sql), so the totals are read from the range's newest and
-- oldest job alone: the newest's cumulative sums, less the oldest's, plus the oldest itself. Each end
-- is found by probing days from that end of the range, one index lookup per day (see edges.sql).
WITH months AS MATERIALIZED (
    SELECT month, carried_jobs, carried_final_value, carried_parts_cost
    FROM report.job_profit_months
    WHERE CAST(:provider_id AS bigint) IS NULL
    UNION ALL
    SELECT month, carried_jobs, carried_final_value, carried_parts_cost
    FROM report.job_profit_provider_months
    WHERE provider_id = CAST(:provider_id AS bigint)
),
bounds AS MATERIALIZED (
    -- The UTC days the range's local dates can reach, as plain integers (see edges.sql).
    SELECT CAST(:from AS date) - DATE '1970-01-01' - 1 AS first_day,
           CAST(:to AS date) - DATE '1970-01-01' + 1   AS last_day
),
utc_days AS MATERIALIZED (
    -- Those days' summaries, with the list's count and sums before each: its month's carried plus
    -- its own carried within the month.
    SELECT d.day, m.carried_jobs + d.carried_jobs AS carried_jobs,
           m.carried_final_value + d.carried_final_value AS carried_final_value,
           m.carried_parts_cost + d.carried_parts_cost AS carried_parts_cost
    FROM report.job_profit_days d
    JOIN months m ON m.month = d.month
    WHERE d.day >= (SELECT first_day FROM bounds) AND d.day <= (SELECT last_day FROM bounds)
      AND CAST(:provider_id AS bigint) IS NULL
    UNION ALL
    SELECT d.day, m.carried_jobs + d.carried_jobs, m.carried_final_value + d.carried_final_value,
           m.carried_parts_cost + d.carried_parts_cost
    FROM report.job_profit_provider_days d
    JOIN months m ON m.month = d.month
    WHERE d.day >= (SELECT first_day FROM bounds) AND d.day <= (SELECT last_day FROM bounds)
      AND d.provider_id = CAST(:provider_id AS bigint)
),
days_back AS MATERIALIZED (
    SELECT d::date AS day
    FROM generate_series(CAST(:to AS date), CAST(:from AS date), interval '-1 day') AS d
),
days_forward AS MATERIALIZED (
    SELECT d::date AS day
    FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') AS d
),
day_jobs AS NOT MATERIALIZED (
    -- Every job of the list, with its place in its hour and its hour's running sums through it.
    SELECT j.completed_on,
           j.day,
           j.hour,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN j.place ELSE j.provider_place END AS place,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN j.hour_final_value
                ELSE j.provider_hour_final_value END AS through_final_value,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN j.hour_parts_cost
                ELSE j.provider_hour_parts_cost END AS through_parts_cost,
           j.final_value,
           j.parts_cost
    FROM report.job_profit j
    WHERE (CAST(:provider_id AS bigint) IS NULL OR j.provider_id = CAST(:provider_id AS bigint))
),
newest_job AS MATERIALIZED (
    -- On the last date with a job, the job last in the list's order: its hour, then its place.
    SELECT found.*
    FROM days_back
    CROSS JOIN LATERAL (
        SELECT * FROM day_jobs WHERE day_jobs.completed_on = days_back.day ORDER BY hour DESC, place DESC LIMIT 1
    ) found
    LIMIT 1
),
oldest_job AS MATERIALIZED (
    SELECT found.*
    FROM days_forward
    CROSS JOIN LATERAL (
        SELECT * FROM day_jobs WHERE day_jobs.completed_on = days_forward.day ORDER BY hour, place LIMIT 1
    ) found
    LIMIT 1
),
end_hours AS MATERIALIZED (
    -- The two ends' hour summaries, each one lookup of the key: what the earlier hours of their day
    -- carry. (One branch per end and list: a condition naming both ends would not reach the index.)
    SELECT true AS newest, carried_jobs, carried_final_value, carried_parts_cost
    FROM report.job_profit_hours
    WHERE CAST(:provider_id AS bigint) IS NULL AND hour = (SELECT hour FROM newest_job)
    UNION ALL
    SELECT false, carried_jobs, carried_final_value, carried_parts_cost
    FROM report.job_profit_hours
    WHERE CAST(:provider_id AS bigint) IS NULL AND hour = (SELECT hour FROM oldest_job)
    UNION ALL
    SELECT true, carried_jobs, carried_final_value, carried_parts_cost
    FROM report.job_profit_provider_hours
    WHERE provider_id = CAST(:provider_id AS bigint) AND hour = (SELECT hour FROM newest_job)
    UNION ALL
    SELECT false, carried_jobs, carried_final_value, carried_parts_cost
    FROM report.job_profit_provider_hours
    WHERE provider_id = CAST(:provider_id AS bigint) AND hour = (SELECT hour FROM oldest_job)
),
ends AS (
    -- Each end's place in the list and its cumulative sums from the list's oldest job.
    SELECT j.newest,
           u.carried_jobs + h.carried_jobs + j.place AS place,
           u.carried_final_value + h.carried_final_value + j.through_final_value AS through_final_value,
           u.carried_parts_cost + h.carried_parts_cost + j.through_parts_cost AS through_parts_cost,
           j.final_value,
           j.parts_cost
    FROM (SELECT true AS newest, * FROM newest_job UNION ALL SELECT false, * FROM oldest_job) j
    JOIN utc_days u ON u.day = j.day
    JOIN end_hours h ON h.newest = j.newest
),
newest AS (SELECT * FROM ends WHERE newest),
oldest AS (SELECT * FROM ends WHERE NOT newest),
range_totals AS (
    -- No job in the range: no ends, so 0 jobs and 0.00.
    SELECT coalesce(max(n.place - o.place + 1), 0)                                          AS completed_jobs,
           coalesce(max(n.through_final_value - o.through_final_value + o.final_value), 0) AS final_value,
           coalesce(max(n.through_parts_cost - o.through_parts_cost + o.parts_cost), 0)    AS parts_cost
    FROM newest n CROSS JOIN oldest o
)
SELECT completed_jobs::int,
       -- Unconstrained numeric: sums pass numeric(12,2), and Decimal keeps every digit.
       final_value,
       parts_cost,
       final_value - parts_cost AS profit,
       -- A margin of nothing is undefined: null, as for a single job.
       CASE WHEN final_value = 0 THEN NULL
            ELSE round((final_value - parts_cost) * 100 / final_value, 2)
       END::float8 AS margin_percent
FROM range_totals;
