#!/usr/bin/env bash
# The scale run: for each size (default 1M, 10M and 30M orders, 100 tenants) it loads a database
# of its own (tally_scale_<orders>, created, migrated and loaded by the benchmark harness, kept for
# the next run), runs a short benchmark there (uncached p99 of every report for the biggest tenant,
# the cached mix), then times every materialized view's refresh, the split parts and the split
# views' unsplit definitions included (bench/scale-refresh.sql; an incremental view's full rebuild,
# idle routine refresh and routine refresh after a burst of writes, docs/reports.md), and how soon a new order shows in
# dailyRevenue (bench/scale-visibility.sql), the readers' latency idle and while the burst and the
# routine refreshes run back to back (bench/scale-readers.sh, READERS_SECONDS each, default 60),
# noting the machine's load. Results:
# bench/scale/<orders>.json and bench/scale/<orders>-refresh.txt; bench/scale/table.txt puts the
# sizes side by side.
#
#   bench/scale.sh                      # 1000000 10000000 30000000
#   bench/scale.sh 1000000 3000000      # the sizes given
#   SCALE_QUICK=on                      # no unsplit definitions, each incremental view rebuilt once
#   SCALE_REBUILD=off                   # no full rebuilds (time them on their own, they take minutes at 30M)
#   READERS_SECONDS=20                  # the readers' idle and refreshing minutes, shorter
#   SCALE_BENCH=off                     # the harness only loads and migrates (no report reads): the refreshes alone
#   SCALE_ROUNDS=5                      # rounds of burst and routine refreshes: the first and the median of the rest
#
# Before loading a size it checks the free disk of the PostgreSQL data directory: about 800 bytes
# per order with every view built (30M orders were 24 GB) plus a quarter for refreshes; it refuses when that does
# not fit, saying how much is needed and free.
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
export PGHOST PGUSER
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000 30000000)
data_dir=$(psql -d postgres -Atc "SHOW data_directory")
mkdir -p bench/scale

for orders in "${sizes[@]}"; do
  db="tally_scale_${orders}"
  loaded=$(psql -d "$db" -Atc "SELECT orders FROM bench.meta ORDER BY loaded_at DESC LIMIT 1" 2>/dev/null || true)
  if [ "$loaded" != "$orders" ]; then
    need=$(( orders * 800 * 5 / 4 ))
    free=$(df --output=avail -B1 "$data_dir" | tail -1)
    if [ "$need" -gt "$free" ]; then
      echo "scale: refusing ${orders} orders: about $(( need / 1024 / 1024 / 1024 )) GB needed in ${data_dir}, $(( free / 1024 / 1024 / 1024 )) GB free" >&2
      exit 1
    fi
  fi
  echo "scale: ${orders} orders in ${db}"
  only=()
  [ "${SCALE_BENCH:-on}" = off ] && only=(-Dbench.only=prepare)
  ./mvnw -B -ntp -q -Pbench -DskipTests verify \
    -Dbench.url="jdbc:postgresql://${PGHOST}:5432/${db}" -Dbench.orders="${orders}" \
    -Dbench.refresh=false -Dbench.pgbench=false -Dbench.throughput=false -Dbench.abuse=false -Dbench.seconds="${BENCH_SECONDS:-3}" -Dbench.warmup-seconds=1 \
    -Dbench.output="bench/scale/${orders}.json" "${only[@]}"
  psql -d "$db" -q -v quick="${SCALE_QUICK:-off}" -v rebuild="${SCALE_REBUILD:-on}" -v rounds="${SCALE_ROUNDS:-5}" -f bench/scale-refresh.sql > "bench/scale/${orders}-refresh.txt"
  psql -d "$db" -q -f bench/scale-visibility.sql >> "bench/scale/${orders}-refresh.txt"
  bench/scale-readers.sh "$db" "${READERS_SECONDS:-60}" >> "bench/scale/${orders}-refresh.txt"
  echo "load $(uptime | sed 's/.*load average: //')" >> "bench/scale/${orders}-refresh.txt"
  cat "bench/scale/${orders}-refresh.txt"
done

# Side by side, sizes as columns: each view's refresh, then each report's uncached p99 and the mix.
python3 bench/scale-table.py bench/scale | tee bench/scale/table.txt
