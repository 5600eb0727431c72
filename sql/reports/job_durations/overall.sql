-- Duration statistics over all providers, in one row. Without jobs in the range the count is 0
-- and the hours are null: an average of nothing is unknown, not 0.
SELECT count(*)::int                                                                    AS completed_jobs,
       round(avg(duration_hours)::numeric, 2)::float8                                   AS avg_hours,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8 AS p50_hours,
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_hours))::numeric, 2)::float8 AS p90_hours
FROM report.job_durations
WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date);
