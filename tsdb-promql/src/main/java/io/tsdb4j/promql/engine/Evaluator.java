package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.ast.AggregateExpr;
import io.tsdb4j.promql.ast.BinaryExpr;
import io.tsdb4j.promql.ast.BinaryOp;
import io.tsdb4j.promql.ast.Call;
import io.tsdb4j.promql.ast.Cardinality;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.MatrixSelector;
import io.tsdb4j.promql.ast.NumberLiteral;
import io.tsdb4j.promql.ast.ParenExpr;
import io.tsdb4j.promql.ast.StringLiteral;
import io.tsdb4j.promql.ast.SubqueryExpr;
import io.tsdb4j.promql.ast.UnaryExpr;
import io.tsdb4j.promql.ast.UnaryOp;
import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.ast.VectorMatching;
import io.tsdb4j.promql.ast.VectorSelector;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an expression at every step {@code start, start+interval, ..., end}. Instant-vector and scalar nodes
 * evaluate to one {@link PointBuffer} per output series holding a point for each step where the series has a
 * value; range-vector nodes (only at the top of an instant query, or as function arguments) to raw points.
 * Mirrors the structure of Prometheus's evaluator so that sample accounting and edge cases agree.
 */
final class Evaluator {
    /** An evaluated instant vector, scalar or range vector. */
    static final class Mat extends ArrayList<PointBuffer> {
        Mat() {}

        Mat(int capacity) {
            super(capacity);
        }
    }

    @FunctionalInterface
    interface Prep {
        Object helper(Labels series);
    }

    @FunctionalInterface
    interface StepFn {
        void apply(StepVector[] in, long ts, StepVector out);
    }

    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    final QueryContext qc;
    final long start;
    final long end;
    final long interval;
    int currentSamples;

    Evaluator(QueryContext qc, long start, long end, long interval, int currentSamples) {
        this.qc = qc;
        this.start = start;
        this.end = end;
        this.interval = interval;
        this.currentSamples = currentSamples;
    }

    static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }

    private int numSteps() {
        if (end < start) return 0;
        return (int) ((end - start) / interval) + 1;
    }

    static Expr unwrapParens(Expr e) {
        while (e instanceof ParenExpr p) e = p.expr();
        return e;
    }

    /** Evaluates a node: a {@link Mat}, or a {@link String} for string literals. */
    Object eval(Expr e) {
        qc.check("expression evaluation");
        if (qc.stepInvariant.contains(e) && !(e instanceof NumberLiteral) && !(e instanceof StringLiteral)) {
            return evalStepInvariant(e);
        }
        return evalNode(e);
    }

    private Object evalStepInvariant(Expr e) {
        Evaluator single = new Evaluator(qc, start, start, interval, currentSamples);
        Object res = single.evalNode(e);
        currentSamples = single.currentSamples;
        if (e instanceof MatrixSelector || e instanceof SubqueryExpr || !(res instanceof Mat mat)) return res;
        if (end == start) return mat;
        for (PointBuffer pb : mat) {
            if (pb.n != 1) throw new IllegalStateException("unexpected number of samples in step-invariant result");
            double v = pb.v[0];
            for (long ts = start + interval; ts <= end; ts += interval) {
                pb.add(ts, v);
                currentSamples++;
                if (currentSamples > qc.maxSamples) throw PromQLException.tooManySamples();
            }
        }
        return mat;
    }

    private Object evalNode(Expr e) {
        if (e instanceof ParenExpr p) return eval(p.expr());
        if (e instanceof NumberLiteral n) {
            double v = n.value();
            return rangeEval(null, (in, ts, out) -> out.add(Labels.EMPTY, v));
        }
        if (e instanceof StringLiteral s) return s.value();
        if (e instanceof VectorSelector vs) return vectorSelector(vs);
        if (e instanceof MatrixSelector ms) {
            if (start != end) throw new PromQLException(PromQLException.ErrorType.INTERNAL,
                    "cannot do range evaluation of matrix selector");
            return matrixSelector(ms);
        }
        if (e instanceof SubqueryExpr sq) return subquery(sq);
        if (e instanceof UnaryExpr u) return unary(u);
        if (e instanceof BinaryExpr b) return binary(b);
        if (e instanceof AggregateExpr a) return aggregate(a);
        if (e instanceof Call c) return call(c);
        throw new IllegalStateException("unhandled expression " + e.getClass().getSimpleName());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Step-wise evaluation of instant-vector operations.

    /**
     * Evaluates the arguments over the whole range, then calls {@code fn} once per step with each argument's
     * samples at that step, and collects the outputs into series.
     */
    Mat rangeEval(Prep prep, StepFn fn, Expr... exprs) {
        int steps = numSteps();
        int originalSamples = currentSamples;
        Mat[] mats = new Mat[exprs.length];
        for (int i = 0; i < exprs.length; i++) {
            if (exprs[i] != null && exprs[i].type() != ValueType.STRING) mats[i] = (Mat) eval(exprs[i]);
        }
        Object[][] helpers = new Object[exprs.length][];
        int[][] cursors = new int[exprs.length][];
        StepVector[] vecs = new StepVector[exprs.length];
        for (int i = 0; i < exprs.length; i++) {
            vecs[i] = new StepVector();
            if (mats[i] == null) continue;
            cursors[i] = new int[mats[i].size()];
            if (prep != null) {
                helpers[i] = new Object[mats[i].size()];
                for (int s = 0; s < mats[i].size(); s++) helpers[i][s] = prep.helper(mats[i].get(s).metric);
            }
        }
        StepVector out = new StepVector();
        Map<Labels, PointBuffer> series = new LinkedHashMap<>();
        int tempSamples = currentSamples;
        for (long ts = start; ts <= end; ts += interval) {
            qc.check("expression evaluation");
            currentSamples = tempSamples;
            for (int i = 0; i < exprs.length; i++) {
                StepVector vec = vecs[i];
                vec.clear();
                Mat m = mats[i];
                if (m == null) continue;
                int[] cur = cursors[i];
                for (int s = 0; s < m.size(); s++) {
                    PointBuffer pb = m.get(s);
                    int c = cur[s];
                    if (c < pb.n && pb.t[c] == ts) {
                        if (currentSamples >= qc.maxSamples) throw PromQLException.tooManySamples();
                        vec.add(pb.metric, ts, pb.v[c], helpers[i] == null ? null : helpers[i][s]);
                        cur[s] = c + 1;
                        currentSamples++;
                    }
                }
            }
            out.clear();
            fn.apply(vecs, ts, out);
            if (out.containsSameLabelset()) {
                throw PromQLException.execution("vector cannot contain metrics with the same labelset");
            }
            currentSamples += out.n;
            tempSamples += out.n;
            if (currentSamples > qc.maxSamples) throw PromQLException.tooManySamples();
            if (start == end) {
                Mat res = new Mat(out.n);
                for (int k = 0; k < out.n; k++) {
                    PointBuffer pb = new PointBuffer(out.metric[k], 1);
                    pb.add(ts, out.v[k]);
                    res.add(pb);
                }
                currentSamples = originalSamples + out.n;
                return res;
            }
            for (int k = 0; k < out.n; k++) {
                PointBuffer pb = series.get(out.metric[k]);
                if (pb == null) {
                    pb = new PointBuffer(out.metric[k], Math.min(steps, 64));
                    series.put(out.metric[k], pb);
                }
                pb.add(ts, out.v[k]);
            }
        }
        Mat res = new Mat(series.size());
        int total = 0;
        for (PointBuffer pb : series.values()) {
            res.add(pb);
            total += pb.n;
        }
        currentSamples = originalSamples + total;
        return res;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Selectors.

    private Mat vectorSelector(VectorSelector vs) {
        Long at = qc.at(vs);
        long offset = vs.originalOffsetMillis();
        int steps = numSteps();
        Mat mat = new Mat();
        qc.forEachSeries(vs, false, s -> {
            PointBuffer pb = null;
            for (long ts = start; ts <= end; ts += interval) {
                int i = lookup(s, (at != null ? at : ts) - offset);
                if (i < 0) continue;
                if (currentSamples >= qc.maxSamples) throw PromQLException.tooManySamples();
                if (pb == null) pb = new PointBuffer(s.metric, steps); // at most one point per step
                pb.add(ts, s.v[i]);
                currentSamples++;
            }
            if (pb != null) mat.add(pb);
        });
        return mat;
    }

    /** Index of the sample an instant selector sees at {@code refTime}, or -1 (none within lookback, or stale). */
    private int lookup(PointBuffer s, long refTime) {
        int i = s.lastAtOrBefore(refTime);
        if (i < 0 || s.t[i] < refTime - qc.lookbackMillis || isStale(s.v[i])) return -1;
        return i;
    }

    /** The selector's samples at one step, with their own timestamps (for {@code timestamp()}). */
    private void vectorSelectorAt(VectorSelector vs, long ts, StepVector out) {
        Long at = qc.at(vs);
        long ref = (at != null ? at : ts) - vs.originalOffsetMillis();
        for (PointBuffer s : qc.series(vs)) {
            int i = lookup(s, ref);
            if (i < 0) continue;
            out.add(s.metric, s.t[i], s.v[i], null);
            currentSamples++;
            if (currentSamples > qc.maxSamples) throw PromQLException.tooManySamples();
        }
    }

    private Mat matrixSelector(MatrixSelector ms) {
        VectorSelector vs = ms.vs();
        Long at = qc.at(vs);
        long maxt = (at != null ? at : start) - vs.originalOffsetMillis();
        long mint = maxt - ms.rangeMillis();
        Mat mat = new Mat();
        qc.forEachSeries(vs, true, s -> {
            int from = s.firstAtOrAfter(mint), to = from;
            while (to < s.n && s.t[to] <= maxt) to++;
            if (to == from) return;
            if (currentSamples + (to - from) > qc.maxSamples) throw PromQLException.tooManySamples();
            currentSamples += to - from;
            PointBuffer pb = new PointBuffer(s.metric, to - from);
            System.arraycopy(s.t, from, pb.t, 0, to - from);
            System.arraycopy(s.v, from, pb.v, 0, to - from);
            pb.n = to - from;
            mat.add(pb);
        });
        return mat;
    }

    private Mat subquery(SubqueryExpr sq) {
        long offset = sq.originalOffsetMillis();
        long range = sq.rangeMillis();
        Long at = qc.at(sq);
        long outerStart = at != null ? at : start;
        long outerEnd = at != null ? at : end;
        long step = sq.stepMillis() != 0 ? sq.stepMillis() : qc.noStepSubqueryIntervalMillis;
        long first = outerStart - offset - range;
        // Inner steps are aligned to multiples of the step (absolute time), starting at or after `first`.
        long innerStart = -Math.floorDiv(-first, step) * step;
        Evaluator inner = new Evaluator(qc, innerStart, outerEnd - offset, step, currentSamples);
        Mat res = (Mat) inner.eval(sq.expr());
        currentSamples = inner.currentSamples;
        return res;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operators.

    private Mat unary(UnaryExpr u) {
        Mat mat = (Mat) eval(u.expr());
        if (u.op() == UnaryOp.SUB) {
            for (PointBuffer pb : mat) {
                pb.metric = pb.metric.withoutMetricName();
                for (int i = 0; i < pb.n; i++) pb.v[i] = -pb.v[i];
            }
            checkDistinct(mat);
        }
        return mat;
    }

    private static void checkDistinct(Mat mat) {
        if (mat.size() < 2) return;
        Set<Labels> seen = new HashSet<>(mat.size() * 2);
        for (PointBuffer pb : mat) {
            if (!seen.add(pb.metric)) {
                throw PromQLException.execution("vector cannot contain metrics with the same labelset");
            }
        }
    }

    private Mat binary(BinaryExpr b) {
        ValueType lt = b.lhs().type(), rt = b.rhs().type();
        BinaryOp op = b.op();
        if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            return rangeEval(null, (in, ts, out) ->
                    out.add(Labels.EMPTY, Operators.scalarBinop(op, in[0].v[0], in[1].v[0])), b.lhs(), b.rhs());
        }
        if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
            VectorMatching m = b.matching() != null ? b.matching() : new VectorMatching(
                    op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE, List.of(), false, List.of());
            Prep sig = Operators.signature(m.on(), m.matchingLabels());
            switch (op) {
                case LAND:
                    return rangeEval(sig, (in, ts, out) -> Operators.and(in[0], in[1], out), b.lhs(), b.rhs());
                case LOR:
                    return rangeEval(sig, (in, ts, out) -> Operators.or(in[0], in[1], out), b.lhs(), b.rhs());
                case LUNLESS:
                    return rangeEval(sig, (in, ts, out) -> Operators.unless(in[0], in[1], out), b.lhs(), b.rhs());
                default:
                    Operators.VectorBinop vb = new Operators.VectorBinop(op, m, b.returnBool());
                    return rangeEval(sig, (in, ts, out) -> vb.apply(in[0], in[1], out), b.lhs(), b.rhs());
            }
        }
        NameDropper names = new NameDropper();
        if (lt == ValueType.VECTOR && rt == ValueType.SCALAR) {
            return rangeEval(null, (in, ts, out) ->
                    Operators.vectorScalar(op, in[0], in[1].v[0], false, b.returnBool(), names, out), b.lhs(), b.rhs());
        }
        if (lt == ValueType.SCALAR && rt == ValueType.VECTOR) {
            return rangeEval(null, (in, ts, out) ->
                    Operators.vectorScalar(op, in[1], in[0].v[0], true, b.returnBool(), names, out), b.lhs(), b.rhs());
        }
        throw new PromQLException(PromQLException.ErrorType.BAD_DATA,
                "binary expression must contain only scalar and instant vector types");
    }

    private Mat aggregate(AggregateExpr a) {
        List<String> grouping = new ArrayList<>(a.grouping());
        grouping.sort(Labels::compareUtf8);
        Aggregations agg = new Aggregations(a.op(), grouping, a.without());
        Prep key = agg.groupingKey();
        if (a.param() == null && start != end && agg.accumulatesBySeries()) return aggregateBySeries(a, agg, key);
        Expr param = a.param() == null ? null : unwrapParens(a.param());
        if (param instanceof StringLiteral s) {
            String label = s.value();
            return rangeEval(key, (in, ts, out) -> agg.apply(in[0], 0, label, out), a.expr());
        }
        return rangeEval(key, (in, ts, out) -> agg.apply(in[1], a.param() != null ? in[0].v[0] : 0, null, out),
                a.param(), a.expr());
    }

    /**
     * A range query's aggregation computed series by series (see {@link Aggregations.BySeries}), with the output
     * series in the order and the sample accounting of {@link #rangeEval}. A range function's output is consumed
     * as each series is computed, so it is never held for all series at once.
     */
    private Mat aggregateBySeries(AggregateExpr a, Aggregations agg, Prep key) {
        int originalSamples = currentSamples;
        SeriesMajorAggregation out = new SeriesMajorAggregation(agg, key);
        Expr in = unwrapParens(a.expr());
        int matrixIdx = in instanceof Call c ? matrixArg(c) : -1;
        if (matrixIdx >= 0 && !qc.stepInvariant.contains(a.expr()) && !qc.stepInvariant.contains(in)
                && !((Call) in).func().name().equals("absent_over_time")) {
            Set<Labels> distinct = new HashSet<>();
            callOverRange((Call) in, matrixIdx, pb -> {
                if (!distinct.add(pb.metric)) {
                    throw PromQLException.execution("vector cannot contain metrics with the same labelset");
                }
                out.visit(pb);
            });
        } else {
            for (PointBuffer pb : (Mat) eval(a.expr())) out.visit(pb);
        }
        return out.finish(originalSamples);
    }

    /** The state of {@link #aggregateBySeries}: input series are visited in order, each once. */
    private final class SeriesMajorAggregation implements QueryContext.SeriesVisitor {
        private final Prep key;
        private final int steps = numSteps();
        private final Aggregations.BySeries acc;
        private final int[] inputAtStep = new int[steps];
        private final List<KeyInterner.Key> groups = new ArrayList<>(); // by key id
        // The output is ordered like rangeEval's: by the first step with a value, then by the input position of
        // the group's first series at that step.
        private int[] firstStep = new int[16];
        private int[] firstSeries = new int[16];
        private int position;

        SeriesMajorAggregation(Aggregations agg, Prep key) {
            this.key = key;
            this.acc = agg.new BySeries(steps);
        }

        @Override
        public void visit(PointBuffer pb) {
            KeyInterner.Key k = (KeyInterner.Key) key.helper(pb.metric);
            int g = k.id, s = position++;
            if (g == groups.size()) { // ids are dense, in order of first appearance
                groups.add(k);
                if (g == firstStep.length) {
                    firstStep = java.util.Arrays.copyOf(firstStep, g * 2);
                    firstSeries = java.util.Arrays.copyOf(firstSeries, g * 2);
                }
                firstStep[g] = Integer.MAX_VALUE;
            }
            for (int i = 0; i < pb.n; i++) {
                long off = pb.t[i] - start;
                int step = (int) (off / interval);
                if (off % interval != 0) throw new IllegalStateException("aggregation input off the step grid at " + pb.t[i]);
                inputAtStep[step]++;
                acc.add(g, step, pb.v[i]);
                if (step < firstStep[g]) {
                    firstStep[g] = step;
                    firstSeries[g] = s;
                }
            }
        }

        Mat finish(int originalSamples) {
            int groupCount = groups.size();
            int[] outAtStep = new int[steps];
            for (int g = 0; g < groupCount; g++) {
                for (int k = firstStep[g]; k < steps; k++) if (acc.has(g, k)) outAtStep[k]++;
            }
            // Same limit checks as rangeEval: each step holds its input samples plus all output so far.
            int temp = currentSamples, total = 0;
            for (int k = 0; k < steps; k++) {
                if (temp + inputAtStep[k] > qc.maxSamples) throw PromQLException.tooManySamples();
                temp += outAtStep[k];
                total += outAtStep[k];
                if (temp + inputAtStep[k] > qc.maxSamples) throw PromQLException.tooManySamples();
            }
            Integer[] order = new Integer[groupCount];
            int n = 0;
            for (int g = 0; g < groupCount; g++) if (firstStep[g] != Integer.MAX_VALUE) order[n++] = g;
            int[] fs = firstStep, fse = firstSeries;
            java.util.Arrays.sort(order, 0, n, (x, y) -> fs[x] != fs[y]
                    ? Integer.compare(fs[x], fs[y]) : Integer.compare(fse[x], fse[y]));
            Mat res = new Mat(n);
            for (int o = 0; o < n; o++) {
                int g = order[o];
                PointBuffer pb = new PointBuffer(groups.get(g).labels, steps);
                for (int k = firstStep[g]; k < steps; k++) {
                    if (acc.has(g, k)) pb.add(start + k * interval, acc.result(g, k));
                }
                res.add(pb);
            }
            currentSamples = originalSamples + total;
            return res;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Function calls.

    private Mat call(Call c) {
        String name = c.func().name();
        List<Expr> args = c.args();
        if (name.equals("timestamp")) {
            Expr arg = unwrapParens(args.get(0));
            if (arg instanceof VectorSelector vs) {
                StepVector tmp = new StepVector();
                NameDropper names = new NameDropper();
                return rangeEval(null, (in, ts, out) -> {
                    tmp.clear();
                    vectorSelectorAt(vs, ts, tmp);
                    for (int i = 0; i < tmp.n; i++) out.add(names.drop(tmp.metric[i]), tmp.t[i] / 1000.0);
                });
            }
        }
        int matrixIdx = matrixArg(c);
        if (matrixIdx < 0) {
            StepFn fn = InstantFunctions.forCall(c);
            return rangeEval(null, fn, args.toArray(new Expr[0]));
        }
        return callOverRange(c, matrixIdx, null);
    }

    /** Index of the range-vector argument of a call, or -1. */
    private static int matrixArg(Call c) {
        List<Expr> args = c.args();
        for (int i = 0; i < args.size(); i++) {
            Expr a = unwrapParens(args.get(i));
            if (a instanceof MatrixSelector || a instanceof SubqueryExpr) return i;
        }
        return -1;
    }

    /**
     * Evaluates a range-function call. Without a {@code consumer} the output series are collected and returned;
     * with one, each is handed over in a reused buffer and null is returned.
     */
    private Mat callOverRange(Call c, int matrixIdx, QueryContext.SeriesVisitor consumer) {
        String name = c.func().name();
        List<Expr> args = c.args();
        RangeFunctions.RangeFunction fn = RangeFunctions.forName(name);
        if (fn == null) throw new IllegalStateException("function " + name + " does not take a range vector");
        Expr arg = unwrapParens(args.get(matrixIdx));
        // Scalar arguments, one value per step.
        Mat[] other = new Mat[args.size()];
        for (int j = 0; j < args.size(); j++) {
            if (j != matrixIdx && args.get(j).type() != ValueType.STRING) other[j] = (Mat) eval(args.get(j));
        }
        RangeCall call = new RangeCall(fn, other, name.equals("last_over_time"), consumer);
        Mat mat = call.out;
        if (arg instanceof MatrixSelector ms) {
            call.offset = ms.vs().originalOffsetMillis();
            call.range = ms.rangeMillis();
            call.at = qc.at(ms.vs());
            qc.forEachSeries(ms.vs(), true, call::series);
            if (name.equals("absent_over_time")) return absentOverTime(mat, ms.vs());
        } else {
            SubqueryExpr sq = (SubqueryExpr) arg;
            List<PointBuffer> input = subquery(sq);
            int subquerySamples = 0;
            for (PointBuffer pb : input) subquerySamples += pb.n;
            call.offset = sq.originalOffsetMillis();
            call.range = sq.rangeMillis();
            call.at = qc.at(sq);
            for (PointBuffer s : input) call.series(s);
            currentSamples -= subquerySamples;
            if (name.equals("absent_over_time")) return absentOverTime(mat, null);
        }
        if (consumer != null) return null;
        checkDistinct(mat);
        return mat;
    }

    /** One range-function call: applies the function to each input series' window at every step. */
    private final class RangeCall {
        final RangeFunctions.RangeFunction fn;
        final Mat[] scalarArgs;
        final boolean keepName;
        final Window w = new Window();
        final int steps = numSteps();
        final Mat out = new Mat();
        final QueryContext.SeriesVisitor consumer;
        final PointBuffer reused;
        long offset;
        long range;
        Long at;

        RangeCall(RangeFunctions.RangeFunction fn, Mat[] scalarArgs, boolean keepName,
                  QueryContext.SeriesVisitor consumer) {
            this.fn = fn;
            this.scalarArgs = scalarArgs;
            this.keepName = keepName;
            this.consumer = consumer;
            this.reused = consumer == null ? null : new PointBuffer(Labels.EMPTY, steps);
            w.scalarArgs = new double[scalarArgs.length];
        }

        /** {@code s}: the series' points, without stale markers for a matrix selector; not retained. */
        void series(PointBuffer s) {
            qc.check("expression evaluation");
            w.rangeMillis = range;
            PointBuffer pb = null;
            int step = -1;
            // Windows move forward with the steps: [lo, hi) is the slice of s inside [mint, maxt].
            int lo = 0, hi = 0;
            for (long ts = start; ts <= end; ts += interval) {
                step++;
                long maxt = (at != null ? at : ts) - offset;
                long mint = maxt - range;
                while (lo < s.n && s.t[lo] < mint) lo++;
                if (hi < lo) hi = lo;
                while (hi < s.n && s.t[hi] <= maxt) hi++;
                int n = hi - lo;
                if (currentSamples + n > qc.maxSamples) throw PromQLException.tooManySamples();
                if (n == 0) continue;
                for (int j = 0; j < scalarArgs.length; j++) {
                    Mat a = scalarArgs[j];
                    if (a != null) w.scalarArgs[j] = a.isEmpty() ? Double.NaN : a.get(0).v[step];
                }
                w.view(s, lo, hi);
                w.ts = ts;
                w.rangeStart = mint;
                w.rangeEnd = maxt;
                double v = fn.apply(w);
                if (RangeFunctions.isNoValue(v)) continue;
                if (pb == null) {
                    Labels metric = keepName ? s.metric : s.metric.withoutMetricName();
                    if (reused == null) {
                        pb = new PointBuffer(metric, steps); // at most one point per step
                    } else {
                        pb = reused;
                        pb.metric = metric;
                        pb.n = 0;
                    }
                }
                pb.add(ts, v);
            }
            if (pb != null) {
                if (currentSamples + pb.n > qc.maxSamples) throw PromQLException.tooManySamples();
                currentSamples += pb.n;
                if (consumer != null) consumer.visit(pb);
                else out.add(pb);
            }
        }
    }

    private Mat absentOverTime(Mat mat, VectorSelector source) {
        int steps = numSteps();
        for (PointBuffer pb : mat) if (pb.n == steps) return new Mat();
        Set<Long> found = new HashSet<>();
        for (int i = 0; i < mat.size(); i++) {
            PointBuffer pb = mat.get(i);
            for (int k = 0; k < pb.n; k++) found.add(pb.t[k]);
            if (i > 0 && found.size() == steps) return new Mat();
        }
        Labels labels = source == null ? Labels.EMPTY : InstantFunctions.absentLabels(source);
        PointBuffer pb = new PointBuffer(labels, Math.max(1, steps - found.size()));
        for (long ts = start; ts <= end; ts += interval) if (!found.contains(ts)) pb.add(ts, 1);
        Mat res = new Mat(1);
        res.add(pb);
        return res;
    }
}
