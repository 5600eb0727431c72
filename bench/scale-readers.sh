#!/usr/bin/env bash
# Readers during refreshes, on a loaded scale database (bench/scale.sh): pgbench runs the SQL the
# two biggest incremental reports send (sql/reports/customer_activity/edges.sql, first page of 20;
# job_profit/edges.sql and totals.sql over the last 90 days; all for the biggest tenant, bench-001,
# values written into the SQL, simple protocol) with 2 clients for SECONDS, first on an idle
# database, then while another session runs the scale run's burst of writes and the routine refresh
# of every incremental view back to back (bench/scale-burst.sql, rolled back each time, so the
# database stays as loaded). One line per report and state:
#   readers <idle|refreshing> <report> n <count> p50 <ms> p99 <ms> max <ms>
# and the refresh cycles that ran meanwhile. Reads through SQL, not HTTP: the application's own
# cost per read is the same idle or not, what a refresh takes from readers is the database's.
#
#   bench/scale-readers.sh tally_scale_30000000 [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
export PGHOST PGUSER
db=$1
seconds=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The three reads as pgbench scripts: comments dropped, each :name replaced by its value.
python3 - "$work" <<'PY'
import datetime, re, sys
work = sys.argv[1]
today = datetime.datetime.now(datetime.timezone.utc).date()
job_range = {"provider_id": "NULL", "after": "NULL", "limit": "20",
             "from": f"'{today - datetime.timedelta(days=90)}'", "to": f"'{today}'"}
reads = {"customer_activity": ("sql/reports/customer_activity/edges.sql", {"region": "NULL", "after": "NULL", "limit": "20"}),
         "job_profit_edges": ("sql/reports/job_profit/edges.sql", job_range),
         "job_profit_totals": ("sql/reports/job_profit/totals.sql", job_range)}
for name, (path, values) in reads.items():
    sql = re.sub(r"(?m)--.*$", "", open(path).read())
    for key, value in values.items():
        sql = re.sub(r"(?<!:):" + key + r"\b", value, sql)
    left = re.findall(r"(?<!:):[a-z_]+", sql)
    if left:
        sys.exit(f"{path}: no value for {left}")
    body = "\n".join(line.rstrip() for line in sql.splitlines() if line.strip()).rstrip(";")
    with open(f"{work}/{name}.sql", "w") as out:
        out.write(f"BEGIN;\nSET LOCAL app.tenant_id = 'bench-001';\n{body};\nCOMMIT;\n")
PY
cat > "$work/refresh.sql" <<SQL
\\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;
\\ir $(pwd)/bench/scale-burst.sql
SELECT tally.refresh_view(view_name, true, false) FROM tally.incremental_views ORDER BY view_name;
ROLLBACK;
SQL

read_for() {
  local state=$1
  mkdir -p "$work/$state"
  (cd "$work/$state" && pgbench -n -M simple -c 2 -j 2 -T "$seconds" -l \
    -f "$work/customer_activity.sql" -f "$work/job_profit_edges.sql" -f "$work/job_profit_totals.sql" "$db" > pgbench.txt 2>&1)
  python3 - "$work/$state" "$state" <<'PY'
import glob, sys
folder, state = sys.argv[1], sys.argv[2]
names = ["customer_activity", "job_profit_edges", "job_profit_totals"]
latencies = {}
for log in glob.glob(folder + "/pgbench_log.*"):
    for line in open(log):
        fields = line.split()
        latencies.setdefault(int(fields[3]), []).append(int(fields[2]) / 1000)
everything = []
for script in sorted(latencies):
    values = sorted(latencies[script])
    everything += values
    at = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    print(f"readers {state} {names[script]} n {len(values)} p50 {at(0.5):.1f} p99 {at(0.99):.1f} max {values[-1]:.1f}")
values = sorted(everything)
at = lambda q: values[min(len(values) - 1, int(q * len(values)))]
print(f"readers {state} all n {len(values)} p50 {at(0.5):.1f} p99 {at(0.99):.1f} max {values[-1]:.1f}")
PY
}

read_for idle
touch "$work/refreshing.on"
(
  while [ -f "$work/refreshing.on" ]; do
    started=$(date +%s%N)
    psql -d "$db" -q -f "$work/refresh.sql" > /dev/null
    echo $(( ($(date +%s%N) - started) / 1000000 )) >> "$work/cycles"
  done
) &
refresher=$!
read_for refreshing
rm -f "$work/refreshing.on"
wait "$refresher"
echo "readers refresh cycles $(wc -l < "$work/cycles") ms $(tr '\n' ' ' < "$work/cycles")"
echo "readers load $(uptime | sed 's/.*load average: //')"
