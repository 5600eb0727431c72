-- jobProfit: one row per completed job with its final value, parts cost, profit and margin, listed
-- newest first (then job id descending) with range totals.
--
-- Incremental (V7, V9, docs/reports.md "How each view is kept, and why"). Numbered newest first over
-- the tenant's whole history, as the materialized view was, every new job renumbers every row the
-- tenant has. So the kept tables number OLDEST first, hour by hour (the UTC hour of completed_at, see
-- V9 for why UTC), and an hour nobody wrote to never changes:
--   mv.job_profit                    one row per completed job: its UTC hour, day and month, its place
--                                    in the hour (1 = oldest) and the hour's running sums through it,
--                                    and the same within its provider's jobs of the hour;
--   mv.job_profit_hours              per tenant and hour: its jobs and sums, and the carried totals of
--                                    the EARLIER HOURS OF ITS DAY only (at most 23 rows move when an
--                                    hour changes);
--   mv.job_profit_days               per tenant and day: its jobs and sums, and the carried totals of
--                                    the EARLIER DAYS OF ITS MONTH only (at most 30 rows move);
--   mv.job_profit_months             per tenant and month: its jobs and sums, and the carried-forward
--                                    totals of all earlier months (a row per month of history);
--   mv.job_profit_provider_hours, _provider_days and _provider_months: the same per tenant and provider.
-- A job's place in the whole history, oldest first, is its month's carried count + its day's + its
-- hour's + its place in the hour; the connection's newest-first position is the list's count less
-- that, plus one, and a range's totals are the difference of two jobs' cumulative sums, so edges.sql
-- and totals.sql answer exactly as the materialized view did, from these rows.
-- Why hours: what a late write costs is the jobs after it in its block, which it renumbers or whose
-- running sums it moves. With the UTC day as the block (the second version) that was half a day of
-- the tenant's jobs, so it grew with how dense the history is: at 30M orders the scale data holds 3x
-- the jobs per day of 10M, and the burst's 200 late writes rewrote 7,559 job rows (3,901 at 10M),
-- each with five index entries. An hour holds a 24th of that; what a late write adds in exchange is
-- at most 23 hour summaries (narrow rows, two indexes), and then, as before, at most 30 day summaries
-- and a row per later month: bounded by the calendar, not by the data.
-- The triggers (below, on V9's log) log every (tenant, month, day, hour) a write touched; the routine
-- refresh renumbers only those hours (each an index range of the tenant's completed jobs) and
-- recomputes the summaries from there on, writing only the rows that differ. The full rebuild
-- (daily, and an admin's refreshReport) numbers everything again and heals what triggers cannot see.
-- mv.job_profit_definition is the materialized view's definition, kept as a plain view: the ledger
-- takes the source tables' fingerprint from it, and pgTAP holds the kept tables to it row for row
-- (through mv.job_profit_newest_first).
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
DROP TABLE IF EXISTS mv.job_profit_days CASCADE;
DROP TABLE IF EXISTS mv.job_profit_provider_days CASCADE;
DROP TABLE IF EXISTS mv.job_profit_hours CASCADE;
DROP TABLE IF EXISTS mv.job_profit_provider_hours CASCADE;
DROP VIEW IF EXISTS mv.job_profit_definition CASCADE;
-- The second version's day level, now tally.job_profit_summarize_within(per_provider, 'day').
DROP FUNCTION IF EXISTS tally.job_profit_summarize_days(boolean);

-- The log names the UTC day and hour as well as the month (V9 logged months only), so a late write
-- renumbers one hour's jobs. Here rather than in a versioned migration because it goes with the
-- tables' shape: the statements are idempotent, and replacing the functions keeps V9's triggers on
-- them. A row logged before (a month without its hour) is read as its whole tenant, once.
ALTER TABLE tally.job_profit_changes ADD COLUMN IF NOT EXISTS day integer;
ALTER TABLE tally.job_profit_changes ADD COLUMN IF NOT EXISTS hour bigint;

-- The UTC day of an instant as days since 1970-01-01, clamped as tally.job_profit_month is.
CREATE OR REPLACE FUNCTION tally.job_profit_day(completed_at timestamptz)
    RETURNS integer
    LANGUAGE sql
    IMMUTABLE
    PARALLEL SAFE
AS $$
    -- One expression without FROM, so PostgreSQL inlines it into the queries that call it.
    SELECT (least(greatest(completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE 'UTC')::date
           - DATE '1970-01-01'
$$;

-- The UTC hour of an instant as hours since 1970-01-01 00:00 (its day * 24 + its hour of the day),
-- clamped as tally.job_profit_day is; bigint, as PostgreSQL's last instant is 2.5 billion hours on.
CREATE OR REPLACE FUNCTION tally.job_profit_hour(completed_at timestamptz)
    RETURNS bigint
    LANGUAGE sql
    IMMUTABLE
    PARALLEL SAFE
AS $$
    -- One expression without FROM, so PostgreSQL inlines it into the queries that call it.
    SELECT ((least(greatest(completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE 'UTC')::date
            - DATE '1970-01-01')::bigint * 24
           + extract(hour FROM least(greatest(completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE 'UTC')::bigint
$$;

CREATE OR REPLACE FUNCTION tally.job_profit_jobs_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.job_profit_changes (tenant_id, month, day, hour) VALUES (NULL, NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.job_profit_changes (tenant_id, month, day, hour)
        SELECT DISTINCT tenant_id, tally.job_profit_month(completed_at), tally.job_profit_day(completed_at),
                        tally.job_profit_hour(completed_at) FROM new_rows
        WHERE status = 'completed' AND completed_at IS NOT NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.job_profit_changes (tenant_id, month, day, hour)
        SELECT DISTINCT tenant_id, tally.job_profit_month(completed_at), tally.job_profit_day(completed_at),
                        tally.job_profit_hour(completed_at) FROM old_rows
        WHERE status = 'completed' AND completed_at IS NOT NULL;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION tally.job_profit_parts_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.job_profit_changes (tenant_id, month, day, hour) VALUES (NULL, NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.job_profit_changes (tenant_id, month, day, hour)
        SELECT DISTINCT j.tenant_id, tally.job_profit_month(j.completed_at), tally.job_profit_day(j.completed_at),
                        tally.job_profit_hour(j.completed_at)
        FROM (SELECT DISTINCT tenant_id, job_id FROM new_rows) p
        JOIN app.jobs j ON j.tenant_id = p.tenant_id AND j.id = p.job_id
        WHERE j.status = 'completed' AND j.completed_at IS NOT NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.job_profit_changes (tenant_id, month, day, hour)
        SELECT DISTINCT j.tenant_id, tally.job_profit_month(j.completed_at), tally.job_profit_day(j.completed_at),
                        tally.job_profit_hour(j.completed_at)
        FROM (SELECT DISTINCT tenant_id, job_id FROM old_rows) p
        JOIN app.jobs j ON j.tenant_id = p.tenant_id AND j.id = p.job_id
        WHERE j.status = 'completed' AND j.completed_at IS NOT NULL;
    END IF;
    RETURN NULL;
END
$fn$;

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
    -- tally.job_profit_month, _day and _hour of completed_at; the jobs of an hour are numbered 1,
    -- 2, ... oldest first (completed_at, then job id), over the tenant and within the provider, with
    -- the running sums of the hour through the job itself.
    month                             integer     NOT NULL,
    day                               integer     NOT NULL,
    hour                              bigint      NOT NULL,
    place                             bigint      NOT NULL,
    hour_final_value                  numeric     NOT NULL,
    hour_parts_cost                   numeric     NOT NULL,
    provider_place                    bigint      NOT NULL,
    provider_hour_final_value         numeric     NOT NULL,
    provider_hour_parts_cost          numeric     NOT NULL
);
-- Led by tenant_id so every read is one tenant's index range; the key a job is replaced by.
CREATE UNIQUE INDEX job_profit_key ON mv.job_profit (tenant_id, job_id);
-- A page is a range of places in one or a few hours (and the refresh replaces an hour by these).
CREATE UNIQUE INDEX job_profit_place ON mv.job_profit (tenant_id, hour, place);
CREATE UNIQUE INDEX job_profit_provider_place ON mv.job_profit (tenant_id, provider_id, hour, provider_place);
-- The first page and the totals find the range's ends one local date at a time.
CREATE INDEX job_profit_completed_on ON mv.job_profit (tenant_id, completed_on);
CREATE INDEX job_profit_provider_completed_on ON mv.job_profit (tenant_id, provider_id, completed_on);

-- One row per hour with jobs: count and sums of the hour, and of the earlier hours of its day.
CREATE TABLE mv.job_profit_hours (
    tenant_id           text    NOT NULL,
    hour                bigint  NOT NULL,
    day                 integer NOT NULL,
    month               integer NOT NULL,
    jobs                bigint  NOT NULL,
    final_value         numeric NOT NULL,
    parts_cost          numeric NOT NULL,
    carried_jobs        bigint  NOT NULL,
    carried_final_value numeric NOT NULL,
    carried_parts_cost  numeric NOT NULL,
    PRIMARY KEY (tenant_id, hour)
);
-- A page's hours, and the refresh's reading of a day's hours.
CREATE INDEX job_profit_hours_day ON mv.job_profit_hours (tenant_id, day);
CREATE TABLE mv.job_profit_provider_hours (
    tenant_id           text    NOT NULL,
    provider_id         bigint  NOT NULL,
    hour                bigint  NOT NULL,
    day                 integer NOT NULL,
    month               integer NOT NULL,
    jobs                bigint  NOT NULL,
    final_value         numeric NOT NULL,
    parts_cost          numeric NOT NULL,
    carried_jobs        bigint  NOT NULL,
    carried_final_value numeric NOT NULL,
    carried_parts_cost  numeric NOT NULL,
    PRIMARY KEY (tenant_id, provider_id, hour)
);
CREATE INDEX job_profit_provider_hours_day ON mv.job_profit_provider_hours (tenant_id, provider_id, day);

-- One row per day with jobs: count and sums of the day, and of the earlier days of its month.
CREATE TABLE mv.job_profit_days (
    tenant_id           text    NOT NULL,
    day                 integer NOT NULL,
    month               integer NOT NULL,
    jobs                bigint  NOT NULL,
    final_value         numeric NOT NULL,
    parts_cost          numeric NOT NULL,
    carried_jobs        bigint  NOT NULL,
    carried_final_value numeric NOT NULL,
    carried_parts_cost  numeric NOT NULL,
    PRIMARY KEY (tenant_id, day)
);
-- The refresh reads a month's days by this.
CREATE INDEX job_profit_days_month ON mv.job_profit_days (tenant_id, month);
CREATE TABLE mv.job_profit_provider_days (
    tenant_id           text    NOT NULL,
    provider_id         bigint  NOT NULL,
    day                 integer NOT NULL,
    month               integer NOT NULL,
    jobs                bigint  NOT NULL,
    final_value         numeric NOT NULL,
    parts_cost          numeric NOT NULL,
    carried_jobs        bigint  NOT NULL,
    carried_final_value numeric NOT NULL,
    carried_parts_cost  numeric NOT NULL,
    PRIMARY KEY (tenant_id, provider_id, day)
);
-- The refresh reads a provider's month of days by this (only the providers whose jobs changed).
CREATE INDEX job_profit_provider_days_month ON mv.job_profit_provider_days (tenant_id, provider_id, month);
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
-- for the rows they read: with carried = month's carried + day's carried + hour's carried,
-- newest-first position = the list's jobs - (carried + place) + 1, and a newest-first running sum =
-- the list's sum - (carried + hour's running sum) + the job's own.
-- Not read by reports (it numbers whole tenants); pgTAP compares it with mv.job_profit_definition.
CREATE VIEW mv.job_profit_newest_first AS
WITH tenant_totals AS (
    SELECT tenant_id, sum(jobs) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost
    FROM mv.job_profit_months GROUP BY tenant_id
),
provider_totals AS (
    SELECT tenant_id, provider_id, sum(jobs) AS jobs, sum(final_value) AS final_value, sum(parts_cost) AS parts_cost
    FROM mv.job_profit_provider_months GROUP BY tenant_id, provider_id
),
carried AS (
    SELECT h.tenant_id, h.hour, m.carried_jobs + d.carried_jobs + h.carried_jobs AS jobs,
           m.carried_final_value + d.carried_final_value + h.carried_final_value AS final_value,
           m.carried_parts_cost + d.carried_parts_cost + h.carried_parts_cost AS parts_cost
    FROM mv.job_profit_hours h
    JOIN mv.job_profit_days d ON d.tenant_id = h.tenant_id AND d.day = h.day
    JOIN mv.job_profit_months m ON m.tenant_id = d.tenant_id AND m.month = d.month
),
provider_carried AS (
    SELECT h.tenant_id, h.provider_id, h.hour, m.carried_jobs + d.carried_jobs + h.carried_jobs AS jobs,
           m.carried_final_value + d.carried_final_value + h.carried_final_value AS final_value,
           m.carried_parts_cost + d.carried_parts_cost + h.carried_parts_cost AS parts_cost
    FROM mv.job_profit_provider_hours h
    JOIN mv.job_profit_provider_days d ON d.tenant_id = h.tenant_id AND d.provider_id = h.provider_id AND d.day = h.day
    JOIN mv.job_profit_provider_months m ON m.tenant_id = d.tenant_id AND m.provider_id = d.provider_id AND m.month = d.month
)
SELECT j.tenant_id, j.job_id, j.provider_id, j.completed_at, j.completed_on,
       j.final_value, j.parts_cost, j.profit, j.margin_percent,
       (t.jobs - (c.jobs + j.place) + 1)::bigint                                      AS position,
       (p.jobs - (pc.jobs + j.provider_place) + 1)::bigint                            AS provider_position,
       (t.jobs - (c.jobs + j.place) + 1)::bigint                                      AS running_jobs,
       t.final_value - (c.final_value + j.hour_final_value) + j.final_value           AS running_final_value,
       t.parts_cost - (c.parts_cost + j.hour_parts_cost) + j.parts_cost               AS running_parts_cost,
       (p.jobs - (pc.jobs + j.provider_place) + 1)::bigint                            AS provider_running_jobs,
       p.final_value - (pc.final_value + j.provider_hour_final_value) + j.final_value AS provider_running_final_value,
       p.parts_cost - (pc.parts_cost + j.provider_hour_parts_cost) + j.parts_cost     AS provider_running_parts_cost
FROM mv.job_profit j
JOIN carried c ON c.tenant_id = j.tenant_id AND c.hour = j.hour
JOIN provider_carried pc ON pc.tenant_id = j.tenant_id AND pc.provider_id = j.provider_id AND pc.hour = j.hour
JOIN tenant_totals t ON t.tenant_id = j.tenant_id
JOIN provider_totals p ON p.tenant_id = j.tenant_id AND p.provider_id = j.provider_id;

-- The summaries carried within a parent: hours within their day (unit 'hour'), days within their
-- month (unit 'day'). For every parent a logged unit lies in (every parent of a whole tenant): a
-- logged unit from what it holds now (an hour from its fresh jobs, a day from its new hour
-- summaries; gone when it holds nothing), every other unit of those parents as it was, then each
-- unit's carried totals, the sums of the units before it IN ITS PARENT. Parents nobody wrote to are
-- not read, and only rows that differ are written: at most a day's 24 hours, a month's 31 days.
-- Leaves the new rows of those parents in pg_temp.job_profit_<unit>_summary for the next level.
-- Per provider the logged units are those of pg_temp.job_profit_provider_changed: only the providers
-- whose jobs in a logged hour changed, not every provider with a job that hour. A tenant has a list
-- per provider, and every provider of a tenant with a job in a logged day made each refresh read
-- the month's days of every provider (at 10M, 1.9 of the burst's 3.7 s; docs/reports.md).
CREATE OR REPLACE FUNCTION tally.job_profit_summarize_within(per_provider boolean, unit text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET client_min_messages = warning
AS $$
DECLARE
    summaries  text := 'job_profit_' || CASE WHEN per_provider THEN 'provider_' ELSE '' END || unit || 's';
    parent     text := CASE unit WHEN 'hour' THEN 'day' ELSE 'month' END;
    -- The unit's own columns before its counts: the hour summaries also name their day and month.
    keys       text := CASE unit WHEN 'hour' THEN 'hour, day, month' ELSE 'day, month' END;
    list       text := CASE WHEN per_provider THEN 'tenant_id, provider_id' ELSE 'tenant_id' END;
    -- (tenant, [provider,] month, day, hour) logged, or (tenant, null...) for a whole tenant.
    logged     text := CASE WHEN per_provider THEN 'job_profit_provider_changed' ELSE 'job_profit_changed' END;
    same_list  text := CASE WHEN per_provider THEN 'c.tenant_id = %1$s.tenant_id AND c.provider_id = %1$s.provider_id'
                            ELSE 'c.tenant_id = %1$s.tenant_id' END;
    same_row   text := CASE WHEN per_provider THEN 't.tenant_id = s.tenant_id AND t.provider_id = s.provider_id AND t.%1$I = s.%1$I'
                            ELSE 't.tenant_id = s.tenant_id AND t.%1$I = s.%1$I' END;
    kept       text := 'job_profit_' || unit || '_summary_kept';
    fresh      text := 'job_profit_' || unit || '_summary';
    gone       text := 'job_profit_' || unit || '_summary_gone';
    -- What a logged unit holds now: an hour its fresh jobs (those of the lists logged), a day its
    -- new hour summaries (the hour level left every hour of each logged day there).
    now_held   text := CASE unit
        WHEN 'hour' THEN format($sql$
            SELECT %1$s, hour, day, month, count(*), sum(final_value), sum(parts_cost)
            FROM pg_temp.job_profit_fresh f
            WHERE EXISTS (SELECT 1 FROM pg_temp.%2$I c
                          WHERE c.tenant_id = f.tenant_id AND (c.hour IS NULL OR (%3$s AND c.hour = f.hour)))
            GROUP BY %1$s, hour, day, month
        $sql$, list, logged, format(same_list, 'f'))
        ELSE format($sql$
            SELECT %1$s, day, month, sum(jobs)::bigint, sum(final_value), sum(parts_cost)
            FROM pg_temp.job_profit_hour_summary
            GROUP BY %1$s, day, month
        $sql$, list) END;
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS pg_temp.%I', kept);
    EXECUTE format('DROP TABLE IF EXISTS pg_temp.%I', fresh);
    EXECUTE format('DROP TABLE IF EXISTS pg_temp.%I', gone);
    -- A whole tenant's rows, and the rows of each parent logged in part, each parent one probe of
    -- the parent's index (OFFSET 0 keeps it a probe whatever the estimates: a hash of the whole
    -- table reads every list's history).
    EXECUTE format($sql$
        CREATE TEMP TABLE %5$I ON COMMIT DROP AS
        SELECT s.* FROM mv.%1$I s
        WHERE s.tenant_id IN (SELECT tenant_id FROM pg_temp.%2$I WHERE hour IS NULL)
        UNION ALL
        SELECT s.* FROM (SELECT DISTINCT %3$s, %6$I FROM pg_temp.%2$I WHERE hour IS NOT NULL) c
        CROSS JOIN LATERAL (SELECT s.* FROM mv.%1$I s WHERE %4$s AND s.%6$I = c.%6$I OFFSET 0) s
    $sql$, summaries, logged, list, format(same_list, 's'), kept, parent);
    EXECUTE format('ANALYZE pg_temp.%I', kept);
    EXECUTE format($sql$
        CREATE TEMP TABLE %6$I ON COMMIT DROP AS
        WITH units AS (
            SELECT %1$s, %7$s, jobs, final_value, parts_cost
            FROM pg_temp.%5$I k
            WHERE NOT EXISTS (SELECT 1 FROM pg_temp.%2$I c
                              WHERE c.tenant_id = k.tenant_id AND (c.%8$I IS NULL OR (%3$s AND c.%8$I = k.%8$I)))
            UNION ALL
            %4$s
        )
        SELECT u.*,
               coalesce(sum(u.jobs) OVER earlier, 0)::bigint AS carried_jobs,
               coalesce(sum(u.final_value) OVER earlier, 0) AS carried_final_value,
               coalesce(sum(u.parts_cost) OVER earlier, 0)  AS carried_parts_cost
        FROM units u
        WINDOW earlier AS (PARTITION BY %1$s, %9$I ORDER BY %8$I ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    $sql$, list, logged, format(same_list, 'k'), now_held, kept, fresh, keys, unit, parent);
    -- The rows to delete gathered and counted first, so PostgreSQL reaches those few through the
    -- table's key rather than hashing the whole table (as the jobs' are).
    EXECUTE format($sql$
        CREATE TEMP TABLE %3$I ON COMMIT DROP AS
        SELECT * FROM pg_temp.%1$I EXCEPT ALL SELECT * FROM pg_temp.%2$I
    $sql$, kept, fresh, gone);
    EXECUTE format('ANALYZE pg_temp.%I', gone);
    EXECUTE format($sql$
        DELETE FROM mv.%1$I t
        USING pg_temp.%3$I s
        WHERE %2$s
    $sql$, summaries, format(same_row, unit), gone);
    EXECUTE format($sql$
        INSERT INTO mv.%1$I
        SELECT * FROM (SELECT * FROM pg_temp.%3$I EXCEPT ALL SELECT * FROM pg_temp.%4$I) s
        ORDER BY %2$s, %5$I
    $sql$, summaries, list, fresh, kept, unit);
END
$$;
REVOKE ALL ON FUNCTION tally.job_profit_summarize_within(boolean, text) FROM PUBLIC;

-- The month summaries of the tenants in pg_temp.job_profit_changed (per provider: of the providers
-- in pg_temp.job_profit_provider_changed), from each list's first logged month on (all of a whole
-- tenant): a logged month from its new day summaries (gone when it has none left), every other
-- month as it was, then each month's carried totals, the sums of the months before it, starting
-- from what the last month before the first logged one carried (one index probe per list). Months
-- before it are not read beyond that row, and only rows that differ are written: a new job rewrites
-- its month's row, a late one also the months after (one row each, never a job).
CREATE OR REPLACE FUNCTION tally.job_profit_summarize(per_provider boolean)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    SET client_min_messages = warning
AS $$
DECLARE
    summaries text := CASE WHEN per_provider THEN 'job_profit_provider_months' ELSE 'job_profit_months' END;
    list      text := CASE WHEN per_provider THEN 'tenant_id, provider_id' ELSE 'tenant_id' END;
    logged    text := CASE WHEN per_provider THEN 'job_profit_provider_changed' ELSE 'job_profit_changed' END;
    same_list text := CASE WHEN per_provider THEN 'b.tenant_id = m.tenant_id AND b.provider_id = m.provider_id'
                           ELSE 'b.tenant_id = m.tenant_id' END;
    same_logged text := CASE WHEN per_provider THEN 'c.tenant_id = k.tenant_id AND (c.provider_id IS NULL OR (c.provider_id = k.provider_id AND c.month = k.month))'
                           ELSE 'c.tenant_id = k.tenant_id AND (c.month IS NULL OR c.month = k.month)' END;
    same_row  text := CASE WHEN per_provider THEN 't.tenant_id = s.tenant_id AND t.provider_id = s.provider_id AND t.month = s.month'
                           ELSE 't.tenant_id = s.tenant_id AND t.month = s.month' END;
BEGIN
    DROP TABLE IF EXISTS pg_temp.job_profit_first_months;
    DROP TABLE IF EXISTS pg_temp.job_profit_summary_base;
    DROP TABLE IF EXISTS pg_temp.job_profit_summary;
    DROP TABLE IF EXISTS pg_temp.job_profit_summary_kept;
    -- Per list written to: its first logged month, or null for the whole tenant (per provider a
    -- whole tenant is one row with provider null).
    EXECUTE format($sql$
        CREATE TEMP TABLE job_profit_first_months ON COMMIT DROP AS
        SELECT %2$s, CASE WHEN bool_or(month IS NULL) THEN NULL ELSE min(month) END AS first_month
        FROM pg_temp.%1$I
        GROUP BY %2$s
    $sql$, logged, list);
    ANALYZE pg_temp.job_profit_first_months;
    -- A whole tenant's months, and each list's from its first logged month on (one index range each).
    EXECUTE format($sql$
        CREATE TEMP TABLE job_profit_summary_kept ON COMMIT DROP AS
        SELECT s.* FROM mv.%1$I s
        WHERE s.tenant_id IN (SELECT tenant_id FROM pg_temp.job_profit_first_months WHERE first_month IS NULL)
        UNION ALL
        SELECT s.* FROM pg_temp.job_profit_first_months f
        CROSS JOIN LATERAL (SELECT s.* FROM mv.%1$I s WHERE %2$s AND s.month >= f.first_month OFFSET 0) s
        WHERE f.first_month IS NOT NULL
    $sql$, summaries, CASE WHEN per_provider THEN 's.tenant_id = f.tenant_id AND s.provider_id = f.provider_id' ELSE 's.tenant_id = f.tenant_id' END);
    -- What each list carried into its first logged month: the last month before it.
    EXECUTE format($sql$
        CREATE TEMP TABLE job_profit_summary_base ON COMMIT DROP AS
        SELECT s.* FROM pg_temp.job_profit_first_months f
        CROSS JOIN LATERAL (
            SELECT %2$s, s.carried_jobs + s.jobs AS jobs, s.carried_final_value + s.final_value AS final_value,
                   s.carried_parts_cost + s.parts_cost AS parts_cost
            FROM mv.%1$I s
            WHERE %3$s AND s.month < f.first_month
            ORDER BY s.month DESC
            LIMIT 1
        ) s
        WHERE f.first_month IS NOT NULL
    $sql$, summaries, replace(replace(list, 'tenant_id', 's.tenant_id'), 'provider_id', 's.provider_id'),
       CASE WHEN per_provider THEN 's.tenant_id = f.tenant_id AND s.provider_id = f.provider_id' ELSE 's.tenant_id = f.tenant_id' END);
    EXECUTE format($sql$
        CREATE TEMP TABLE job_profit_summary ON COMMIT DROP AS
        WITH months AS (
            SELECT %1$s, month, jobs, final_value, parts_cost
            FROM pg_temp.job_profit_summary_kept k
            WHERE NOT EXISTS (SELECT 1 FROM pg_temp.%4$I c WHERE %5$s)
            UNION ALL
            SELECT %1$s, month, sum(jobs)::bigint, sum(final_value), sum(parts_cost)
            FROM pg_temp.job_profit_day_summary
            GROUP BY %1$s, month
        )
        SELECT m.*,
               (coalesce(b.jobs, 0) + coalesce(sum(m.jobs) OVER earlier, 0))::bigint AS carried_jobs,
               coalesce(b.final_value, 0) + coalesce(sum(m.final_value) OVER earlier, 0) AS carried_final_value,
               coalesce(b.parts_cost, 0) + coalesce(sum(m.parts_cost) OVER earlier, 0)   AS carried_parts_cost
        FROM months m
        LEFT JOIN pg_temp.job_profit_summary_base b ON %2$s
        WINDOW earlier AS (PARTITION BY %3$s ORDER BY m.month ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    $sql$, list, same_list, replace(replace(list, 'tenant_id', 'm.tenant_id'), 'provider_id', 'm.provider_id'),
       logged, same_logged);
    DROP TABLE IF EXISTS pg_temp.job_profit_summary_gone;
    CREATE TEMP TABLE job_profit_summary_gone ON COMMIT DROP AS
    SELECT * FROM pg_temp.job_profit_summary_kept EXCEPT ALL SELECT * FROM pg_temp.job_profit_summary;
    ANALYZE pg_temp.job_profit_summary_gone;
    EXECUTE format($sql$
        DELETE FROM mv.%1$I t
        USING pg_temp.job_profit_summary_gone s
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

-- The routine refresh: the logged hours numbered again from their jobs, then the hour summaries of
-- their days, the day summaries of their months and the month summaries of the tenants written to.
-- Full (or a TRUNCATE logged): every tenant whole, from its jobs. The log is taken first, so every
-- change it held is visible to the reads that follow; a change committed meanwhile stays logged and
-- is renumbered again next time, which is harmless.
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
    -- (tenant, month, day, hour), or (tenant, null, null, null) for a whole tenant: a zone change, or
    -- a row logged before hours were (a month or a day without its hour).
    DROP TABLE IF EXISTS pg_temp.job_profit_changed;
    CREATE TEMP TABLE job_profit_changed ON COMMIT DROP AS
    WITH taken AS (DELETE FROM tally.job_profit_changes RETURNING tenant_id, month, day, hour)
    SELECT DISTINCT tenant_id,
           CASE WHEN hour IS NULL THEN NULL ELSE month END AS month,
           CASE WHEN hour IS NULL THEN NULL ELSE day END AS day,
           hour
    FROM taken;
    everything := full_rebuild OR EXISTS (SELECT 1 FROM pg_temp.job_profit_changed WHERE tenant_id IS NULL);
    IF everything THEN
        -- Every tenant whole: those with jobs now and those the tables still hold.
        DELETE FROM pg_temp.job_profit_changed;
        INSERT INTO pg_temp.job_profit_changed
        SELECT DISTINCT tenant_id, NULL::integer, NULL::integer, NULL::bigint FROM app.jobs WHERE status = 'completed'
        UNION
        SELECT DISTINCT tenant_id, NULL::integer, NULL::integer, NULL::bigint FROM mv.job_profit_months;
    END IF;
    -- A whole tenant covers its hours.
    DELETE FROM pg_temp.job_profit_changed c
    WHERE c.hour IS NOT NULL
      AND c.tenant_id IN (SELECT tenant_id FROM pg_temp.job_profit_changed WHERE hour IS NULL);
    ANALYZE pg_temp.job_profit_changed;

    -- Each logged hour as its range of instants (the exact hour tested after; the first and last
    -- hours, where instants are clamped, reach to the infinities); a whole tenant as every instant.
    DROP TABLE IF EXISTS pg_temp.job_profit_ranges;
    CREATE TEMP TABLE job_profit_ranges ON COMMIT DROP AS
    SELECT c.tenant_id, c.month, c.day, c.hour, t.time_zone,
           CASE WHEN c.hour IS NULL OR c.hour <= tally.job_profit_hour('-infinity') THEN '-infinity'
                ELSE ((DATE '1970-01-01' + c.day)::timestamp + (c.hour - c.day * 24::bigint) * interval '1 hour') AT TIME ZONE 'UTC'
           END AS first_instant,
           CASE WHEN c.hour IS NULL OR c.hour >= tally.job_profit_hour('infinity') THEN 'infinity'
                ELSE ((DATE '1970-01-01' + c.day)::timestamp + (c.hour - c.day * 24::bigint + 1) * interval '1 hour') AT TIME ZONE 'UTC'
           END AS last_instant
    FROM pg_temp.job_profit_changed c
    JOIN app.tenants t ON t.id = c.tenant_id;
    ANALYZE pg_temp.job_profit_ranges;

    -- The logged hours' jobs, computed as the definition does. A plain join, so PostgreSQL reads a
    -- few hours through the (tenant_id, completed_at) index and every tenant with one scan.
    DROP TABLE IF EXISTS pg_temp.job_profit_jobs;
    CREATE TEMP TABLE job_profit_jobs ON COMMIT DROP AS
    SELECT j.tenant_id,
           j.id AS job_id,
           j.provider_id,
           j.completed_at,
           (least(greatest(j.completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE r.time_zone)::date AS completed_on,
           coalesce(j.final_value, 0) AS final_value,
           tally.job_profit_month(j.completed_at) AS month,
           tally.job_profit_day(j.completed_at) AS day,
           tally.job_profit_hour(j.completed_at) AS hour
    FROM pg_temp.job_profit_ranges r
    JOIN app.jobs j ON j.tenant_id = r.tenant_id
                   AND j.completed_at >= r.first_instant AND j.completed_at <= r.last_instant
    WHERE j.status = 'completed'
      AND (r.hour IS NULL OR tally.job_profit_hour(j.completed_at) = r.hour);
    ANALYZE pg_temp.job_profit_jobs;

    -- Numbered oldest first in their hour, over the tenant and within the provider.
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
           day,
           hour,
           row_number() OVER hour_order                AS place,
           sum(final_value) OVER hour_order            AS hour_final_value,
           sum(parts_cost) OVER hour_order             AS hour_parts_cost,
           row_number() OVER provider_hour_order       AS provider_place,
           sum(final_value) OVER provider_hour_order   AS provider_hour_final_value,
           sum(parts_cost) OVER provider_hour_order    AS provider_hour_parts_cost
    FROM completed_jobs
    -- (completed_at, job_id) is unique per tenant, so the default frame ends at the current row.
    WINDOW hour_order AS (PARTITION BY tenant_id, hour ORDER BY completed_at, job_id),
           provider_hour_order AS (PARTITION BY tenant_id, provider_id, hour ORDER BY completed_at, job_id);
    ANALYZE pg_temp.job_profit_fresh;

    -- The rows the logged hours hold now.
    DROP TABLE IF EXISTS pg_temp.job_profit_kept;
    CREATE TEMP TABLE job_profit_kept ON COMMIT DROP AS
    SELECT j.* FROM mv.job_profit j
    WHERE j.tenant_id IN (SELECT tenant_id FROM pg_temp.job_profit_changed WHERE hour IS NULL)
    UNION ALL
    SELECT j.* FROM mv.job_profit j JOIN pg_temp.job_profit_changed c ON c.tenant_id = j.tenant_id AND c.hour = j.hour;
    ANALYZE pg_temp.job_profit_kept;

    -- Only rows that differ are written (whole rows compared, NULLs equal): readers keep the old
    -- rows until commit, and an hour whose numbers did not move is not rewritten. A job still held
    -- in an hour nobody logged (a write no trigger saw) leaves it, so its new row fits the key; the
    -- full rebuild renumbers that hour. The keys to delete are gathered and counted first, so
    -- PostgreSQL reaches those few rows through the table's key rather than hashing the whole table.
    DROP TABLE IF EXISTS pg_temp.job_profit_gone;
    CREATE TEMP TABLE job_profit_gone ON COMMIT DROP AS
    SELECT tenant_id, job_id FROM (SELECT * FROM pg_temp.job_profit_kept EXCEPT ALL SELECT * FROM pg_temp.job_profit_fresh) s
    UNION ALL
    SELECT tenant_id, job_id FROM (SELECT tenant_id, job_id, hour FROM pg_temp.job_profit_fresh
                                   EXCEPT
                                   SELECT tenant_id, job_id, hour FROM pg_temp.job_profit_kept) f;
    ANALYZE pg_temp.job_profit_gone;
    DELETE FROM mv.job_profit t
    USING pg_temp.job_profit_gone g
    WHERE t.tenant_id = g.tenant_id AND t.job_id = g.job_id;
    -- In the order pages read them, so a page's rows share a few heap blocks.
    INSERT INTO mv.job_profit
    SELECT * FROM (SELECT * FROM pg_temp.job_profit_fresh EXCEPT ALL SELECT * FROM pg_temp.job_profit_kept) s
    ORDER BY tenant_id, hour, place;

    -- The providers whose jobs in a logged hour changed (a job in or out, a value or a parts cost
    -- moved): only their hour, day and month summaries can differ. Compared on what the summaries
    -- sum, not on the tenant's places, which move for every later job of the hour. A whole tenant
    -- stays whole (provider null).
    DROP TABLE IF EXISTS pg_temp.job_profit_provider_changed;
    CREATE TEMP TABLE job_profit_provider_changed ON COMMIT DROP AS
    SELECT DISTINCT tenant_id, NULL::bigint AS provider_id, NULL::integer AS month, NULL::integer AS day, NULL::bigint AS hour
    FROM pg_temp.job_profit_changed WHERE hour IS NULL
    UNION
    SELECT DISTINCT d.tenant_id, d.provider_id, d.month, d.day, d.hour
    FROM ((SELECT tenant_id, provider_id, month, day, hour, job_id, final_value, parts_cost FROM pg_temp.job_profit_kept
           EXCEPT ALL
           SELECT tenant_id, provider_id, month, day, hour, job_id, final_value, parts_cost FROM pg_temp.job_profit_fresh)
          UNION ALL
          (SELECT tenant_id, provider_id, month, day, hour, job_id, final_value, parts_cost FROM pg_temp.job_profit_fresh
           EXCEPT ALL
           SELECT tenant_id, provider_id, month, day, hour, job_id, final_value, parts_cost FROM pg_temp.job_profit_kept)) d
    WHERE d.tenant_id NOT IN (SELECT tenant_id FROM pg_temp.job_profit_changed WHERE hour IS NULL);
    ANALYZE pg_temp.job_profit_provider_changed;

    -- The hour summaries of the days written to (carried within the day), the day summaries of the
    -- months written to (carried within the month), then the month summaries of the lists written
    -- to, carried forward in month order (a row per hour, day or month, never a job).
    PERFORM tally.job_profit_summarize_within(false, 'hour');
    PERFORM tally.job_profit_summarize_within(false, 'day');
    PERFORM tally.job_profit_summarize(false);
    PERFORM tally.job_profit_summarize_within(true, 'hour');
    PERFORM tally.job_profit_summarize_within(true, 'day');
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

CREATE VIEW report.job_profit_hours WITH (security_barrier) AS
SELECT * FROM mv.job_profit_hours
WHERE tenant_id = current_setting('app.tenant_id', true);
CREATE VIEW report.job_profit_provider_hours WITH (security_barrier) AS
SELECT * FROM mv.job_profit_provider_hours
WHERE tenant_id = current_setting('app.tenant_id', true);
CREATE VIEW report.job_profit_days WITH (security_barrier) AS
SELECT * FROM mv.job_profit_days
WHERE tenant_id = current_setting('app.tenant_id', true);
CREATE VIEW report.job_profit_provider_days WITH (security_barrier) AS
SELECT * FROM mv.job_profit_provider_days
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.job_profit, report.job_profit_months, report.job_profit_provider_months,
                report.job_profit_hours, report.job_profit_provider_hours,
                report.job_profit_days, report.job_profit_provider_days TO tally_reader;
