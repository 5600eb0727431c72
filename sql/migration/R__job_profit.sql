-- jobProfit: one row per completed job with its final value, parts cost, profit and margin.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.job_profit CASCADE;

CREATE MATERIALIZED VIEW mv.job_profit AS
-- Parts are summed per job first: joining them to jobs would count a job's final value once per part.
WITH parts_per_job AS (
    SELECT tenant_id,
           job_id,
           sum(total_cost) AS parts_cost
    FROM app.job_parts
    GROUP BY tenant_id, job_id
),
completed_jobs AS (
    SELECT j.tenant_id,
           j.id                                             AS job_id,
           j.provider_id,
           j.completed_at,
           (j.completed_at AT TIME ZONE t.time_zone)::date  AS completed_on,
           -- A job without a final value earned nothing (docs/reports.md: NULL as 0 here).
           coalesce(j.final_value, 0)                       AS final_value,
           coalesce(pj.parts_cost, 0)                       AS parts_cost
    FROM app.jobs j
    JOIN app.tenants t ON t.id = j.tenant_id
    LEFT JOIN parts_per_job pj ON pj.tenant_id = j.tenant_id AND pj.job_id = j.id
    WHERE j.status = 'completed'
      AND j.completed_at IS NOT NULL
)
SELECT tenant_id,
       job_id,
       provider_id,
       completed_at,
       completed_on,
       final_value::numeric(12,2)                 AS final_value,
       parts_cost::numeric(12,2)                  AS parts_cost,
       (final_value - parts_cost)::numeric(12,2)  AS profit,
       -- A margin of nothing is undefined, not 0.
       CASE WHEN final_value = 0 THEN NULL
            ELSE round((final_value - parts_cost) * 100 / final_value, 2)::float8
       END                                        AS margin_percent,
       -- The connection's order, newest first, numbered densely at refresh time: the keyset cursor,
       -- over all the tenant's jobs and within each provider's (for the providerId filter).
       row_number() OVER tenant_order   AS position,
       row_number() OVER provider_order AS provider_position,
       -- Running totals in the same orders. A date range's jobs are consecutive positions, so its
       -- totals are the difference of two rows' running totals, however many jobs it holds (at 10M
       -- orders the biggest tenant completes 34k jobs in 90 days; see bench/PLANS.md).
       count(*) OVER tenant_order                       AS running_jobs,
       sum(final_value) OVER tenant_order               AS running_final_value,
       sum(parts_cost) OVER tenant_order                AS running_parts_cost,
       count(*) OVER provider_order                     AS provider_running_jobs,
       sum(final_value) OVER provider_order             AS provider_running_final_value,
       sum(parts_cost) OVER provider_order              AS provider_running_parts_cost
FROM completed_jobs
-- (completed_at, job_id) is unique per tenant, so the default frame ends at the current row.
WINDOW tenant_order AS (PARTITION BY tenant_id ORDER BY completed_at DESC, job_id DESC),
       provider_order AS (PARTITION BY tenant_id, provider_id ORDER BY completed_at DESC, job_id DESC)
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX job_profit_key ON mv.job_profit (tenant_id, job_id);
-- Pages after the first are a range of these numbers.
CREATE UNIQUE INDEX job_profit_position ON mv.job_profit (tenant_id, position);
CREATE UNIQUE INDEX job_profit_provider_position ON mv.job_profit (tenant_id, provider_id, provider_position);
-- The first page and the totals read a date range.
CREATE INDEX job_profit_completed_on ON mv.job_profit (tenant_id, completed_on);
-- The first page of one provider finds the provider's newest job in the range one day at a time.
CREATE INDEX job_profit_provider_completed_on ON mv.job_profit (tenant_id, provider_id, completed_on);

CREATE VIEW report.job_profit WITH (security_barrier) AS
SELECT * FROM mv.job_profit
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.job_profit TO tally_reader;
