#!/usr/bin/env bash
# The benchmark in one command: builds the test classes, then runs io.tally.bench.Benchmark in a
# JVM with -Xmx512m against the PostgreSQL on 127.0.0.1:5432 (database tally_bench, created,
# migrated and loaded with bench/generator.sql when it does not hold this size yet), prints the
# table and writes bench/results.json. Loopback only; every measurement is bounded; it stops by itself.
#
#   bench/run.sh                         # 10M orders, 100 tenants
#   bench/run.sh -Dbench.orders=1000000  # any -Dbench.* option (see the bench profile in pom.xml)
#   bench/run.sh -Dbench.jfr=true        # also profiles the { __typename } and miss rows (bench/results-jfr.txt)
#   bench/run.sh -Dbench.orders=1000000 -Dbench.tenants=20 -Dbench.only-throughput=true -Dbench.jfr=true \
#     -Dbench.output=bench/results-throughput.json 2>&1 | tee bench/results-throughput.txt
#                                        # issue 20's throughput table alone, about 10 minutes at 1M orders
#   bench/run.sh -Dbench.postgraphile=false  # without the PostGraphile 5 rows (bench/postgraphile)
#   bench/run.sh -Dbench.orders=1000000 -Dbench.tenants=20 -Dbench.only=miss -Dbench.only-throughput=true \
#     -Dbench.throughput=false           # CPU and heap allocated per miss (cache off), from the JVM's thread counters
set -euo pipefail
cd "$(dirname "$0")/.."
# The throughput table needs wrk (pgbench for its SQL floor, nginx-light for its HTTP floor);
# without them those rows are skipped.
install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq "$1" >/dev/null || echo "bench: could not install $1; $2" >&2
  else
    echo "bench: $1 is not installed (apt-get install $1); $2" >&2
  fi
}
command -v wrk >/dev/null || install wrk "the throughput rows are skipped"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || install nginx-light "the nginx row is skipped"
# PostGraphile 5, issue 20's generic GraphQL server, with the node 22 its packages pin (Debian's is
# older: npm, run by it, warns EBADENGINE, but the server runs on the pinned one); without npm or
# its packages those rows are skipped.
if [[ " $* " != *" -Dbench.postgraphile=false "* ]] && [ ! -d bench/postgraphile/node_modules ]; then
  if command -v npm >/dev/null; then
    npm ci --prefix bench/postgraphile --no-audit --no-fund >/dev/null \
      || echo "bench: npm ci --prefix bench/postgraphile failed; the PostGraphile rows are skipped" >&2
  else
    echo "bench: npm is not installed (apt-get install npm); the PostGraphile rows are skipped" >&2
  fi
fi
exec ./mvnw -B -ntp -Pbench -DskipTests verify "$@"
