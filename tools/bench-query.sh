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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rm -rf "$work" && mkdir -p "$work"
java -cp "$jar" io.tsdb4j.bench.QueryCompare gen "$work/data"
for copy in prom serve; do cp -r "$work/data" "$work/$copy"; rm -f "$work/$copy/lock"; done
echo 'global: {scrape_interval: 15s}' > "$work/prometheus.yml"
pport=$(free_port); sport=$(free_port)
prometheus --storage.tsdb.path="$work/prom" --storage.tsdb.retention.time=100y \
  --web.listen-address="127.0.0.1:$pport" --config.file="$work/prometheus.yml" > "$work/prometheus.log" 2>&1 &
ppid=$!
java -Xmx2g -jar "$server" serve --data-dir "$work/serve" --listen "127.0.0.1:$sport" > "$work/serve.log" 2>&1 &
spid=$!
trap 'kill $ppid $spid 2>/dev/null; wait $ppid $spid 2>/dev/null; rm -rf "$work"' EXIT
for url in "http://127.0.0.1:$pport" "http://127.0.0.1:$sport"; do
  for _ in $(seq 300); do curl -sf "$url/-/ready" > /dev/null && break; sleep 0.1; done
done
java -Xmx1g -cp "$jar" io.tsdb4j.bench.QueryCompare run "$work/data" "http://127.0.0.1:$pport" "http://127.0.0.1:$sport" 3 "$rounds"
