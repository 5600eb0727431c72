#!/usr/bin/env bash
# The soak run (not CI; run it on a quiet machine): the benchmark's Zipf mix across tenants for 30
# minutes (or the minutes given) with a refresh of every view each minute, sampling each minute the
# heap after a full GC, live threads, open database connections (pg_stat_activity) and the minute's
# p50/p99, printed as a table with each column's slope per hour (a leak shows as a slope) and
# written to bench/soak.json and bench/soak.txt. Same database and options as bench/run.sh
# (tally_bench, 10M orders, 100 tenants, loaded when it does not hold this size yet).
#
#   bench/soak.sh                     # 30 minutes
#   bench/soak.sh 2 -Dbench.url=jdbc:postgresql://127.0.0.1:5432/tally_soak -Dbench.orders=100000 -Dbench.tenants=20
#
# BENCH_SOAK_SAMPLE_SECONDS (default 60) sets the sampling and refresh interval, BENCH_SOAK_OUTPUT
# (default bench/soak.json) where the JSON goes (the table goes next to it, .txt).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=30
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  minutes=$1
  shift
fi
export BENCH_SOAK_MINUTES="$minutes"
# The first minute is the warm-up (JIT, first reads); the slopes leave it out, so no separate warm-up.
exec ./mvnw -B -ntp -Pbench -DskipTests verify -Dbench.only=soak -Dbench.warmup-seconds=0 "$@"
