#!/usr/bin/env bash
# Where the JIT spends a short ingest run: runs IngestBench N times with JFR recording every compilation and
# deoptimization, and prints per method the C2 (tier 4) compile time and count inside the timed window, averaged
# over the runs, then the deoptimizations of tsdb4j code with the compiled unit each one threw away.
# Usage: [JAVA=/path/to/java] tools/ingest-jit.sh [N] [JAR]    (defaults: 3, tsdb-bench/target/benchmarks.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
jar=${2:-tsdb-bench/target/benchmarks.jar}
java=${JAVA:-java}
jfr=$(dirname "$(readlink -f "$(command -v "$java")")")/jfr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/jit.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.Compilation"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.Deoptimization"><setting name="enabled">true</setting><setting name="stackTrace">false</setting></event>
</configuration>
EOF
for i in $(seq 1 "$n"); do
  "$java" -Dbench.rounds=true -XX:StartFlightRecording=settings="$work/jit.jfc",filename="$work/$i.jfr" -Xmx512m \
    -cp "$jar" io.tsdb4j.bench.IngestBench ../shared/data/20kseries.json --out "$work/data$i" 2>/dev/null \
    | grep -E "^start|^ingestion" > "$work/$i.out"
  grep ingestion "$work/$i.out"
  "$jfr" print --events jdk.Compilation --json "$work/$i.jfr" > "$work/$i.comp.json"
  "$jfr" print --events jdk.Deoptimization --json "$work/$i.jfr" > "$work/$i.deopt.json"
  rm -rf "$work/data$i" "$work/$i.jfr"
done
python3 - "$work" "$n" <<'EOF'
import collections, json, sys
work, n = sys.argv[1], int(sys.argv[2])

def seconds(d):  # JFR durations print as ISO-8601, e.g. PT0.0123S
    return float(d[2:-1]) if d.startswith("PT") and d.endswith("S") and "M" not in d else 0.0

c2 = collections.defaultdict(lambda: [0.0, 0])
c1_total = c2_total = 0.0
deopts = collections.Counter()
for i in range(1, n + 1):
    start = next(l.split()[1] for l in open(f"{work}/{i}.out") if l.startswith("start"))[11:23]
    units = {}
    for e in json.load(open(f"{work}/{i}.comp.json"))["recording"]["events"]:
        v = e["values"]
        m = v["method"]
        name = m["type"]["name"].split("/")[-1] + "." + m["name"] + (" (OSR)" if v["isOsr"] else "")
        units[v["compileId"]] = name
        if v["startTime"][11:23] < start:
            continue
        if v["compileLevel"] == 4:
            c2[name][0] += seconds(v["duration"])
            c2[name][1] += 1
            c2_total += seconds(v["duration"])
        else:
            c1_total += seconds(v["duration"])
    for e in json.load(open(f"{work}/{i}.deopt.json"))["recording"]["events"]:
        v = e["values"]
        m = v["method"]
        if "tsdb4j" not in m["type"]["name"] or v["startTime"][11:23] < start:
            continue
        where = m["type"]["name"].split("/")[-1] + "." + m["name"] + ":" + str(v["lineNumber"])
        deopts[(units.get(v["compileId"], "?"), where, v["reason"])] += 1
print(f"in the timed window, per run: C2 {c2_total * 1000 / n:.0f} ms, C1 {c1_total * 1000 / n:.0f} ms")
print("C2 per method (ms per run, compiles per run):")
for name, (d, k) in sorted(c2.items(), key=lambda x: -x[1][0])[:30]:
    print(f"  {d * 1000 / n:7.1f} ms  {k / n:4.1f}x  {name}")
print("deoptimizations of tsdb4j code (per run): compiled unit thrown away <- trap site, reason")
for (unit, where, reason), k in deopts.most_common(20):
    print(f"  {k / n:4.1f}  {unit} <- {where} {reason}")
EOF
