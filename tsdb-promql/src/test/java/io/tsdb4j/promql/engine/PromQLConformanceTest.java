package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.ast.AggregateExpr;
import io.tsdb4j.promql.ast.AtModifier;
import io.tsdb4j.promql.ast.BinaryExpr;
import io.tsdb4j.promql.ast.Call;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.MatrixSelector;
import io.tsdb4j.promql.ast.ParenExpr;
import io.tsdb4j.promql.ast.SubqueryExpr;
import io.tsdb4j.promql.ast.UnaryExpr;
import io.tsdb4j.promql.ast.VectorSelector;
import io.tsdb4j.promql.parser.PromQLParser;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Sample;
import io.tsdb4j.promql.value.Scalar;
import io.tsdb4j.promql.value.Series;
import io.tsdb4j.promql.value.Value;
import io.tsdb4j.promql.value.Vector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs Prometheus 2.42's own PromQL test files (promql/testdata/*.test, copied to shared/promql-testdata) against
 * the engine, exactly as Prometheus's harness does: each eval as an instant query, as a range query around the
 * eval time, and again with {@code @} pinned on every selector at several other evaluation times.
 */
class PromQLConformanceTest {
    private static final Set<String> AT_UNSAFE = StepInvariance.AT_MODIFIER_UNSAFE;

    /**
     * Fresh empty storage for each file and after each {@code clear}: the real database (its head, WAL and
     * querier), or with {@code -Dpromql.storage=memory} the engine tests' in-memory store.
     */
    static TestStorage newStorage() {
        return "memory".equals(System.getProperty("promql.storage")) ? new MemStorage() : new TsdbStorage();
    }

    static Path testdataDir() {
        String prop = System.getProperty("promql.testdata");
        if (prop != null) return Paths.get(prop);
        Path p = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 5 && p != null; i++, p = p.getParent()) {
            Path c = p.resolve("shared/promql-testdata");
            if (Files.isDirectory(c)) return c;
            c = p.resolve("../shared/promql-testdata").normalize();
            if (Files.isDirectory(c)) return c;
        }
        return Paths.get("/work/shared/promql-testdata");
    }

    private static final class FileStats {
        int passed, failed, skipped;
    }

    @Test
    void prometheusTestFiles() throws IOException {
        Path dir = testdataDir();
        assertTrue(Files.isDirectory(dir), "PromQL test data not found at " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".test")).sorted().toList();
        }
        assertTrue(!files.isEmpty(), "no .test files in " + dir);
        Map<String, FileStats> stats = new java.util.LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            FileStats st = new FileStats();
            stats.put(f.getFileName().toString(), st);
            String text = Files.readString(f, StandardCharsets.UTF_8);
            List<PromQLTestScript.Command> cmds = PromQLTestScript.parse(text);
            TestStorage storage = newStorage();
            Engine engine = newEngine();
            for (PromQLTestScript.Command c : cmds) {
                if (c instanceof PromQLTestScript.Clear) {
                    storage.close();
                    storage = newStorage();
                    engine = newEngine();
                } else if (c instanceof PromQLTestScript.Load load) {
                    storage.load(load.series());
                } else if (c instanceof PromQLTestScript.Eval ev) {
                    if (isNativeHistogram(ev)) {
                        st.skipped++;
                        continue;
                    }
                    String err;
                    try {
                        err = runEval(engine, storage, ev);
                    } catch (RuntimeException | StackOverflowError e) {
                        err = "unexpected " + e;
                    }
                    if (err == null) {
                        st.passed++;
                    } else {
                        st.failed++;
                        failures.add(f.getFileName() + ":" + ev.line() + ": " + ev.expr() + "\n      " + err);
                    }
                }
            }
            storage.close();
        }
        int passed = 0, failed = 0, skipped = 0;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-22s %7s %7s %7s%n", "file", "passed", "failed", "skipped"));
        for (Map.Entry<String, FileStats> e : stats.entrySet()) {
            FileStats s = e.getValue();
            sb.append(String.format("%-22s %7d %7d %7d%n", e.getKey(), s.passed, s.failed, s.skipped));
            passed += s.passed;
            failed += s.failed;
            skipped += s.skipped;
        }
        for (String fl : failures) sb.append("FAIL ").append(fl).append('\n');
        sb.append("(skipped = native-histogram eval statements)\n");
        sb.append(String.format("PromQL conformance: %d passed, %d failed, %d skipped", passed, failed, skipped));
        System.out.println(sb);
        assertEquals(0, failed, failed + " PromQL conformance failures:\n" + String.join("\n", failures));
    }

    private static Engine newEngine() {
        return new Engine(new EngineOptions(Duration.ofMinutes(5), 10_000, Duration.ofSeconds(100), 60_000));
    }

    /** Native-histogram statements use {{...}} literals; none exist at v2.42, but newer files would have them. */
    private static boolean isNativeHistogram(PromQLTestScript.Eval ev) {
        return ev.expr().contains("{{");
    }

    private record Case(String expr, long time) {}

    /** Runs one eval statement; returns null on success or a description of the first mismatch. */
    static String runEval(Engine engine, TestStorage storage, PromQLTestScript.Eval ev) {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(ev.expr(), ev.time()));
        cases.addAll(atModifierCases(ev.expr(), ev.time()));
        for (Case c : cases) {
            Value res;
            try {
                res = engine.instantQuery(storage, c.expr, c.time).value();
            } catch (PromQLException e) {
                if (ev.fail()) continue;
                return "error evaluating " + c.expr + " at " + c.time + ": " + e.getMessage();
            }
            if (ev.fail()) return "expected error evaluating " + c.expr + " at " + c.time + " but got none";
            String cmp = compare(ev, res, false);
            if (cmp != null) return "at " + c.time + " " + c.expr + ": " + cmp;
            Value range;
            try {
                range = engine.rangeQuery(storage, c.expr, c.time - 60_000, c.time + 60_000, 60_000).value();
            } catch (PromQLException e) {
                return "error evaluating " + c.expr + " in range mode at " + c.time + ": " + e.getMessage();
            }
            if (ev.ordered()) continue;
            List<Sample> atT = new ArrayList<>();
            for (Series s : ((Matrix) range).series()) {
                int i = s.indexOf(c.time);
                if (i >= 0) atT.add(new Sample(s.metric(), c.time, s.value(i)));
            }
            Value fromRange = res instanceof Scalar
                    ? (atT.isEmpty() ? new Vector(List.of()) : new Scalar(c.time, atT.get(0).v()))
                    : new Vector(atT);
            cmp = compare(ev, fromRange, true);
            if (cmp != null) return "at " + c.time + " " + c.expr + " (range mode): " + cmp;
        }
        return null;
    }

    private static String compare(PromQLTestScript.Eval ev, Value res, boolean rangeMode) {
        if (res instanceof Matrix) return "received range result on instant evaluation";
        if (res instanceof Scalar s) {
            if (ev.scalar() == null) return "expected vector, got scalar " + s.v();
            if (!almostEqual(ev.scalar(), s.v())) return "expected scalar " + ev.scalar() + " but got " + s.v();
            return null;
        }
        if (!(res instanceof Vector vec)) return "unexpected result type " + res.type();
        if (ev.scalar() != null) return "expected scalar " + ev.scalar() + " but got vector " + vec.samples();
        Map<Labels, PromQLTestScript.Expected> exp = new HashMap<>();
        for (PromQLTestScript.Expected e : ev.expected()) exp.put(e.labels(), e);
        Set<Labels> seen = new HashSet<>();
        for (int pos = 0; pos < vec.size(); pos++) {
            Sample s = vec.get(pos);
            PromQLTestScript.Expected e = exp.get(s.metric());
            if (e == null) return "unexpected metric " + s.metric() + " in result " + vec.samples();
            if (ev.ordered() && !rangeMode && e.pos() != pos + 1) {
                return "expected metric " + s.metric() + " at position " + e.pos() + " but was at " + (pos + 1);
            }
            if (!almostEqual(e.value(), s.v())) {
                return "expected " + e.value() + " for " + s.metric() + " but got " + s.v();
            }
            seen.add(s.metric());
        }
        for (PromQLTestScript.Expected e : ev.expected()) {
            if (!seen.contains(e.labels())) {
                return "expected metric " + e.labels() + " with " + e.value() + " not found in " + vec.samples();
            }
        }
        return null;
    }

    private static final double MIN_NORMAL = 2.2250738585072014e-308;

    static boolean almostEqual(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || diff < MIN_NORMAL) return diff < 1e-6 * MIN_NORMAL;
        return diff / (Math.abs(a) + Math.abs(b)) < 1e-6;
    }

    // ---- @ re-evaluation, as Prometheus's harness does it.

    private static List<Case> atModifierCases(String exprText, long ts) {
        Expr expr = PromQLParser.parse(exprText);
        boolean[] unsafe = {false};
        Expr rewritten = pinAt(expr, ts, unsafe);
        if (unsafe[0]) return List.of();
        String text = rewritten.toString();
        long[] times = ts == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * ts, 0, ts / 5, ts, 10 * ts};
        List<Case> out = new ArrayList<>();
        for (long t : times) out.add(new Case(text, t));
        return out;
    }

    /** Sets {@code @ ts} on every selector and subquery outside subqueries that lacks one; notes @-unsafe calls. */
    private static Expr pinAt(Expr e, long ts, boolean[] unsafe) {
        if (e instanceof VectorSelector vs) {
            return vs.timestampMillis() == null ? vs.withAt(ts, AtModifier.NONE) : vs;
        }
        if (e instanceof MatrixSelector ms) {
            return new MatrixSelector((VectorSelector) pinAt(ms.vs(), ts, unsafe), ms.rangeMillis(), ms.pos());
        }
        if (e instanceof SubqueryExpr sq) {
            return sq.timestampMillis() == null ? sq.withAt(ts, AtModifier.NONE) : sq;
        }
        if (e instanceof Call c) {
            if (AT_UNSAFE.contains(c.func().name())) unsafe[0] = true;
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) args.add(pinAt(a, ts, unsafe));
            return new Call(c.func(), args, c.pos());
        }
        if (e instanceof AggregateExpr a) {
            return new AggregateExpr(a.op(), pinAt(a.expr(), ts, unsafe),
                    a.param() == null ? null : pinAt(a.param(), ts, unsafe), a.grouping(), a.without(), a.pos());
        }
        if (e instanceof BinaryExpr b) {
            return new BinaryExpr(b.op(), pinAt(b.lhs(), ts, unsafe), pinAt(b.rhs(), ts, unsafe), b.matching(),
                    b.returnBool(), b.pos());
        }
        if (e instanceof ParenExpr p) return new ParenExpr(pinAt(p.expr(), ts, unsafe), p.pos());
        if (e instanceof UnaryExpr u) return new UnaryExpr(u.op(), pinAt(u.expr(), ts, unsafe), u.pos());
        return e;
    }
}
