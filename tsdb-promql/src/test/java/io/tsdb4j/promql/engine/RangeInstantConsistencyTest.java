package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.parser.PromQLParser;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Sample;
import io.tsdb4j.promql.value.Series;
import io.tsdb4j.promql.value.Value;
import io.tsdb4j.promql.value.Vector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A range query must give, at every step, what an instant query at that step gives. Checked for every expression
 * of the Prometheus test files over 21 steps of 30s around the eval time (the Prometheus harness only checks the
 * middle of three 1m steps), which exercises the multi-step paths: selector lookback per step, sliding windows,
 * subquery alignment and step-invariant replication.
 */
class RangeInstantConsistencyTest {
    @Test
    void rangeQueriesAgreeWithInstantQueriesAtEveryStep() throws IOException {
        Path dir = PromQLConformanceTest.testdataDir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".test")).sorted().toList();
        }
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Path f : files) {
            TestStorage storage = PromQLConformanceTest.newStorage();
            Engine engine = new Engine();
            for (PromQLTestScript.Command c : PromQLTestScript.parse(Files.readString(f, StandardCharsets.UTF_8))) {
                if (c instanceof PromQLTestScript.Clear) {
                    storage.close();
                    storage = PromQLConformanceTest.newStorage();
                } else if (c instanceof PromQLTestScript.Load load) {
                    storage.load(load.series());
                } else if (c instanceof PromQLTestScript.Eval ev && !ev.fail()) {
                    ValueType type = PromQLParser.parse(ev.expr()).type();
                    if (type != ValueType.VECTOR && type != ValueType.SCALAR) continue;
                    String m = check(engine, storage, ev.expr(), ev.time() - 300_000, ev.time() + 300_000, 30_000);
                    checked++;
                    if (m != null) mismatches.add(f.getFileName() + ":" + ev.line() + ": " + ev.expr() + ": " + m);
                }
            }
            storage.close();
        }
        System.out.println("range/instant consistency: " + checked + " expressions, " + mismatches.size() + " mismatches");
        assertEquals(List.of(), mismatches);
    }

    private static String check(Engine engine, TestStorage storage, String expr, long start, long end, long step) {
        Matrix range;
        try {
            range = engine.rangeQuery(storage, expr, start, end, step).matrix();
        } catch (PromQLException e) {
            return "range query failed: " + e.getMessage();
        }
        Map<Long, Map<Labels, Double>> byStep = new HashMap<>();
        for (Series s : range.series()) {
            for (int i = 0; i < s.size(); i++) {
                byStep.computeIfAbsent(s.timestamp(i), k -> new HashMap<>()).put(s.metric(), s.value(i));
            }
        }
        for (long t = start; t <= end; t += step) {
            Value v;
            try {
                v = engine.instantQuery(storage, expr, t).value();
            } catch (PromQLException e) {
                return "instant query at " + t + " failed: " + e.getMessage();
            }
            Map<Labels, Double> want = new HashMap<>();
            if (v instanceof Vector vec) {
                for (Sample s : vec.samples()) want.put(s.metric(), s.v());
            } else {
                want.put(Labels.EMPTY, ((io.tsdb4j.promql.value.Scalar) v).v());
            }
            Map<Labels, Double> got = byStep.getOrDefault(t, Map.of());
            if (!want.keySet().equals(got.keySet())) return "at " + t + ": instant " + want + " vs range " + got;
            for (Map.Entry<Labels, Double> e : want.entrySet()) {
                if (!PromQLConformanceTest.almostEqual(e.getValue(), got.get(e.getKey()))) {
                    return "at " + t + ": instant " + want + " vs range " + got;
                }
            }
        }
        return null;
    }
}
