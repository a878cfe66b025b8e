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
ratios=()
for r in $(seq 1 "$rounds"); do
  d=$(mktemp -d)
  echo "== round $r: tsdb4j"
  ours=$(/usr/bin/time -f "tsdb4j: peak RSS %M KB, %e s wall, %U s user, %S s sys" \
    "$java" -Xmx512m -cp tsdb-bench/target/benchmarks.jar io.tsdb4j.bench.IngestBench "$series" \
      --metrics "$metrics" --scrapes "$scrapes" --out "$d/tsdb4j" 2>&1 | grep -E "ingestion|head:|heap|WAL|tsdb4j:")
  echo "$ours"
  echo "== round $r: prometheus"
  theirs=$(/usr/bin/time -f "promtool: peak RSS %M KB, %e s wall, %U s user, %S s sys" \
    promtool tsdb bench write --metrics="$metrics" --scrapes="$scrapes" --out="$d/prom" "$series" 2>&1 \
      | grep -E "samples/sec|total samples|ingestScrapes|promtool:")
  echo "$theirs"
  echo "   prometheus WAL bytes/sample: $(du -sb "$d/prom/storage/wal" | cut -f1) / $((metrics * ((scrapes + 99) / 100 * 100)))"
  rm -rf "$d"
  a=$(sed -nE 's/.*= ([0-9.]+) M samples\/s.*/\1/p' <<<"$ours")
  b=$(sed -nE 's/.*samples\/sec: ([0-9.e+]+).*/\1/p' <<<"$theirs")
  if [ -n "$a" ] && [ -n "$b" ]; then
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / (b / 1e6) }')
    ratios+=("$a $(awk -v b="$b" 'BEGIN { printf "%.2f", b / 1e6 }') $ratio")
    echo "   round $r: tsdb4j $a M/s, prometheus $(awk -v b="$b" 'BEGIN { printf "%.2f", b / 1e6 }') M/s, ratio ${ratio}x"
  fi
done
# Summary: medians and the spread of the per-round ratios (each round runs both back to back).
if [ "${#ratios[@]}" -gt 0 ]; then
  printf '%s\n' "${ratios[@]}" | python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
r = sorted(x[2] for x in rows)
print(f"== {len(rows)} rounds: tsdb4j median {statistics.median(x[0] for x in rows):.1f} M/s, prometheus median "
      f"{statistics.median(x[1] for x in rows):.1f} M/s, ratio {r[0]:.2f}-{r[-1]:.2f}x, median {statistics.median(r):.2f}x, "
      f"{sum(1 for x in r if x < 2)} below 2x")'
fi
