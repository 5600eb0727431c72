-- Duration statistics per provider that completed a timed job in the range.
SELECT provider_id,
       provider_name,
       count(*)::int                                                                    AS completed_jobs,
       round(avg(duration_hours)::numeric, 2)::float8                                   AS avg_hours,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8 AS p50_hours,
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8 AS p90_hours
FROM report.job_durations
WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
GROUP BY provider_id, provider_name
ORDER BY provider_id;
