#!/usr/bin/env bash
# Resident memory side by side (issue 3): one 2h block of BLOCK_SERIES series plus HEAD_SERIES active series in the
# head; `tsdb4j serve` and Prometheus 2.42 on copies of the same directory, up at the same time, two rounds of four
# instant queries (alternating which server answers first). RSS from /proc/PID/status. See docs/benchmarks.md.
# Usage: tools/bench-rss.sh [BLOCK_SERIES] [HEAD_SERIES]   (build first: mvn -o -q package -DskipTests)
# The server's JVM options come from TSDB4J_JAVA_OPTS, as with bin/tsdb4j.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/tsdb-bench/target/benchmarks.jar"
block_series="${1:-1000000}"
head_series="${2:-100000}"
work="${BENCH_WORK:-/tmp/tsdb4j-bench-rss}"
. "$root/tools/bench-lib.sh"

rm -rf "$work" && mkdir -p "$work"
java -Xmx3g -cp "$jar" io.tsdb4j.bench.RssCompare gen "$work/data" "$block_series" "$head_series"
b=$(cat "$work/data.info")
start=$(date +%s.%N)
TSDB4J_JAVA_OPTS="${TSDB4J_JAVA_OPTS:-}" start_servers "$work" "$root/bin/tsdb4j"
# bin/tsdb4j execs java, so $spid is the JVM.
declare -A pid=([prometheus]=$ppid [tsdb4j]=$spid) url=([prometheus]="http://127.0.0.1:$pport" [tsdb4j]="http://127.0.0.1:$sport")
for s in prometheus tsdb4j; do
  wait_ready "${url[$s]}" 600
  printf '%-10s ready after %.1f s, RSS %s MB\n' "$s" "$(echo "$(date +%s.%N) - $start" | bc)" "$(rss "${pid[$s]}" VmRSS)"
done
tb=$(( (b + 2 * 3600 * 1000 - 60000) / 1000 ))   # inside the block
th=$(( (b + 2 * 3600 * 1000 + 29 * 60000) / 1000 )) # inside the head's 30 minutes
queries=("count(blk)@$tb" "sum by (job) (rate(blk[5m]))@$tb" "sum by (job) (rate(act[5m]))@$th" "count(act)@$th")
for round in 1 2; do
  order=(prometheus tsdb4j); [ "$round" = 2 ] && order=(tsdb4j prometheus)
  for q in "${queries[@]}"; do
    for s in "${order[@]}"; do
      out=$(curl -s -o "$work/answer" -w '%{http_code} %{time_total}' --data-urlencode "query=${q%@*}" \
        --data-urlencode "time=${q##*@}" "${url[$s]}/api/v1/query")
      printf 'round %s %-10s %-32s HTTP %s in %s s: %s\n' "$round" "$s" "${q%@*}" "${out% *}" "${out#* }" "$(head -c 160 "$work/answer")"
    done
  done
done
for s in prometheus tsdb4j; do
  printf '%-10s RSS after queries %s MB, peak (VmHWM) %s MB\n' "$s" "$(rss "${pid[$s]}" VmRSS)" "$(rss "${pid[$s]}" VmHWM)"
done
