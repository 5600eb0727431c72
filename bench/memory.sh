#!/usr/bin/env bash
# Issue 21's memory benchmark (not CI; run it on a quiet machine): 20 tenants each asking
# dailyRevenue for 1,000 distinct date ranges (30 to 329 days, every day's row) from 8 clients over
# HTTP, one of 10 hot ranges again after each, in a JVM with -Xmx256m and the cache budget as shipped
# (a quarter of the heap). Every answer's totals are checked against the database; the heap after a
# full GC is sampled every 10 s next to tally_cache_budget_used_bytes; prints a table and writes
# bench/results-memory.json and bench/results-memory.txt. Its own database (tally_memory: 200,000
# orders over 20 tenants, loaded when it does not hold this size yet): answers weigh by their days,
# not by the orders behind them.
#
#   bench/memory.sh
#   bench/memory.sh -Dbench.memory.tenants=3 -Dbench.memory.ranges=40   # a quick look
#
# -Dbench.memory.tenants, .ranges, .hot, .clients, .sample-seconds and .output change the load;
# -Dbench.heap the JVM's heap.
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -ntp -Pbench -DskipTests verify -Dbench.only=memory -Dbench.heap=256m \
  -Dbench.url=jdbc:postgresql://127.0.0.1:5432/tally_memory -Dbench.orders=200000 -Dbench.tenants=20 "$@"
