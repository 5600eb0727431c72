-- jobProfit: one row per completed job with its final value, parts cost, profit and margin, listed
-- newest first (then job id descending) with range totals.
--
-- Incremental (V7, V9, docs/reports.md "How each view is kept, and why"). Numbered newest first over
-- the tenant's whole history, as the materialized view was, every new job renumbers every row the
-- tenant has. So the kept tables number OLDEST first, month by month (the UTC month of completed_at,
-- see V9 for why UTC), and a month nobody wrote to never changes:
--   mv.job_profit                    one row per completed job: its month, its place in the month
--                                    (1 = oldest) and the month's running sums through it, and the
--                                    same within its provider's jobs of the month;
--   mv.job_profit_months             per tenant and month: its jobs and sums, and the carried-forward
--                                    totals of all earlier months;
--   mv.job_profit_provider_months    the same per tenant, provider and month.
-- A job's place in the whole history, oldest first, is carried_jobs + place; the connection's
-- newest-first position is the list's count less that, plus one, and a range's totals are the
-- difference of two jobs' cumulative sums, so edges.sql and totals.sql answer exactly as the
-- materialized view did, from these rows.
-- The triggers of V9 log every (tenant, month) a write touched; the routine refresh renumbers only
-- those months (each an index range of the tenant's completed jobs) and recomputes the month
-- summaries' carried totals of the tenants written to (one row per month), writing only the rows
-- that differ. The full rebuild (daily, and an admin's refreshReport) numbers everything again and
-- heals what triggers cannot see. mv.job_profit_definition is the materialized view's definition,
-- kept as a plain view: the ledger takes the source tables' fingerprint from it, and pgTAP holds the
-- kept tables to it row for row (through mv.job_profit_newest_first).
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the tables from scratch.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = 'job_profit') THEN
        DROP MATERIALIZED VIEW mv.job_profit CASCADE;
    END IF;
END
$$;
DROP TABLE IF EXISTS mv.job_profit CASCADE;
DROP TABLE IF EXISTS mv.job_profit_months CASCADE;
DROP TABLE IF EXISTS mv.job_profit_provider_months CASCADE;
DROP VIEW IF EXISTS mv.job_profit_definition CASCADE;

CREATE VIEW mv.job_profit_definition AS
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
           -- Clamped inside PostgreSQL's timestamp range first, so the shift cannot overflow (see R__daily_revenue.sql).
           (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE t.time_zone)::date AS completed_on,
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
       -- Unconstrained numeric: a job's parts may sum past numeric(12,2), and a refresh must not fail.
       final_value,
       parts_cost,
       final_value - parts_cost                   AS profit,
       -- A margin of nothing is undefined, not 0.
       CASE WHEN final_value = 0 THEN NULL
            ELSE round((final_value - parts_cost) * 100 / final_value, 2)::float8
       END                                        AS margin_percent,
       -- The connection's order, newest first: the keyset cursor, over all the tenant's jobs and
       -- within each provider's (for the providerId filter).
       row_number() OVER tenant_order   AS position,
       row_number() OVER provider_order AS provider_position,
       -- Running totals in the same orders: a date range's jobs are consecutive positions, so its
       -- totals are the difference of two rows' running totals.
       count(*) OVER tenant_order                       AS running_jobs,
       sum(final_value) OVER tenant_order               AS running_final_value,
       sum(parts_cost) OVER tenant_order                AS running_parts_cost,
       count(*) OVER provider_order                     AS provider_running_jobs,
       sum(final_value) OVER provider_order             AS provider_running_final_value,
       sum(parts_cost) OVER provider_order              AS provider_running_parts_cost
FROM completed_jobs
-- (completed_at, job_id) is unique per tenant, so the default frame ends at the current row.
WINDOW tenant_order AS (PARTITION BY tenant_id ORDER BY completed_at DESC, job_id DESC),
       provider_order AS (PARTITION BY tenant_id, provider_id ORDER BY completed_at DESC, job_id DESC);

CREATE TABLE mv.job_profit (
    tenant_id                         text        NOT NULL,
    job_id                            bigint      NOT NULL,
    provider_id                       bigint      NOT NULL,
    completed_at                      timestamptz NOT NULL,
    completed_on                      date        NOT NULL,
    -- Unconstrained numeric, as the definition's: sums may pass numeric(12,2).
    final_value                       numeric     NOT NULL,
    parts_cost                        numeric     NOT NULL,
    profit                            numeric     NOT NULL,
    margin_percent                    float8,
    -- tally.job_profit_month(completed_at); the jobs of a month are numbered 1, 2, ... oldest first
    -- (completed_at, then job id), over the tenant and within the provider, with the running sums
    -- of the month through the job itself.
    month                             integer     NOT NULL,
    place                             bigint      NOT NULL,
    month_final_value                 numeric     NOT NULL,
    month_parts_cost                  numeric     NOT NULL,
    provider_place                    bigint      NOT NULL,
    provider_month_final_value        numeric     NOT NULL,
    provider_month_parts_cost         numeric     NOT NULL
);
-- Led by tenant_id so every read is one tenant's index range; the key a job is replaced by.
CREATE UNIQUE INDEX job_profit_key ON mv.job_profit (tenant_id, job_id);
-- A page is a range of places in one or two months (and the refresh replaces a month by these).
CREATE UNIQUE INDEX job_profit_place ON mv.job_profit (tenant_id, month, place);
CREATE UNIQUE INDEX job_profit_provider_place ON mv.job_profit (tenant_id, provider_id, month, provider_place);
-- The first page and the totals find the range's ends one local date at a time.
CREATE INDEX job_profit_completed_on ON mv.job_profit (tenant_id, completed_on);
CREATE INDEX job_profit_provider_completed_on ON mv.job_profit (tenant_id, provider_id, completed_on);

-- One row per month with jobs: count and sums of the month, and of every earlier month (carried_*).
CREATE TABLE mv.job_profit_months (
    tenant_id           text    NOT NULL,
    month               integer NOT NULL,
    jobs                bigint  NOT NULL,
    final_value         numeric NOT NULL,
    parts_cost          numeric NOT NULL,
    carried_jobs        bigint  NOT NULL,
    carried_final_value numeric NOT NULL,
    carried_parts_cost  numeric NOT NULL,
    PRIMARY KEY (tenant_id, month)
);
CREATE TABLE mv.job_profit_provider_months (
    tenant_id           text    NOT NULL,
    provider_id         bigint  NOT NULL,
    month               integer NOT NULL,
    jobs                bigint  NOT NULL,
    final_value         numeric NOT NULL,
    parts_cost          numeric NOT NULL,
    carried_jobs        bigint  NOT NULL,
    carried_final_value numeric NOT NULL,
    carried_parts_cost  numeric NOT NULL,
    PRIMARY KEY (tenant_id, provider_id, month)
);

-- The definition's columns computed from the kept tables, as edges.sql and totals.sql compute them
-- for the rows they read: newest-first position = the list's jobs - (carried + place) + 1, and a
-- newest-first running sum = the list's sum - (carried + month's running sum) + the job's own.
-- Not read by reports (it numbers whole tenants); pgTAP compares it with mv.job_profit_definition.
CREATE VIEW mv.job_profit_newest_first AS
WITH tenant_totals AS (
    SELECT tenant_id, sum(jobs) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost
    FROM mv.job_profit_months GROUP BY tenant_id
),
provider_totals AS (
    SELECT tenant_id, provider_id, sum(jobs) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost
    FROM mv.job_profit_provider_months GROUP BY tenant_id, provider_id
)
SELECT j.tenant_id, j.job_id, j.provider_id, j.completed_at, j.completed_on,
       j.final_value, j.parts_cost, j.profit, j.margin_percent,
       (t.jobs - (m.carried_jobs + j.place) + 1)::bigint                             AS position,
       (p.jobs - (pm.carried_jobs + j.provider_place) + 1)::bigint                   AS provider_position,
       (t.jobs - (m.carried_jobs + j.place) + 1)::bigint                             AS running_jobs,
       t.final_value - (m.carried_final_value + j.month_final_value) + j.final_value AS running_final_value,
       t.parts_cost - (m.carried_parts_cost + j.month_parts_cost) + j.parts_cost     AS running_parts_cost,
       (p.jobs - (pm.carried_jobs + j.provider_place) + 1)::bigint                   AS provider_running_jobs,
       p.final_value - (pm.carried_final_value + j.provider_month_final_value) + j.final_value AS provider_running_final_value,
       p.parts_cost - (pm.carried_parts_cost + j.provider_month_parts_cost) + j.parts_cost     AS provider_running_parts_cost
FROM mv.job_profit j
JOIN mv.job_profit_months m ON m.tenant_id = j.tenant_id AND m.month = j.month
JOIN mv.job_profit_provider_months pm ON pm.tenant_id = j.tenant_id AND pm.provider_id = j.provider_id AND pm.month = j.month
JOIN tenant_totals t ON t.tenant_id = j.tenant_id
JOIN provider_totals p ON p.tenant_id = j.tenant_id AND p.provider_id = j.provider_id;

-- The month summaries of the tenants in pg_temp.job_profit_changed, over the tenant or per
-- provider, from each tenant's first logged month on (all of a whole tenant): a logged month from
-- its fresh rows (gone when it has none left), every other month as it was, then each month's
-- carried totals, the sums of the months before it, starting from what the last month before the
-- first logged one carried. Months before it are not read beyond that one row per list, and only
-- rows that differ are written: a new job rewrites its month's row, a late one also the months after.
CREATE OR REPLACE FUNCTION tally.job_profit_summarize(per_provider boolean)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET client_min_messages = warning
AS $$
DECLARE
    summaries text := CASE WHEN per_provider THEN 'job_profit_provider_months' ELSE 'job_profit_months' END;
    list      text := CASE WHEN per_provider THEN 'tenant_id, provider_id' ELSE 'tenant_id' END;
    same_list text := CASE WHEN per_provider THEN 'b.tenant_id = m.tenant_id AND b.provider_id = m.provider_id'
                           ELSE 'b.tenant_id = m.tenant_id' END;
    same_row  text := CASE WHEN per_provider THEN 't.tenant_id = s.tenant_id AND t.provider_id = s.provider_id AND t.month = s.month'
                           ELSE 't.tenant_id = s.tenant_id AND t.month = s.month' END;
BEGIN
    DROP TABLE IF EXISTS pg_temp.job_profit_first_months;
    DROP TABLE IF EXISTS pg_temp.job_profit_summary_base;
    DROP TABLE IF EXISTS pg_temp.job_profit_summary;
    DROP TABLE IF EXISTS pg_temp.job_profit_summary_kept;
    -- Per tenant written to: its first logged month, or null for the whole tenant.
    CREATE TEMP TABLE job_profit_first_months ON COMMIT DROP AS
    SELECT tenant_id, CASE WHEN bool_or(month IS NULL) THEN NULL ELSE min(month) END AS first_month
    FROM pg_temp.job_profit_changed
    GROUP BY tenant_id;
    EXECUTE format($sql$
        CREATE TEMP TABLE job_profit_summary_kept ON COMMIT DROP AS
        SELECT s.* FROM mv.%1$I s JOIN pg_temp.job_profit_first_months f ON f.tenant_id = s.tenant_id
        WHERE f.first_month IS NULL OR s.month >= f.first_month
    $sql$, summaries);
    -- What each list carried into its tenant's first logged month: the last month before it.
    EXECUTE format($sql$
        CREATE TEMP TABLE job_profit_summary_base ON COMMIT DROP AS
        SELECT DISTINCT ON (%2$s) %2$s, s.carried_jobs + s.jobs AS jobs, s.carried_final_value + s.final_value AS final_value,
               s.carried_parts_cost + s.parts_cost AS parts_cost
        FROM mv.%1$I s JOIN pg_temp.job_profit_first_months f ON f.tenant_id = s.tenant_id
        WHERE s.month < f.first_month
        ORDER BY %2$s, s.month DESC
    $sql$, summaries, replace(replace(list, 'tenant_id', 's.tenant_id'), 'provider_id', 's.provider_id'));
    EXECUTE format($sql$
        CREATE TEMP TABLE job_profit_summary ON COMMIT DROP AS
        WITH months AS (
            SELECT %1$s, month, jobs, final_value, parts_cost
            FROM pg_temp.job_profit_summary_kept k
            WHERE NOT EXISTS (SELECT 1 FROM pg_temp.job_profit_changed c
                              WHERE c.tenant_id = k.tenant_id AND (c.month IS NULL OR c.month = k.month))
            UNION ALL
            SELECT %1$s, month, count(*), sum(final_value), sum(parts_cost)
            FROM pg_temp.job_profit_fresh
            GROUP BY %1$s, month
        )
        SELECT m.*,
               (coalesce(b.jobs, 0) + coalesce(sum(m.jobs) OVER earlier, 0))::bigint AS carried_jobs,
               coalesce(b.final_value, 0) + coalesce(sum(m.final_value) OVER earlier, 0) AS carried_final_value,
               coalesce(b.parts_cost, 0) + coalesce(sum(m.parts_cost) OVER earlier, 0)   AS carried_parts_cost
        FROM months m
        LEFT JOIN pg_temp.job_profit_summary_base b ON %2$s
        WINDOW earlier AS (PARTITION BY %3$s ORDER BY m.month ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    $sql$, list, same_list, replace(replace(list, 'tenant_id', 'm.tenant_id'), 'provider_id', 'm.provider_id'));
    EXECUTE format($sql$
        DELETE FROM mv.%1$I t
        USING (SELECT * FROM pg_temp.job_profit_summary_kept EXCEPT ALL SELECT * FROM pg_temp.job_profit_summary) s
        WHERE %2$s
    $sql$, summaries, same_row);
    EXECUTE format($sql$
        INSERT INTO mv.%1$I
        SELECT * FROM (SELECT * FROM pg_temp.job_profit_summary EXCEPT ALL SELECT * FROM pg_temp.job_profit_summary_kept) s
        ORDER BY %2$s, month
    $sql$, summaries, list);
END
$$;
REVOKE ALL ON FUNCTION tally.job_profit_summarize(boolean) FROM PUBLIC;

-- The routine refresh: the logged months numbered again from their jobs, then the month summaries
-- of the tenants written to. Full (or a TRUNCATE logged): every tenant whole, from its jobs. The
-- log is taken first, so every change it held is visible to the reads that follow; a change
-- committed meanwhile stays logged and is renumbered again next time, which is harmless.
CREATE OR REPLACE FUNCTION tally.refresh_job_profit(full_rebuild boolean)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Quiet about the scratch tables it drops if they exist.
    SET client_min_messages = warning
    -- A full rebuild numbers every job in a few sorts: in memory rather than through temporary files.
    SET work_mem = '64MB'
AS $$
DECLARE
    everything boolean;
    row_count  bigint;
BEGIN
    DROP TABLE IF EXISTS pg_temp.job_profit_changed;
    CREATE TEMP TABLE job_profit_changed ON COMMIT DROP AS
    WITH taken AS (DELETE FROM tally.job_profit_changes RETURNING tenant_id, month)
    SELECT DISTINCT tenant_id, month FROM taken;
    everything := full_rebuild OR EXISTS (SELECT 1 FROM pg_temp.job_profit_changed WHERE tenant_id IS NULL);
    IF everything THEN
        -- Every tenant whole: those with jobs now and those the tables still hold.
        DELETE FROM pg_temp.job_profit_changed;
        INSERT INTO pg_temp.job_profit_changed
        SELECT DISTINCT tenant_id, NULL::integer FROM app.jobs WHERE status = 'completed'
        UNION
        SELECT DISTINCT tenant_id, NULL::integer FROM mv.job_profit_months;
    END IF;
    -- A whole tenant covers its months.
    DELETE FROM pg_temp.job_profit_changed c
    WHERE c.month IS NOT NULL
      AND c.tenant_id IN (SELECT tenant_id FROM pg_temp.job_profit_changed WHERE month IS NULL);
    ANALYZE pg_temp.job_profit_changed;

    -- Each logged month as a range of instants (a day wider, the exact month tested after); a whole
    -- tenant as every instant.
    DROP TABLE IF EXISTS pg_temp.job_profit_ranges;
    CREATE TEMP TABLE job_profit_ranges ON COMMIT DROP AS
    SELECT c.tenant_id, c.month, t.time_zone,
           coalesce(b.first_instant, '-infinity') AS first_instant,
           coalesce(b.last_instant, 'infinity')   AS last_instant
    FROM pg_temp.job_profit_changed c
    JOIN app.tenants t ON t.id = c.tenant_id
    LEFT JOIN LATERAL tally.local_month_instants('UTC', floor(c.month / 12.0)::int,
                                                 (c.month - 12 * floor(c.month / 12.0))::int + 1) b
           ON c.month IS NOT NULL;
    ANALYZE pg_temp.job_profit_ranges;

    -- The logged months' jobs, computed as the definition does. A plain join, so PostgreSQL reads a
    -- few months through the (tenant_id, completed_at) index and every tenant with one scan.
    DROP TABLE IF EXISTS pg_temp.job_profit_jobs;
    CREATE TEMP TABLE job_profit_jobs ON COMMIT DROP AS
    SELECT j.tenant_id,
           j.id AS job_id,
           j.provider_id,
           j.completed_at,
           (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE r.time_zone)::date AS completed_on,
           coalesce(j.final_value, 0) AS final_value,
           tally.job_profit_month(j.completed_at) AS month
    FROM pg_temp.job_profit_ranges r
    JOIN app.jobs j ON j.tenant_id = r.tenant_id
                   AND j.completed_at >= r.first_instant AND j.completed_at <= r.last_instant
    WHERE j.status = 'completed'
      AND (r.month IS NULL OR tally.job_profit_month(j.completed_at) = r.month);
    ANALYZE pg_temp.job_profit_jobs;

    -- Numbered oldest first in their month, over the tenant and within the provider.
    DROP TABLE IF EXISTS pg_temp.job_profit_fresh;
    CREATE TEMP TABLE job_profit_fresh ON COMMIT DROP AS
    WITH parts_per_job AS (
        SELECT p.tenant_id, p.job_id, sum(p.total_cost) AS parts_cost
        FROM app.job_parts p
        WHERE (p.tenant_id, p.job_id) IN (SELECT tenant_id, job_id FROM pg_temp.job_profit_jobs)
        GROUP BY p.tenant_id, p.job_id
    ),
    completed_jobs AS (
        SELECT j.*, coalesce(pj.parts_cost, 0) AS parts_cost
        FROM pg_temp.job_profit_jobs j
        LEFT JOIN parts_per_job pj ON pj.tenant_id = j.tenant_id AND pj.job_id = j.job_id
    )
    SELECT tenant_id,
           job_id,
           provider_id,
           completed_at,
           completed_on,
           final_value,
           parts_cost,
           final_value - parts_cost AS profit,
           CASE WHEN final_value = 0 THEN NULL
                ELSE round((final_value - parts_cost) * 100 / final_value, 2)::float8
           END AS margin_percent,
           month,
           row_number() OVER month_order            AS place,
           sum(final_value) OVER month_order        AS month_final_value,
           sum(parts_cost) OVER month_order         AS month_parts_cost,
           row_number() OVER provider_month_order   AS provider_place,
           sum(final_value) OVER provider_month_order AS provider_month_final_value,
           sum(parts_cost) OVER provider_month_order  AS provider_month_parts_cost
    FROM completed_jobs
    -- (completed_at, job_id) is unique per tenant, so the default frame ends at the current row.
    WINDOW month_order AS (PARTITION BY tenant_id, month ORDER BY completed_at, job_id),
           provider_month_order AS (PARTITION BY tenant_id, provider_id, month ORDER BY completed_at, job_id);
    ANALYZE pg_temp.job_profit_fresh;

    -- The rows the logged months hold now.
    DROP TABLE IF EXISTS pg_temp.job_profit_kept;
    CREATE TEMP TABLE job_profit_kept ON COMMIT DROP AS
    SELECT j.* FROM mv.job_profit j
    WHERE j.tenant_id IN (SELECT tenant_id FROM pg_temp.job_profit_changed WHERE month IS NULL)
    UNION ALL
    SELECT j.* FROM mv.job_profit j JOIN pg_temp.job_profit_changed c ON c.tenant_id = j.tenant_id AND c.month = j.month;
    ANALYZE pg_temp.job_profit_kept;

    -- Only rows that differ are written (whole rows compared, NULLs equal): readers keep the old
    -- rows until commit, and a month whose numbers did not move is not rewritten. A job still held
    -- in a month nobody logged (a write no trigger saw) leaves it, so its new row fits the key;
    -- the full rebuild renumbers that month. The keys to delete are gathered and counted first, so
    -- PostgreSQL reaches those few rows through the table's key rather than hashing the whole table.
    DROP TABLE IF EXISTS pg_temp.job_profit_gone;
    CREATE TEMP TABLE job_profit_gone ON COMMIT DROP AS
    SELECT tenant_id, job_id FROM (SELECT * FROM pg_temp.job_profit_kept EXCEPT ALL SELECT * FROM pg_temp.job_profit_fresh) s
    UNION ALL
    SELECT tenant_id, job_id FROM (SELECT tenant_id, job_id, month FROM pg_temp.job_profit_fresh
                                   EXCEPT
                                   SELECT tenant_id, job_id, month FROM pg_temp.job_profit_kept) f;
    ANALYZE pg_temp.job_profit_gone;
    DELETE FROM mv.job_profit t
    USING pg_temp.job_profit_gone g
    WHERE t.tenant_id = g.tenant_id AND t.job_id = g.job_id;
    -- In the order pages read them, so a page's rows share a few heap blocks.
    INSERT INTO mv.job_profit
    SELECT * FROM (SELECT * FROM pg_temp.job_profit_fresh EXCEPT ALL SELECT * FROM pg_temp.job_profit_kept) s
    ORDER BY tenant_id, month, place;

    -- The month summaries of the tenants written to: logged months from their fresh rows, the
    -- others as they were, then carried forward in month order (one row per month, never a job).
    PERFORM tally.job_profit_summarize(false);
    PERFORM tally.job_profit_summarize(true);

    IF everything THEN
        UPDATE tally.incremental_views SET rebuilt_at = clock_timestamp() WHERE view_name = 'job_profit';
    END IF;
    SELECT coalesce(sum(jobs), 0) INTO row_count FROM mv.job_profit_months;
    RETURN row_count;
END
$$;
REVOKE ALL ON FUNCTION tally.refresh_job_profit(boolean) FROM PUBLIC;

INSERT INTO tally.incremental_views (view_name, rebuilt_at) VALUES ('job_profit', NULL)
ON CONFLICT (view_name) DO UPDATE SET rebuilt_at = NULL;

CREATE VIEW report.job_profit WITH (security_barrier) AS
SELECT * FROM mv.job_profit
WHERE tenant_id = current_setting('app.tenant_id', true);
CREATE VIEW report.job_profit_months WITH (security_barrier) AS
SELECT * FROM mv.job_profit_months
WHERE tenant_id = current_setting('app.tenant_id', true);
CREATE VIEW report.job_profit_provider_months WITH (security_barrier) AS
SELECT * FROM mv.job_profit_provider_months
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.job_profit, report.job_profit_months, report.job_profit_provider_months TO tally_reader;
