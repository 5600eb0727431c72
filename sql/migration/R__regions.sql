-- regions: the regions a tenant's customers are in, for a portal's region filter.
-- Repeatable: Flyway reruns this file whenever it changes, rebuilding the view from scratch.
DROP MATERIALIZED VIEW IF EXISTS mv.regions CASCADE;

CREATE MATERIALIZED VIEW mv.regions AS
SELECT tenant_id,
       region,
       count(*)::int AS customers
FROM app.customers
GROUP BY tenant_id, region
WITH NO DATA;

-- Led by tenant_id so REFRESH ... CONCURRENTLY works and every read is one tenant's index range.
CREATE UNIQUE INDEX regions_key ON mv.regions (tenant_id, region);

CREATE VIEW report.regions WITH (security_barrier) AS
SELECT * FROM mv.regions
WHERE tenant_id = current_setting('app.tenant_id', true);

GRANT SELECT ON report.regions TO tally_reader;
