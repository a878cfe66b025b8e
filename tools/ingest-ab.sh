#!/usr/bin/env bash
# A/B of the embedded ingest benchmark: runs IngestBench from two or more benchmark jars, alternating, N times each,
# and prints each jar's ingest times with their median, mean and standard deviation. This machine's speed drifts
# by 20-30 % within an hour, so only alternating runs compare; differences under ~5 % need 16+ runs each.
# Usage: [JAVA=/path/to/java] tools/ingest-ab.sh N JAR_A JAR_B [JAR...] [-- INGESTBENCH_ARGS...]
#   e.g. cp tsdb-bench/target/benchmarks.jar /tmp/a.jar; (change, rebuild); tools/ingest-ab.sh 16 /tmp/a.jar tsdb-bench/target/benchmarks.jar
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1; shift
jars=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do jars+=("$1"); shift; done
[ $# -gt 0 ] && shift
java=${JAVA:-java}
series=../shared/data/20kseries.json
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for i in $(seq 1 "$n"); do
  for j in "${jars[@]}"; do
    d=$(mktemp -d)
    s=$("$java" -Xmx512m -cp "$j" io.tsdb4j.bench.IngestBench "$series" --out "$d/t" "$@" \
      | sed -nE 's/^ingestion completed: .* in ([0-9.]+) s .*/\1/p')
    rm -rf "$d"
    echo "run $i $j: $s s"
    echo "$j $s" >> "$results"
  done
done
python3 - "$results" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    jar, s = line.split()
    runs.setdefault(jar, []).append(float(s))
for jar, v in runs.items():
    sd = statistics.stdev(v) if len(v) > 1 else 0.0
    print(f"{jar}: median {statistics.median(v):.3f} s, mean {statistics.mean(v):.3f} s, sd {sd:.3f} over {len(v)} runs")
EOF
