package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Sample;
import io.tsdb4j.promql.value.Series;
import io.tsdb4j.promql.value.Vector;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A range query evaluates aggregations series by series and range functions over windows that slide with the
 * steps, while an instant query evaluates one step; both must give the same bits at every step. Random data with
 * gaps, NaN, infinities, -0.0, counter resets and stale markers, random groupings. Aggregations are only
 * applied to inputs that list their series in label order at every step (selectors, range functions): a range
 * query's binary operator lists its output series in order of first appearance, so summing them can round
 * differently than at an instant query, as in Prometheus (which lists them in Go map order).
 */
class StepwiseEvaluationProperties {
    private static final long STEP = 10_000;
    private static final int STEPS = 40;
    private static final double STALE = Double.longBitsToDouble(Evaluator.STALE_NAN_BITS);
    private static final String[] OPS = {"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"};
    private static final String[] INNER = {"x", "rate(x[1m])", "increase(x[45s])", "irate(x[1m])", "delta(x[1m])",
        "sum_over_time(x[1m])", "max_over_time(x[30s])", "changes(x[2m])", "resets(x[1m])", "deriv(x[1m])",
        "last_over_time(x[1m])", "-x"};
    private static final String[] GROUPINGS = {"", " by (a)", " by (b)", " by (a, b)", " without (a)", " without (i)",
        " by (missing)"};

    @Property(tries = 300)
    void rangeQueryEqualsInstantQueriesBitForBit(@ForAll("cases") Case c) {
        MemStorage storage = new MemStorage();
        storage.load(c.data);
        Engine engine = new Engine();
        Matrix range = engine.rangeQuery(storage, c.expr, 0, STEPS * STEP, STEP).matrix();
        Map<Long, Map<Labels, Long>> got = new HashMap<>();
        for (Series s : range.series()) {
            for (int i = 0; i < s.size(); i++) {
                got.computeIfAbsent(s.timestamp(i), k -> new HashMap<>()).put(s.metric(), bits(s.value(i)));
            }
        }
        for (long t = 0; t <= STEPS * STEP; t += STEP) {
            Map<Labels, Long> want = new HashMap<>();
            for (Sample s : ((Vector) engine.instantQuery(storage, c.expr, t).value()).samples()) {
                want.put(s.metric(), bits(s.v()));
            }
            assertEquals(want, got.getOrDefault(t, Map.of()), c.expr + " at " + t);
        }
    }

    /** The value's bits, with every NaN but the stale marker folded into one. */
    private static long bits(double v) {
        return Double.isNaN(v) ? Double.doubleToLongBits(Double.NaN) : Double.doubleToRawLongBits(v);
    }

    record Case(String expr, Map<Labels, List<double[]>> data) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(expr);
            data.forEach((l, s) -> {
                sb.append("\n  ").append(l).append(':');
                for (double[] p : s) sb.append(' ').append((long) p[0] / 1000).append('=').append(p[1]);
            });
            return sb.toString();
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.randomValue(r -> {
            String expr = OPS[r.nextInt(OPS.length)] + GROUPINGS[r.nextInt(GROUPINGS.length)]
                    + " (" + INNER[r.nextInt(INNER.length)] + ")";
            if (r.nextInt(4) == 0) expr = r.nextBoolean() ? INNER[r.nextInt(INNER.length)] : "x * 2";
            Map<Labels, List<double[]>> data = new LinkedHashMap<>();
            int n = 1 + r.nextInt(10);
            for (int i = 0; i < n; i++) {
                Labels l = Labels.of("__name__", "x", "a", "a" + r.nextInt(3), "b", "b" + r.nextInt(2), "i", "" + i);
                data.put(l, samples(r));
            }
            return new Case(expr, data);
        });
    }

    private static List<double[]> samples(Random r) {
        List<double[]> s = new ArrayList<>();
        double counter = r.nextInt(100);
        int density = 1 + r.nextInt(4);
        for (long t = -60_000; t <= STEPS * STEP; t += 5_000) {
            if (r.nextInt(density + 1) == 0) continue; // gaps
            long ts = t + r.nextInt(3_000);
            double v;
            switch (r.nextInt(12)) {
                case 0: v = Double.NaN; break;
                case 1: v = r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; break;
                case 2: v = -0.0; break;
                case 3: v = STALE; break;
                case 4: counter = r.nextInt(10); v = counter; break; // reset
                case 5: v = (r.nextDouble() - 0.5) * 1e300; break;
                default: counter += r.nextDouble() * 10; v = counter; break;
            }
            s.add(new double[] {ts, v});
        }
        return s;
    }
}
