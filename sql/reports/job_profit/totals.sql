-- The whole range in one row, whatever page is being read; also when no job was completed in it.
WITH range_totals AS (
    SELECT count(*)                       AS completed_jobs,
           coalesce(sum(final_value), 0)  AS final_value,
           coalesce(sum(parts_cost), 0)   AS parts_cost
    FROM report.job_profit
    WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
      AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
)
SELECT completed_jobs::int,
       final_value::numeric(12,2),
       parts_cost::numeric(12,2),
       (final_value - parts_cost)::numeric(12,2) AS profit,
       -- A margin of nothing is undefined: null, as for a single job.
       CASE WHEN final_value = 0 THEN NULL
            ELSE round((final_value - parts_cost) * 100 / final_value, 2)
       END::float8 AS margin_percent
FROM range_totals;
