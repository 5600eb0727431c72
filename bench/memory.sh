#!/usr/bin/env bash
# The memory budget under distinct date ranges: starts the packaged jar in demo mode with a small
# heap (database tally_memory_bench on 127.0.0.1:5432, loaded on first use), asks dailyRevenue for
# RANGES distinct 90-day ranges per demo tenant (at most the demo's 3 portal tenants), then a hot
# set of HOT ranges per tenant 3 times, checks every answer (HTTP 200, no errors, 90 days), and
# prints the hit rate of the hot set, the budget's weighed bytes and the heap after a full GC.
# Run it on a quiet machine; numbers from a shared one are not worth publishing.
#
#   bench/memory.sh                      # 3 tenants x 1000 ranges, -Xmx256m
#   TENANTS=3 RANGES=50 bench/memory.sh  # smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
TENANTS=${TENANTS:-3} RANGES=${RANGES:-1000} HOT=${HOT:-20} HEAP=${HEAP:-256m} CLIENTS=${CLIENTS:-8}
PORT=${PORT:-18080} MPORT=${MPORT:-18081}
JAR=$(ls target/tally-*.jar 2>/dev/null | grep -v plain | head -1 || true)
if [ -z "$JAR" ] || [ -n "$(find src/main -newer "$JAR" -type f | head -1)" ]; then
  ./mvnw -q -o -DskipTests package
  JAR=$(ls target/tally-*.jar | grep -v plain | head -1)
fi
LOG=$(mktemp /tmp/tally-memory.XXXXXX.log)
java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -jar "$JAR" --server.port="$PORT" --management.server.port="$MPORT" \
  --tally.demo.database=tally_memory_bench --tally.limits.requests-per-second=100000 --tally.limits.burst=100000 \
  --management.endpoints.web.exposure.include=health,prometheus >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  grep -q "Tally demo is ready" "$LOG" && break
  kill -0 "$PID" 2>/dev/null || { tail -30 "$LOG"; exit 1; }
  sleep 1
done
grep -q "Tally demo is ready" "$LOG" || { echo "memory: the jar did not start; see $LOG" >&2; exit 1; }
python3 - "$PORT" "$MPORT" "$TENANTS" "$RANGES" "$HOT" "$CLIENTS" <<'PY'
import datetime, json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, mport, tenants, ranges, hot, clients = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
base = f"http://127.0.0.1:{port}"
tokens = [t["token"] for t in json.load(urllib.request.urlopen(base + "/portal/sign-in-tokens.json"))
          if t["label"].startswith("Portal user of")][:tenants]
doc = ("query ($from: Date, $to: Date) { dailyRevenue(from: $from, to: $to) { days { day ordersCreated paidOrders "
       "revenueCents rolling7dRevenueCents } totals { revenueCents } freshness { servedFrom } } }")
first = datetime.date.today() - datetime.timedelta(days=360)
def ask(job):
    token, i = job
    start = first + datetime.timedelta(days=i % 270)
    # Distinct ranges: the start day and, past 270, the length too.
    end = start + datetime.timedelta(days=89 - (i // 270) % 60)
    body = json.dumps({"query": doc, "variables": {"from": str(start), "to": str(end)}}).encode()
    request = urllib.request.Request(base + "/graphql", body, {"Content-Type": "application/json",
                                                               "Authorization": "Bearer " + token})
    answer = json.load(urllib.request.urlopen(request, timeout=30))
    report = answer.get("data", {}).get("dailyRevenue") if not answer.get("errors") else None
    if report is None or len(report["days"]) != (end - start).days + 1:
        raise SystemExit(f"wrong answer for {start}..{end}: {str(answer)[:300]}")
    return report["freshness"]["servedFrom"]
with ThreadPoolExecutor(clients) as pool:
    list(pool.map(ask, [(t, i) for i in range(ranges) for t in tokens]))
    served = list(pool.map(ask, [(t, i) for _ in range(3) for i in range(hot) for t in tokens]))
def metric(name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{mport}/actuator/prometheus").read().decode()
    return sum(float(l.split()[-1]) for l in text.splitlines() if l.startswith(name))
print(f"answers: {len(tokens) * (ranges + 3 * hot)}, all right")
print(f"hot set hit rate: {served.count('CACHE') / len(served):.1%} of {len(served)}")
print(f"budget: {metric('tally_cache_budget_used_bytes') / 2**20:.1f} of {metric('tally_cache_budget_max_bytes') / 2**20:.1f} MB,"
      f" evicted {metric('tally_cache_budget_evictions_total'):.0f}, not kept (oversize) {metric('tally_cache_budget_oversize_total'):.0f}")
PY
jcmd "$PID" GC.run >/dev/null
echo "heap after a full GC: $(jcmd "$PID" GC.heap_info | awk '/used/ {print $0; exit}')"
kill -0 "$PID" && echo "still running: no OutOfMemoryError" || { echo "the JVM died" >&2; exit 1; }
