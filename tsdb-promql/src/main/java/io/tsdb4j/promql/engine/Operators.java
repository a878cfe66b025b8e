package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.ast.BinaryOp;
import io.tsdb4j.promql.ast.Cardinality;
import io.tsdb4j.promql.ast.VectorMatching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and instant vectors, with Prometheus's vector matching rules. */
final class Operators {
    private Operators() {}

    /** The matching signature of a series: the {@code on} labels, or all but the {@code ignoring} labels and the name. */
    static Evaluator.Prep signature(boolean on, List<String> names) {
        KeyInterner sigs = new KeyInterner();
        if (on) {
            Set<String> keep = new HashSet<>(names);
            return l -> sigs.intern(l.keep(keep));
        }
        List<String> drop = new ArrayList<>(names);
        drop.add(Labels.METRIC_NAME);
        return l -> sigs.intern(l.without(drop));
    }

    static boolean shouldDropMetricName(BinaryOp op) {
        switch (op) {
            case ADD: case SUB: case MUL: case DIV: case POW: case MOD: return true;
            default: return false;
        }
    }

    static double scalarBinop(BinaryOp op, double l, double r) {
        switch (op) {
            case ADD: return l + r;
            case SUB: return l - r;
            case MUL: return l * r;
            case DIV: return l / r;
            case POW: return pow(l, r);
            case MOD: return l % r;
            case EQLC: return l == r ? 1 : 0;
            case NEQ: return l != r ? 1 : 0;
            case GTR: return l > r ? 1 : 0;
            case LSS: return l < r ? 1 : 0;
            case GTE: return l >= r ? 1 : 0;
            case LTE: return l <= r ? 1 : 0;
            case ATAN2: return Math.atan2(l, r);
            default: throw new PromQLException(PromQLException.ErrorType.BAD_DATA,
                    "operator \"" + op.symbol() + "\" not allowed for Scalar operations");
        }
    }

    /** Go's math.Pow, which differs from Java's for a base of ±1 with NaN or infinite exponents. */
    static double pow(double x, double y) {
        if (y == 0 || x == 1) return 1;
        if (x == -1 && Double.isInfinite(y)) return 1;
        return Math.pow(x, y);
    }

    /** A binary operation between vector elements; comparisons keep {@code l} or drop the element (keepOut). */
    static double elemBinop(BinaryOp op, double l, double r, boolean[] keepOut) {
        keepOut[0] = true;
        switch (op) {
            case ADD: case SUB: case MUL: case DIV: case POW: case MOD: case ATAN2: return scalarBinop(op, l, r);
            case EQLC: keepOut[0] = l == r; return l;
            case NEQ: keepOut[0] = l != r; return l;
            case GTR: keepOut[0] = l > r; return l;
            case LSS: keepOut[0] = l < r; return l;
            case GTE: keepOut[0] = l >= r; return l;
            case LTE: keepOut[0] = l <= r; return l;
            default: throw new PromQLException(PromQLException.ErrorType.BAD_DATA,
                    "operator \"" + op.symbol() + "\" not allowed for operations between Vectors");
        }
    }

    static void and(StepVector lhs, StepVector rhs, StepVector out) {
        if (lhs.n == 0 || rhs.n == 0) return;
        Set<Object> right = new HashSet<>(rhs.n * 2);
        for (int i = 0; i < rhs.n; i++) right.add(rhs.helper[i]);
        for (int i = 0; i < lhs.n; i++) if (right.contains(lhs.helper[i])) out.addFrom(lhs, i);
    }

    static void or(StepVector lhs, StepVector rhs, StepVector out) {
        if (lhs.n == 0) {
            for (int i = 0; i < rhs.n; i++) out.addFrom(rhs, i);
            return;
        }
        if (rhs.n == 0) {
            for (int i = 0; i < lhs.n; i++) out.addFrom(lhs, i);
            return;
        }
        Set<Object> left = new HashSet<>(lhs.n * 2);
        for (int i = 0; i < lhs.n; i++) {
            left.add(lhs.helper[i]);
            out.addFrom(lhs, i);
        }
        for (int i = 0; i < rhs.n; i++) if (!left.contains(rhs.helper[i])) out.addFrom(rhs, i);
    }

    static void unless(StepVector lhs, StepVector rhs, StepVector out) {
        if (lhs.n == 0 || rhs.n == 0) {
            for (int i = 0; i < lhs.n; i++) out.addFrom(lhs, i);
            return;
        }
        Set<Object> right = new HashSet<>(rhs.n * 2);
        for (int i = 0; i < rhs.n; i++) right.add(rhs.helper[i]);
        for (int i = 0; i < lhs.n; i++) if (!right.contains(lhs.helper[i])) out.addFrom(lhs, i);
    }

    static void vectorScalar(BinaryOp op, StepVector vec, double scalar, boolean swap, boolean returnBool,
            NameDropper names, StepVector out) {
        boolean[] k = new boolean[1];
        for (int i = 0; i < vec.n; i++) {
            double lv = vec.v[i], rv = scalar;
            if (swap) {
                lv = scalar;
                rv = vec.v[i];
            }
            double value = elemBinop(op, lv, rv, k);
            boolean kept = k[0];
            // A comparison filters the vector's elements and keeps their values, whichever side the vector is on.
            if (op.isComparison() && swap) value = rv;
            if (returnBool) {
                value = kept ? 1 : 0;
                kept = true;
            }
            if (!kept) continue;
            Labels m = vec.metric[i];
            if (shouldDropMetricName(op) || returnBool) m = names.drop(m);
            out.add(m, vec.t[i], value, null);
        }
    }

    /** Arithmetic and comparison between two instant vectors with one-to-one or many-to-one/one-to-many matching. */
    static final class VectorBinop {
        private final BinaryOp op;
        private final VectorMatching matching;
        private final boolean returnBool;
        private final Set<String> onLabels;
        private final Map<Object, Integer> rightSigs = new HashMap<>();
        private final Map<Object, Set<Labels>> matchedSigs = new HashMap<>();
        private final Map<Labels, Map<Labels, Labels>> resultCache = new HashMap<>();
        private final boolean[] k = new boolean[1];
        private final NameDropper names = new NameDropper();

        VectorBinop(BinaryOp op, VectorMatching matching, boolean returnBool) {
            this.op = op;
            this.matching = matching;
            this.returnBool = returnBool;
            this.onLabels = new HashSet<>(matching.matchingLabels());
        }

        void apply(StepVector lhs, StepVector rhs, StepVector out) {
            if (matching.card() == Cardinality.MANY_TO_MANY) {
                throw new IllegalStateException("many-to-many only allowed for set operators");
            }
            if (lhs.n == 0 || rhs.n == 0) return;
            boolean oneToMany = matching.card() == Cardinality.ONE_TO_MANY;
            if (oneToMany) {
                StepVector tmp = lhs;
                lhs = rhs;
                rhs = tmp;
            }
            rightSigs.clear();
            for (int i = 0; i < rhs.n; i++) {
                Integer dup = rightSigs.putIfAbsent(rhs.helper[i], i);
                if (dup != null) {
                    String side = oneToMany ? "left" : "right";
                    throw PromQLException.execution("found duplicate series for the match group "
                            + matchLabels(rhs.metric[i]) + " on the " + side + " hand-side of the operation: ["
                            + rhs.metric[i] + ", " + rhs.metric[dup] + "];many-to-many matching not allowed: "
                            + "matching labels must be unique on one side");
                }
            }
            matchedSigs.clear();
            for (int i = 0; i < lhs.n; i++) {
                Object sig = lhs.helper[i];
                Integer ri = rightSigs.get(sig);
                if (ri == null) continue;
                double vl = lhs.v[i], vr = rhs.v[ri];
                if (oneToMany) {
                    double tmp = vl;
                    vl = vr;
                    vr = tmp;
                }
                double value = elemBinop(op, vl, vr, k);
                boolean kept = k[0];
                if (returnBool) value = kept ? 1 : 0;
                else if (!kept) continue;
                Labels metric = resultMetric(lhs.metric[i], rhs.metric[ri]);
                if (returnBool) metric = names.drop(metric);
                if (matching.card() == Cardinality.ONE_TO_ONE) {
                    if (matchedSigs.containsKey(sig)) {
                        throw PromQLException.execution("multiple matches for labels: many-to-one matching must be "
                                + "explicit (group_left/group_right)");
                    }
                    matchedSigs.put(sig, null);
                } else {
                    Set<Labels> inserted = matchedSigs.computeIfAbsent(sig, x -> new HashSet<>());
                    if (!inserted.add(metric)) {
                        throw PromQLException.execution(
                                "multiple matches for labels: grouping labels must ensure unique matches");
                    }
                }
                out.add(metric, 0, value, null);
            }
        }

        private Labels matchLabels(Labels l) {
            Labels.Builder b = Labels.builder();
            for (int i = 0; i < l.size(); i++) {
                String n = l.name(i);
                boolean in = onLabels.contains(n);
                if (in == matching.on() && (matching.on() || !n.equals(Labels.METRIC_NAME))) b.set(n, l.value(i));
            }
            return b.build();
        }

        private Labels resultMetric(Labels lhs, Labels rhs) {
            Map<Labels, Labels> byRhs = resultCache.computeIfAbsent(lhs, x -> new HashMap<>());
            Labels cached = byRhs.get(rhs);
            if (cached != null) return cached;
            Labels.Builder b = lhs.toBuilder();
            if (shouldDropMetricName(op)) b.delete(Labels.METRIC_NAME);
            if (matching.card() == Cardinality.ONE_TO_ONE) {
                if (matching.on()) {
                    for (int i = 0; i < lhs.size(); i++) if (!onLabels.contains(lhs.name(i))) b.delete(lhs.name(i));
                } else {
                    for (String n : matching.matchingLabels()) b.delete(n);
                }
            }
            for (String n : matching.include()) {
                String v = rhs.get(n);
                if (!v.isEmpty()) b.set(n, v);
                else b.delete(n);
            }
            Labels res = b.build();
            byRhs.put(rhs, res);
            return res;
        }
    }
}
