-- jobDurations and upsell are split into a recent and a history part too (R__job_durations.sql,
-- R__upsell.sql): their recent parts read each tenant's jobs completed in the last days, which
-- must not scan every job.
CREATE INDEX jobs_tenant_completed_at ON app.jobs (tenant_id, completed_at) WHERE status = 'completed';
