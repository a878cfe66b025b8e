#!/usr/bin/env bash
# Range-query latency side by side: tsdb4j in-process, `tsdb4j serve` and Prometheus 2.42 over the HTTP API, on
# copies of the same 2h block written by tsdb4j (QueryCompare's PromQL workload). See docs/benchmarks.md.
# Usage: tools/bench-query.sh [ROUNDS]   (build first: mvn -o -q package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/tsdb-bench/target/benchmarks.jar"
server="$root/tsdb-server/target/tsdb4j.jar"
rounds="${1:-12}"
work="${BENCH_WORK:-/tmp/tsdb4j-bench-query}"
. "$root/tools/bench-lib.sh"

rm -rf "$work" && mkdir -p "$work"
java -cp "$jar" io.tsdb4j.bench.QueryCompare gen "$work/data"
start_servers "$work" java -Xmx2g -jar "$server"
for url in "http://127.0.0.1:$pport" "http://127.0.0.1:$sport"; do wait_ready "$url"; done
java -Xmx1g -cp "$jar" io.tsdb4j.bench.QueryCompare run "$work/data" "http://127.0.0.1:$pport" "http://127.0.0.1:$sport" 3 "$rounds"
