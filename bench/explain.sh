#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of every report read query, as Tally runs it: role tally_reader, the
# tenant set, custom plans, in a read-only transaction, with the default arguments (last 90 days
# in the tenant's zone, no filter, first page of 50). Writes bench/plans/<view>__<file>.txt.
# Then custom against generic plans, per query: each file is PREPAREd with its named parameters as
# $n, as a server-prepared statement of Tally's is, and EXPLAIN (ANALYZE) EXECUTEd with the same
# arguments under plan_cache_mode force_custom_plan and then force_generic_plan, five times each
# after two warm-up runs; the best planning + execution time of each mode is printed, and the
# generic plan written to bench/plans/<view>__<file>.generic.txt. A generic plan is "as good" when
# its time is within 10% of the custom plan's or better (QueryProperties.genericPlans).
#   bench/explain.sh [database] [tenant]     (defaults: tally_bench bench-001)
#   REGION="'north'" PROVIDER=1 bench/explain.sh   (the same with the optional filters set)
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-tally_bench}"
tenant="${2:-bench-001}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
mkdir -p bench/plans
today=$(psql -d "$db" -Atc "SELECT (now() AT TIME ZONE time_zone)::date FROM app.tenants WHERE id = '$tenant'")
from=$(psql -d "$db" -Atc "SELECT DATE '$today' - 89")
year=${today:0:4}
region="${REGION:-NULL}"
provider="${PROVIDER:-NULL}"
# A view the bench never populated (regions) is skipped, with a note.
populated() {
  [ "$(psql -d "$db" -Atc "SELECT bool_and(ispopulated) FROM pg_matviews WHERE schemaname = 'mv' AND matviewname LIKE '$1%'")" = t ] \
    || { echo "skipped $1: not populated" >&2; return 1; }
}
for file in sql/reports/*/*.sql; do
  view=$(basename "$(dirname "$file")")
  populated "$view" || continue
  out="bench/plans/${view}__$(basename "$file" .sql).txt"
  {
    echo "-- $file, tenant $tenant, from $from to $today"
    psql -d "$db" -X -q -v ON_ERROR_STOP=1 \
      -v from="'$from'" -v to="'$today'" -v region="$region" -v provider_id="$provider" -v after=NULL -v limit=51 -v year="$year" <<SQL
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

declare -A value=([from]="'$from'" [to]="'$today'" [region]="$region" [provider_id]="$provider" [after]=NULL
  [limit]=51 [year]="$year")
printf '%-40s %12s %12s %12s  %s\n' "query" "custom ms" "generic ms" "generic/cust" "verdict"
for file in sql/reports/*/*.sql; do
  view=$(basename "$(dirname "$file")")
  populated "$view" || continue
  name="${view}__$(basename "$file" .sql)"
  # Named parameters in order of first use become $1, $2, ...; '::' casts are left alone.
  mapfile -t params < <(sed 's/--.*$//' "$file" | grep -oE '(^|[^:]):[a-z_]+' | sed -E 's/.*:([a-z_]+)/\1/' | awk '!seen[$0]++')
  sql=$(sed 's/--.*$//' "$file")
  args=()
  for i in "${!params[@]}"; do
    p="${params[$i]}"
    sql=$(printf '%s' "$sql" | perl -pe "s/(?<!:):$p\\b/\\\$$((i + 1))/g")
    args+=("${value[$p]}")
  done
  arglist=$(IFS=,; echo "${args[*]}")
  [ -n "$arglist" ] && arglist="($arglist)"
  run() {
    psql -d "$db" -X -q -At -v ON_ERROR_STOP=1 <<SQL
BEGIN READ ONLY;
SELECT set_config('role', 'tally_reader', true), set_config('app.tenant_id', '$tenant', true),
       set_config('plan_cache_mode', '$1', true) \gset
PREPARE q AS ${sql%;};
EXECUTE q$arglist \g /dev/null
EXECUTE q$arglist \g /dev/null
$(for n in 1 2 3 4 5; do echo "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE q$arglist;"; done)
ROLLBACK;
SQL
  }
  best() { grep -E 'Planning Time|Execution Time' | awk '/Planning/ {p=$3} /Execution/ {t=p+$3; if (best=="" || t<best) best=t; p=0} END {printf "%.3f", best}'; }
  custom=$(run force_custom_plan | best)
  run force_generic_plan > "bench/plans/$name.generic.txt.tmp"
  generic=$(best < "bench/plans/$name.generic.txt.tmp")
  { echo "-- $file, tenant $tenant, from $from to $today, plan_cache_mode force_generic_plan, 5th of 5 runs"
    awk 'n == 4; /Execution Time/ {n++}' "bench/plans/$name.generic.txt.tmp"; } > "bench/plans/$name.generic.txt"
  rm -f "bench/plans/$name.generic.txt.tmp"
  ratio=$(awk -v g="$generic" -v c="$custom" 'BEGIN {printf "%.2f", g / c}')
  verdict=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.10) ? "generic" : "custom"}')
  printf '%-40s %12s %12s %12s  %s\n' "$name" "$custom" "$generic" "$ratio" "$verdict"
done
