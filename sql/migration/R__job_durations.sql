-- jobDurations: how long each completed job took, in hours, by tenant-local completion day.
-- Percentiles cannot be summed across days, so the view keeps one row per job and the read
-- queries aggregate the requested range.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.job_durations CASCADE;

CREATE MATERIALIZED VIEW mv.job_durations AS
SELECT j.tenant_id,
       j.id                                                           AS job_id,
       j.provider_id,
       p.name                                                         AS provider_name,
       (j.completed_at AT TIME ZONE t.time_zone)::date                AS completed_on,
       -- Elapsed time, not wall-clock difference: a DST change inside a job does not distort it.
       (extract(epoch FROM j.completed_at - j.started_at) / 3600)::float8 AS duration_hours
FROM app.jobs j
JOIN app.tenants t ON t.id = j.tenant_id
JOIN app.providers p ON p.tenant_id = j.tenant_id AND p.id = j.provider_id
WHERE j.status = 'completed'
  AND j.started_at IS NOT NULL
  AND j.completed_at IS NOT NULL
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX job_durations_key ON mv.job_durations (tenant_id, job_id);
-- Reads select a date range.
CREATE INDEX job_durations_completed_on ON mv.job_durations (tenant_id, completed_on);

CREATE VIEW report.job_durations WITH (security_barrier) AS
SELECT * FROM mv.job_durations
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.job_durations TO tally_reader;
