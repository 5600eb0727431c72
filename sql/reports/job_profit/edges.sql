-- One page of the jobs completed in the range, newest first, then job id descending.
-- The view numbers this order densely at refresh time, over all the tenant's jobs (`position`) and
-- within each provider's (`provider_position`). The cursor is the number in the list being read, and
-- the range's jobs are consecutive numbers in it, so a page after the first is exactly the next `limit`
-- numbers: a bounded range of a tenant-led index. (Through the security-barrier view PostgreSQL cannot
-- read an index in order, so ORDER BY ... LIMIT alone would sort the whole range for every page.)
WITH listed AS (
    SELECT job_profit.*,
           CASE WHEN CAST(:provider_id AS bigint) IS NULL THEN position ELSE provider_position END AS list_position
    FROM report.job_profit
    WHERE completed_on BETWEEN CAST(:from AS date) AND CAST(:to AS date)
      AND (CAST(:provider_id AS bigint) IS NULL OR provider_id = CAST(:provider_id AS bigint))
)
SELECT job_id,
       provider_id,
       completed_at,
       final_value::numeric(12,2),
       parts_cost::numeric(12,2),
       profit::numeric(12,2),
       margin_percent::float8,
       list_position::text AS cursor
FROM listed
WHERE CAST(:after AS bigint) IS NULL
   OR (list_position > CAST(:after AS bigint)
       AND list_position <= CAST(:after AS bigint) + CAST(:limit AS int))
ORDER BY list_position
LIMIT CAST(:limit AS int);
