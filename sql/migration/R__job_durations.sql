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
       -- Local dates: the instant is clamped two days inside PostgreSQL's timestamp range first, so shifting
       -- it into the tenant's zone cannot overflow (see R__daily_revenue.sql).
       (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE t.time_zone)::date AS completed_on,
       -- Elapsed time, not wall-clock difference: a DST change inside a job does not distort it. The
       -- epochs are subtracted (exact numerics), not the timestamps: an interval wraps silently when
       -- the two lie more than about 290,000 years apart.
       ((extract(epoch FROM j.completed_at) - extract(epoch FROM j.started_at)) / 3600)::float8 AS duration_hours
FROM app.jobs j
JOIN app.tenants t ON t.id = j.tenant_id
JOIN app.providers p ON p.tenant_id = j.tenant_id AND p.id = j.provider_id
WHERE j.status = 'completed'
  AND j.started_at IS NOT NULL
  AND j.completed_at IS NOT NULL
  -- An infinite start or end is no time at all: it has no duration (and would make every average infinite).
  AND isfinite(j.started_at)
  AND isfinite(j.completed_at)
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX job_durations_key ON mv.job_durations (tenant_id, job_id);
-- Reads select a date range.
CREATE INDEX job_durations_completed_on ON mv.job_durations (tenant_id, completed_on);

CREATE VIEW report.job_durations WITH (security_barrier) AS
SELECT * FROM mv.job_durations
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.job_durations TO tally_reader;
