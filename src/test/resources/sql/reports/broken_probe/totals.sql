-- Test only: two rows where the report type expects exactly one.
SELECT t.name AS tenant_name
FROM report.current_tenant t CROSS JOIN generate_series(1, 2);
