-- Test only: the days of the range, numbered from 1, as a connection.
SELECT d::date AS day, (d::date - CAST(:since AS date) + 1)::text AS cursor
FROM generate_series(CAST(:since AS date), CAST(:until AS date), interval '1 day') AS d
WHERE CAST(:after AS int) IS NULL OR d::date - CAST(:since AS date) + 1 > CAST(:after AS int)
ORDER BY d
LIMIT CAST(:limit AS int);
