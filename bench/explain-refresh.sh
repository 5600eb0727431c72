#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of every statement an incremental view's routine refresh runs, after the
# scale run's burst of writes (bench/scale-burst.sql, rolled back after): auto_explain logs each
# statement inside tally.refresh_view with its plan, time and buffers, as a notice to this session.
# Writes bench/plans/refresh__<view>.txt, the statements slowest first at its top, so the step a
# routine refresh spends its time on is the first thing read.
#   bench/explain-refresh.sh [database] [view...]   (defaults: tally_bench, every incremental view)
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-tally_bench}"
shift || true
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
views=("$@")
[ ${#views[@]} -eq 0 ] && mapfile -t views < <(psql -d "$db" -Atc "SELECT view_name FROM tally.incremental_views ORDER BY 1")
mkdir -p bench/plans
for view in "${views[@]}"; do
  out="bench/plans/refresh__${view}.txt"
  raw=$(mktemp)
  psql -d "$db" -X -q -v ON_ERROR_STOP=1 > /dev/null 2> "$raw" <<SQL
SET client_min_messages = warning;
BEGIN;
\ir bench/scale-burst.sql
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_analyze = on;
SET auto_explain.log_buffers = on;
SET auto_explain.log_timing = on;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = warning;
SELECT tally.refresh_view('$view', true, false);
ROLLBACK;
SQL
  python3 - "$raw" "$view" "$db" > "$out" <<'PY'
import re, sys
raw, view, db = sys.argv[1:]
text = open(raw).read()
# Each notice: "WARNING:  duration: 12.345 ms  plan:" then the statement and its plan.
parts = re.split(r"(?m)^psql:[^\n]*WARNING:  |^WARNING:  ", text)
plans = []
for part in parts:
    m = re.match(r"duration: ([\d.]+) ms", part)
    if m:
        plans.append((float(m.group(1)), part.rstrip()))
nested = [p for p in plans if "Query Text: SELECT tally.refresh_view" not in p[1]]
total = next((d for d, p in plans if "Query Text: SELECT tally.refresh_view" in p), None)
print(f"-- routine refresh of {view} after bench/scale-burst.sql on {db}: {total} ms in all; its statements slowest first")
for duration, plan in sorted(nested, key=lambda p: -p[0]):
    print(f"\n-- {duration:.1f} ms")
    print(plan)
PY
  rm -f "$raw"
  head -1 "$out"
done
