#!/usr/bin/env bash
# Side-by-side embedded ingest: tsdb4j's IngestBench and Prometheus 2.42's `promtool tsdb bench write` on the
# same workload (../shared/data/20kseries.json, 10k series x 3000 scrapes by default), alternating, N rounds.
# Usage: [JAVA=/path/to/java] tools/bench-ingest.sh [ROUNDS] [METRICS] [SCRAPES]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}; metrics=${2:-10000}; scrapes=${3:-3000}
java=${JAVA:-java}
series=../shared/data/20kseries.json
[ -f tsdb-bench/target/benchmarks.jar ] || mvn -B -q -ntp -pl tsdb-bench -am package -DskipTests
for r in $(seq 1 "$rounds"); do
  d=$(mktemp -d)
  echo "== round $r: tsdb4j"
  /usr/bin/time -f "tsdb4j: peak RSS %M KB, %e s wall, %U s user, %S s sys" \
    "$java" -Xmx512m -cp tsdb-bench/target/benchmarks.jar io.tsdb4j.bench.IngestBench "$series" \
      --metrics "$metrics" --scrapes "$scrapes" --out "$d/tsdb4j" 2>&1 | grep -E "ingestion|head:|heap|WAL|tsdb4j:"
  echo "== round $r: prometheus"
  /usr/bin/time -f "promtool: peak RSS %M KB, %e s wall, %U s user, %S s sys" \
    promtool tsdb bench write --metrics="$metrics" --scrapes="$scrapes" --out="$d/prom" "$series" 2>&1 \
      | grep -E "samples/sec|total samples|ingestScrapes|promtool:"
  echo "   prometheus WAL bytes/sample: $(du -sb "$d/prom/storage/wal" | cut -f1) / $((metrics * ((scrapes + 99) / 100 * 100)))"
  rm -rf "$d"
done
