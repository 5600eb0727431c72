-- Test only: five seconds, longer than the statement timeout of the tests that read it.
SELECT t.name AS tenant_name
FROM report.current_tenant t, pg_sleep(5);
