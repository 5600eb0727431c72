-- regions: one row per region a tenant's customers are in, read only through report.regions.
BEGIN;
SELECT plan(5);

INSERT INTO app.tenants (id, name, time_zone) VALUES ('t08-a', 'Tenant A', 'UTC'), ('t08-b', 'Tenant B', 'UTC');
INSERT INTO app.customers (tenant_id, id, name, region) VALUES
    ('t08-a', 1, 'Ann', 'north'),
    ('t08-a', 2, 'Bob', 'south'),
    ('t08-a', 3, 'Cid', 'north'),
    ('t08-b', 1, 'Bea', 'west');

REFRESH MATERIALIZED VIEW mv.regions;

SET LOCAL ROLE tally_reader;
SELECT is_empty('SELECT * FROM report.regions', 'with no tenant set, report.regions is empty');
SELECT throws_ok('SELECT * FROM mv.regions', '42501', NULL, 'tally_reader may not read mv.regions');

SELECT set_config('app.tenant_id', 't08-a', true);
SELECT results_eq(
    $$SELECT region, customers FROM report.regions ORDER BY region$$,
    $$VALUES ('north'::text, 2), ('south', 1)$$,
    'tenant A sees its two regions with their customer counts');
SELECT is_empty($$SELECT * FROM report.regions WHERE region = 'west'$$, 'tenant A never sees tenant B''s region');

SELECT set_config('app.tenant_id', 't08-b', true);
SELECT results_eq(
    $$SELECT region, customers FROM report.regions$$,
    $$VALUES ('west'::text, 1)$$,
    'tenant B sees only its own region');

SELECT * FROM finish();
ROLLBACK;
