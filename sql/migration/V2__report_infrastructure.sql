-- Where Tally keeps its own state, apart from the company's data.
CREATE SCHEMA tally;
-- Materialized views: the pre-computed reports, readable only by their owner.
CREATE SCHEMA mv;
-- Tenant-filtered views over mv: the only thing the query role may read.
CREATE SCHEMA report;

-- PostgreSQL does not record when a materialized view was refreshed, so every attempt is written here.
CREATE TABLE tally.refresh_ledger (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name    text        NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('success', 'failed', 'skipped')),
    row_count    bigint,
    error        text,
    instance     text        NOT NULL,
    CHECK (finished_at >= started_at),
    CHECK ((outcome = 'failed') = (error IS NOT NULL))
);
CREATE INDEX refresh_ledger_view_latest ON tally.refresh_ledger (view_name, id DESC);

-- The role report queries run as (SET LOCAL ROLE inside each report transaction). Roles are
-- cluster-wide, so several databases of one server share it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tally_reader') THEN
        CREATE ROLE tally_reader NOLOGIN NOSUPERUSER NOINHERIT NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;

-- The connecting user switches to the query role, so it must be a member of it.
GRANT tally_reader TO CURRENT_USER;

REVOKE ALL ON SCHEMA app, tally, mv FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA report TO tally_reader;

-- The one source table a report may read: the caller's own tenant, for its name and time zone.
CREATE VIEW report.current_tenant WITH (security_barrier) AS
SELECT id AS tenant_id, name, time_zone
FROM app.tenants
WHERE id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.current_tenant TO tally_reader;
