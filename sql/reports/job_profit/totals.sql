-- The whole range in one row, whatever page is being read; also when no job was completed in it.
-- The range's jobs are consecutive positions in the connection's order (newest first), and the view
-- keeps running totals in that order (and per provider), so the totals are read from the range's
-- newest and oldest job alone: two index lookups, not one row per job of the range. Each end is
-- found by probing days from that end of the range, one index lookup per day (see edges.sql).
WITH days_back AS MATERIALIZED (
    SELECT d::date AS day
    FROM generate_series(CAST(:to AS date), CAST(:from AS date), interval '-1 day') AS d
),
days_forward AS MATERIALIZED (
    SELECT d::date AS day
    FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') AS d
),
newest_position AS (
    SELECT found.list_position
    FROM days_back
    CROSS JOIN LATERAL (
        SELECT min(CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END)
                   AS list_position
        FROM report.job_profit
        WHERE completed_on = days_back.day
          AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
    ) found
    WHERE found.list_position IS NOT NULL
    LIMIT 1
),
oldest_position AS (
    SELECT found.list_position
    FROM days_forward
    CROSS JOIN LATERAL (
        SELECT max(CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END)
                   AS list_position
        FROM report.job_profit
        WHERE completed_on = days_forward.day
          AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
    ) found
    WHERE found.list_position IS NOT NULL
    LIMIT 1
),
ends AS (
    SELECT CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END AS list_position,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN running_jobs ELSE provider_running_jobs END AS jobs,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN running_final_value ELSE provider_running_final_value END
               AS running_final_value,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN running_parts_cost ELSE provider_running_parts_cost END
               AS running_parts_cost,
           final_value,
           parts_cost
    FROM report.job_profit
    WHERE (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
      AND (CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END
               = (SELECT list_position FROM newest_position)
           OR CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END
               = (SELECT list_position FROM oldest_position))
),
range_totals AS (
    -- From the newest job through the oldest: the oldest's running total, less the newest's, plus
    -- the newest itself. No job in the range: no ends, so 0 jobs and 0.00.
    SELECT coalesce(max(o.jobs - n.jobs + 1), 0)                                     AS completed_jobs,
           coalesce(max(o.running_final_value - n.running_final_value + n.final_value), 0) AS final_value,
           coalesce(max(o.running_parts_cost - n.running_parts_cost + n.parts_cost), 0)    AS parts_cost
    FROM ends n
    JOIN ends o ON o.list_position = (SELECT list_position FROM oldest_position)
    WHERE n.list_position = (SELECT list_position FROM newest_position)
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
