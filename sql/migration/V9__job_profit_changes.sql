-- job_profit kept incrementally (R__job_profit.sql, docs/reports.md "How each view is kept, and
-- why"): the change log its routine refresh reads, and the triggers that write it. Here, not in the
-- repeatable file, because capturing writes does not depend on the view's shape (as V8).
--
-- The log holds (tenant, month): a month whose completed jobs a write touched. The month is the
-- calendar month of completed_at in UTC (tally.job_profit_month), not the tenant's local month: the
-- view numbers jobs by the instant they were completed, and a UTC month is always one unbroken range
-- of instants, so numbering month by month is exactly numbering the whole history; a local month is
-- not always one (a zone whose clock went back over midnight at a month's start). The reader never
-- needs the month to be local: it finds a date's jobs by their local date and reads their numbers.
-- month null: every month of the tenant (its zone changed, so every local date may move);
-- tenant_id null too: everything (a TRUNCATE).
CREATE TABLE tally.job_profit_changes (
    tenant_id text,
    month     integer
);

-- The month of an instant as year * 12 + month - 1, an integer so the first and last months of
-- PostgreSQL's range (4714 BC, 294276 AD) have one too; clamped as the view clamps its local dates.
CREATE FUNCTION tally.job_profit_month(completed_at timestamptz)
    RETURNS integer
    LANGUAGE sql
    IMMUTABLE
    PARALLEL SAFE
AS $$
    -- One expression without FROM, so PostgreSQL inlines it into the queries that call it.
    SELECT (extract(year FROM least(greatest(completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE 'UTC') * 12
            + extract(month FROM least(greatest(completed_at, '4714-11-26 00:00:00+00 BC'), '294276-12-29 00:00:00+00') AT TIME ZONE 'UTC') - 1)::int
$$;

-- Triggers run as the writer; these functions run as the owner, so writers need no grant on the
-- log. Only completed jobs reach the view: a job is logged when it was completed before the write
-- or is after it (so a job completed late, reopened, moved to another instant, given a new final
-- value or deleted reaches the month it left and the month it entered).
CREATE FUNCTION tally.job_profit_jobs_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.job_profit_changes VALUES (NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.job_profit_changes
        SELECT DISTINCT tenant_id, tally.job_profit_month(completed_at) FROM new_rows
        WHERE status = 'completed' AND completed_at IS NOT NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.job_profit_changes
        SELECT DISTINCT tenant_id, tally.job_profit_month(completed_at) FROM old_rows
        WHERE status = 'completed' AND completed_at IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;

-- A part's month is its job's, as the job is now; a part of a job that is not completed changes
-- nothing. (A job deleted with its parts logs its own month through the trigger above.)
CREATE FUNCTION tally.job_profit_parts_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.job_profit_changes VALUES (NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.job_profit_changes
        SELECT DISTINCT j.tenant_id, tally.job_profit_month(j.completed_at)
        FROM (SELECT DISTINCT tenant_id, job_id FROM new_rows) p
        JOIN app.jobs j ON j.tenant_id = p.tenant_id AND j.id = p.job_id
        WHERE j.status = 'completed' AND j.completed_at IS NOT NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.job_profit_changes
        SELECT DISTINCT j.tenant_id, tally.job_profit_month(j.completed_at)
        FROM (SELECT DISTINCT tenant_id, job_id FROM old_rows) p
        JOIN app.jobs j ON j.tenant_id = p.tenant_id AND j.id = p.job_id
        WHERE j.status = 'completed' AND j.completed_at IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;

-- A tenant whose zone changed has every job on a different local date, maybe: all of it again.
CREATE FUNCTION tally.job_profit_tenants_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO tally.job_profit_changes
    SELECT DISTINCT n.id, NULL::integer
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.time_zone IS DISTINCT FROM o.time_zone;
    RETURN NULL;
END
$$;

CREATE TRIGGER job_profit_inserted AFTER INSERT ON app.jobs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_jobs_changed();
CREATE TRIGGER job_profit_updated AFTER UPDATE ON app.jobs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_jobs_changed();
CREATE TRIGGER job_profit_deleted AFTER DELETE ON app.jobs REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_jobs_changed();
CREATE TRIGGER job_profit_truncated AFTER TRUNCATE ON app.jobs
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_jobs_changed();

CREATE TRIGGER job_profit_inserted AFTER INSERT ON app.job_parts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_parts_changed();
CREATE TRIGGER job_profit_updated AFTER UPDATE ON app.job_parts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_parts_changed();
CREATE TRIGGER job_profit_deleted AFTER DELETE ON app.job_parts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_parts_changed();
CREATE TRIGGER job_profit_truncated AFTER TRUNCATE ON app.job_parts
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_parts_changed();

CREATE TRIGGER job_profit_zone_changed AFTER UPDATE ON app.tenants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.job_profit_tenants_changed();
