-- jobDurations: how long each completed job took, in hours, by tenant-local completion day.
-- Percentiles cannot be summed across days, so the view keeps one row per job and the read
-- queries aggregate the requested range. Held in two parts as daily_revenue is (see
-- R__daily_revenue.sql for how the edge keeps every day in exactly one part):
--   mv.job_durations_history  jobs completed before the tenant's edge, the first of its last 7
--                             local days when the history was refreshed (refreshed daily);
--   mv.job_durations_recent   jobs completed from that edge on (refreshed every 30 minutes).
-- The provider's name is joined when read, not stored: the parts are refreshed at different
-- times, and a stored name would show a renamed provider twice in one answer.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the views from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.job_durations CASCADE;
DROP MATERIALIZED VIEW IF EXISTS mv.job_durations_recent CASCADE;
DROP MATERIALIZED VIEW IF EXISTS mv.job_durations_history CASCADE;

CREATE MATERIALIZED VIEW mv.job_durations_history AS
-- Materialized: each tenant's edge is computed once, not once per job.
WITH edges AS MATERIALIZED (
    SELECT id AS tenant_id, time_zone, tally.recent_edge(time_zone, 7) AS edge
    FROM app.tenants
),
timed_jobs AS (
    SELECT j.tenant_id,
           j.id                                                           AS job_id,
           j.provider_id,
           -- Local dates: the instant is clamped two days inside PostgreSQL's timestamp range first, so shifting
           -- it into the tenant's zone cannot overflow (see R__daily_revenue.sql).
           (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE e.time_zone)::date AS completed_on,
           -- Elapsed time, not wall-clock difference: a DST change inside a job does not distort it. The
           -- epochs are subtracted (exact numerics), not the timestamps: an interval wraps silently when
           -- the two lie more than about 290,000 years apart.
           ((extract(epoch FROM j.completed_at) - extract(epoch FROM j.started_at)) / 3600)::float8 AS duration_hours,
           e.edge
    FROM edges e
    JOIN app.jobs j ON j.tenant_id = e.tenant_id
    WHERE j.status = 'completed'
      AND j.started_at IS NOT NULL
      AND j.completed_at IS NOT NULL
      -- An infinite start or end is no time at all: it has no duration (and would make every average infinite).
      AND isfinite(j.started_at)
      AND isfinite(j.completed_at)
    -- OFFSET 0 keeps this a subquery, so each job's local day (and its tenant's edge) is computed once,
    -- not again for the filter below.
    OFFSET 0
)
SELECT tenant_id, job_id, provider_id, completed_on, duration_hours, edge
FROM timed_jobs
WHERE completed_on < edge
WITH NO DATA;

COMMENT ON MATERIALIZED VIEW mv.job_durations_history IS
    'History part of job_durations (recent: P7D): jobs completed before the last 7 tenant-local days at its refresh';

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX job_durations_history_key ON mv.job_durations_history (tenant_id, job_id);
-- Reads select a date range.
CREATE INDEX job_durations_history_completed_on ON mv.job_durations_history (tenant_id, completed_on);

-- The recent part reads the history's edge, so it starts exactly where the history it was built
-- against ends; a tenant without history rows has no edge and all its jobs are recent.
CREATE MATERIALIZED VIEW mv.job_durations_recent AS
WITH edges AS MATERIALIZED (
    SELECT t.id AS tenant_id,
           t.time_zone,
           coalesce((SELECT h.edge FROM mv.job_durations_history h WHERE h.tenant_id = t.id LIMIT 1),
                    '-infinity'::date) AS edge
    FROM app.tenants t
),
timed_jobs AS (
    SELECT j.tenant_id, j.job_id, j.provider_id, j.completed_on, j.duration_hours, e.edge
    FROM edges e
    -- Per tenant, an index range scan of its recently completed jobs (jobs_tenant_completed_at, V6);
    -- OFFSET 0 keeps the planner from turning it into a scan of every job. The range starts a day
    -- early, a superset whatever the zone does at midnight; the exact test is completed_on >= edge.
    CROSS JOIN LATERAL (
        SELECT j.tenant_id,
               j.id AS job_id,
               j.provider_id,
               (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE e.time_zone)::date AS completed_on,
               ((extract(epoch FROM j.completed_at) - extract(epoch FROM j.started_at)) / 3600)::float8 AS duration_hours
        FROM app.jobs j
        WHERE j.tenant_id = e.tenant_id
          AND j.status = 'completed'
          AND j.completed_at >= (e.edge::timestamp AT TIME ZONE e.time_zone) - interval '1 day'
          AND j.started_at IS NOT NULL
          AND isfinite(j.started_at)
          AND isfinite(j.completed_at)
        OFFSET 0
    ) j
)
SELECT tenant_id, job_id, provider_id, completed_on, duration_hours
FROM timed_jobs
WHERE completed_on >= edge
WITH NO DATA;

COMMENT ON MATERIALIZED VIEW mv.job_durations_recent IS
    'Recent part of job_durations (recent: P7D): jobs completed from the history''s edge on';

CREATE UNIQUE INDEX job_durations_recent_key ON mv.job_durations_recent (tenant_id, job_id);
CREATE INDEX job_durations_recent_completed_on ON mv.job_durations_recent (tenant_id, completed_on);

CREATE VIEW report.job_durations WITH (security_barrier) AS
WITH jobs AS (
    SELECT h.tenant_id, h.job_id, h.provider_id, h.completed_on, h.duration_hours
    FROM mv.job_durations_history h
    WHERE h.tenant_id = current_setting('app.tenant_id', true)
    UNION ALL
    SELECT r.tenant_id, r.job_id, r.provider_id, r.completed_on, r.duration_hours
    FROM mv.job_durations_recent r
    WHERE r.tenant_id = current_setting('app.tenant_id', true)
      AND r.completed_on >= coalesce((SELECT h.edge FROM mv.job_durations_history h
                                      WHERE h.tenant_id = current_setting('app.tenant_id', true) LIMIT 1),
                                     '-infinity'::date)
)
SELECT jobs.tenant_id, jobs.job_id, jobs.provider_id, p.name AS provider_name, jobs.completed_on, jobs.duration_hours
FROM jobs
JOIN app.providers p ON p.tenant_id = jobs.tenant_id AND p.id = jobs.provider_id;

GRANT SELECT ON report.job_durations TO tally_reader;
