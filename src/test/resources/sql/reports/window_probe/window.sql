-- Test only: the arguments as Tally resolved them, read as the query role for the caller's tenant.
SELECT CAST(:since AS date) AS since,
       CAST(:until AS date) AS until,
       CAST(:fiscal_year AS int) AS fiscal_year,
       CAST(:year AS int) AS year,
       CAST(:label AS text) AS label
FROM report.current_tenant;
