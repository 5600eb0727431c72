-- The whole range in one row, also when no job was completed in it.
-- Missing estimated or final values are already 0 in the view (docs/reports.md: NULL counts as 0 here).
WITH range_totals AS (
    SELECT coalesce(sum(completed_jobs), 0)  AS completed_jobs,
           coalesce(sum(total_estimated), 0) AS total_estimated,
           coalesce(sum(total_final), 0)     AS total_final
    FROM report.upsell
    WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
      AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
)
SELECT completed_jobs::int,
       total_estimated::numeric(12,2),
       total_final::numeric(12,2),
       (total_final - total_estimated)::numeric(12,2) AS upsell_value,
       -- A rate over nothing estimated is 0, not undefined (docs/reports.md).
       CASE WHEN total_estimated = 0 THEN 0
            ELSE round((total_final - total_estimated) * 100 / total_estimated, 2)
       END::float8 AS upsell_rate_percent
FROM range_totals;
