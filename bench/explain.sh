#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of every report read query, as Tally runs it: role tally_reader, the
# tenant set, custom plans, in a read-only transaction, with the default arguments (last 90 days
# in the tenant's zone, no filter, first page of 50). Writes bench/plans/<view>__<file>.txt.
#   bench/explain.sh [database] [tenant]     (defaults: tally_bench bench-001)
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-tally_bench}"
tenant="${2:-bench-001}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
mkdir -p bench/plans
today=$(psql -d "$db" -Atc "SELECT (now() AT TIME ZONE time_zone)::date FROM app.tenants WHERE id = '$tenant'")
from=$(psql -d "$db" -Atc "SELECT DATE '$today' - 89")
year=${today:0:4}
for file in sql/reports/*/*.sql; do
  view=$(basename "$(dirname "$file")")
  out="bench/plans/${view}__$(basename "$file" .sql).txt"
  {
    echo "-- $file, tenant $tenant, from $from to $today"
    psql -d "$db" -X -q -v ON_ERROR_STOP=1 \
      -v from="'$from'" -v to="'$today'" -v region=NULL -v provider_id=NULL -v after=NULL -v limit=51 -v year="$year" <<SQL
BEGIN READ ONLY;
SELECT set_config('role', 'tally_reader', true), set_config('app.tenant_id', '$tenant', true),
       set_config('plan_cache_mode', 'force_custom_plan', true) \gset
-- Twice: the first run warms the cache, the second is the one kept.
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING ON) $(cat "$file")
\o $out.tmp
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING ON) $(cat "$file")
\o
ROLLBACK;
SQL
  } > /dev/null
  { echo "-- $file, tenant $tenant, from $from to $today"; cat "$out.tmp"; } > "$out"
  rm -f "$out.tmp"
  printf '%-45s %s\n' "$file" "$(grep -E 'Execution Time' "$out" | tr -s ' ')"
done
