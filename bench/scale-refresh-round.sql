-- One round of bench/scale-refresh.sql's routine refreshes: the burst of writes, every incremental
-- view's routine refresh timed, the burst rolled back (the timings kept in a psql variable, which a
-- rollback does not undo, then stored in routine_rounds), then the next round until :rounds.
BEGIN;
\ir scale-burst.sql
SELECT coalesce(string_agg(pg_temp.time_incremental(view_name, false, 'routine'), E'\n' ORDER BY view_name), '') AS timings
FROM tally.incremental_views \gset
ROLLBACK;
INSERT INTO routine_rounds
SELECT m[1], :round, m[2]::numeric, m[3]::bigint
FROM regexp_split_to_table(:'timings', E'\n') AS line,
     regexp_match(line, '^view (\S+)_routine ms (\d+) rows (\d+)$') AS m;
SELECT :round + 1 AS round, :round < :rounds AS more \gset
\if :more
\ir scale-refresh-round.sql
\endif
