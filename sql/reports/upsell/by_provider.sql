-- The same figures per provider that completed a job in the range; biggest upsell first.
WITH per_provider AS (
    SELECT provider_id,
           provider_name,
           sum(completed_jobs)  AS completed_jobs,
           sum(total_estimated) AS total_estimated,
           sum(total_final)     AS total_final
    FROM report.upsell
    WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
      AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
    GROUP BY provider_id, provider_name
),
with_upsell AS (
    SELECT per_provider.*,
           total_final - total_estimated AS upsell_value
    FROM per_provider
)
SELECT provider_id,
       provider_name,
       completed_jobs::int,
       -- Unconstrained numeric: sums pass numeric(12,2), and Decimal keeps every digit.
       total_estimated,
       total_final,
       upsell_value,
       CASE WHEN total_estimated = 0 THEN 0
            ELSE round(upsell_value * 100 / total_estimated, 2)
       END::float8 AS upsell_rate_percent
FROM with_upsell
ORDER BY upsell_value DESC, provider_id;
