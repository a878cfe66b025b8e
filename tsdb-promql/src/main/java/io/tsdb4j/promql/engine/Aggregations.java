package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.ast.AggregateOp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation operators ({@code sum}, {@code topk}, {@code count_values}, ...) over one step's instant vector,
 * with Prometheus 2.42's arithmetic (plain summation, incremental mean, Welford variance) and its heap-based
 * {@code topk}/{@code bottomk} so that the order of tied elements matches.
 */
final class Aggregations {
    private final AggregateOp op;
    private final List<String> grouping;
    private final Set<String> groupingSet;
    private final boolean without;

    Aggregations(AggregateOp op, List<String> sortedGrouping, boolean without) {
        this.op = op;
        this.grouping = sortedGrouping;
        this.groupingSet = new HashSet<>(sortedGrouping);
        this.without = without;
    }

    /** The key identifying a series' group: its output label set, interned. */
    Evaluator.Prep groupingKey() {
        KeyInterner keys = new KeyInterner();
        if (without) {
            List<String> drop = new ArrayList<>(grouping);
            drop.add(Labels.METRIC_NAME);
            return l -> keys.intern(l.without(drop));
        }
        if (grouping.isEmpty()) return l -> keys.intern(Labels.EMPTY);
        return l -> keys.intern(l.keep(groupingSet));
    }

    private static final class Group {
        int seenAtStep;
        Labels labels;
        double value;
        double mean;
        int count;
        // topk/bottomk heap and quantile values
        Labels[] heapLabels;
        double[] heapValues;
        int heapSize;
    }

    void apply(StepVector vec, double param, String valueLabel, StepVector out) {
        long k = 0;
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
            if (!convertibleToInt64(param)) {
                throw PromQLException.execution("Scalar value " + GoFormat.formatFloatG(param) + " overflows int64");
            }
            k = (long) param;
            if (k < 1) return;
        }
        double q = op == AggregateOp.QUANTILE ? param : 0;
        Set<String> keys = groupingSet;
        List<String> groupingNames = grouping;
        if (op == AggregateOp.COUNT_VALUES) {
            if (!Labels.isValidName(valueLabel)) {
                throw PromQLException.execution("invalid label name \"" + valueLabel + "\"");
            }
            if (!without) {
                keys = new HashSet<>(grouping);
                keys.add(valueLabel);
                groupingNames = new ArrayList<>(keys);
            }
        }
        step++;
        groups.clear();
        countValuesGroups.clear();
        for (int si = 0; si < vec.n; si++) {
            Labels metric = vec.metric[si];
            double v = vec.v[si];
            Group g;
            Object countValuesKey = null;
            KeyInterner.Key key = null;
            if (op == AggregateOp.COUNT_VALUES) {
                metric = metric.toBuilder().set(valueLabel, GoFormat.formatFloatF(v)).build();
                countValuesKey = groupKey(metric, keys);
                g = countValuesGroups.get(countValuesKey);
            } else {
                key = (KeyInterner.Key) vec.helper[si];
                g = groupOf(key);
            }
            if (g == null) {
                if (key != null) {
                    // The grouping key is exactly the group's output label set.
                    g = newGroup(key);
                    g.labels = key.labels;
                } else {
                    g = new Group();
                    countValuesGroups.put(countValuesKey, g);
                    if (without) {
                        List<String> drop = new ArrayList<>(groupingNames);
                        drop.add(Labels.METRIC_NAME);
                        g.labels = metric.without(drop);
                    } else {
                        g.labels = metric.keep(keys);
                    }
                }
                groups.add(g);
                g.value = v;
                g.mean = v;
                g.count = 1;
                switch (op) {
                    case STDVAR: case STDDEV: g.value = 0; break;
                    case TOPK: case BOTTOMK: case QUANTILE: {
                        int cap = op == AggregateOp.QUANTILE ? 8 : (int) Math.min(Math.max(k, 1), Math.max(vec.n, 1));
                        if (g.heapValues == null || g.heapValues.length < cap) {
                            g.heapLabels = new Labels[Math.max(cap, 1)];
                            g.heapValues = new double[Math.max(cap, 1)];
                        }
                        g.heapLabels[0] = vec.metric[si];
                        g.heapValues[0] = v;
                        g.heapSize = 1;
                        break;
                    }
                    case GROUP: g.value = 1; break;
                    default: break;
                }
                continue;
            }
            switch (op) {
                case SUM: g.value += v; break;
                case AVG: {
                    g.count++;
                    if (Double.isInfinite(g.mean)) {
                        if (Double.isInfinite(v) && (g.mean > 0) == (v > 0)) break;
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) break;
                    }
                    g.mean += v / g.count - g.mean / g.count;
                    break;
                }
                case GROUP: break;
                case MAX: if (g.value < v || Double.isNaN(g.value)) g.value = v; break;
                case MIN: if (g.value > v || Double.isNaN(g.value)) g.value = v; break;
                case COUNT: case COUNT_VALUES: g.count++; break;
                case STDVAR: case STDDEV: {
                    g.count++;
                    double delta = v - g.mean;
                    g.mean += delta / g.count;
                    g.value += delta * (v - g.mean);
                    break;
                }
                case TOPK: {
                    if (g.heapSize < k || g.heapValues[0] < v || Double.isNaN(g.heapValues[0])) {
                        offer(g, k, vec.metric[si], v, true);
                    }
                    break;
                }
                case BOTTOMK: {
                    if (g.heapSize < k || g.heapValues[0] > v || Double.isNaN(g.heapValues[0])) {
                        offer(g, k, vec.metric[si], v, false);
                    }
                    break;
                }
                case QUANTILE: {
                    ensure(g, g.heapSize + 1);
                    g.heapLabels[g.heapSize] = vec.metric[si];
                    g.heapValues[g.heapSize++] = v;
                    break;
                }
                default: throw new IllegalStateException("unknown aggregation " + op);
            }
        }
        for (Group g : groups) {
            double value = g.value;
            switch (op) {
                case AVG: value = g.mean; break;
                case COUNT: case COUNT_VALUES: value = g.count; break;
                case STDVAR: value = g.value / g.count; break;
                case STDDEV: value = Math.sqrt(g.value / g.count); break;
                case TOPK: case BOTTOMK: {
                    boolean topk = op == AggregateOp.TOPK;
                    // Sort the heap by the reversed heap order: descending for topk, ascending for bottomk.
                    if (g.heapSize > 1) GoSort.sort(g.heapLabels, g.heapValues, g.heapSize,
                            (vals, i, j) -> heapLess(vals, j, i, topk));
                    for (int i = 0; i < g.heapSize; i++) out.add(g.heapLabels[i], g.heapValues[i]);
                    continue;
                }
                case QUANTILE: {
                    double[] vals = java.util.Arrays.copyOf(g.heapValues, g.heapSize);
                    value = Quantiles.quantile(q, vals);
                    break;
                }
                default: break;
            }
            out.add(g.labels, value);
        }
    }

    // Groups of the current step, in the order they were first seen (the order of the output). Groups of interned
    // keys are kept by key id across steps and reused; seenAtStep tells whether one belongs to this step.
    private final ArrayList<Group> groups = new ArrayList<>();
    private final Map<Object, Group> countValuesGroups = new HashMap<>();
    private Group[] byKeyId = new Group[16];
    private int step;

    private Group groupOf(KeyInterner.Key key) {
        Group g = key.id < byKeyId.length ? byKeyId[key.id] : null;
        return g != null && g.seenAtStep == step ? g : null;
    }

    private Group newGroup(KeyInterner.Key key) {
        if (key.id >= byKeyId.length) byKeyId = java.util.Arrays.copyOf(byKeyId, Math.max(key.id + 1, byKeyId.length * 2));
        Group g = byKeyId[key.id];
        if (g == null) byKeyId[key.id] = g = new Group();
        g.seenAtStep = step;
        g.heapSize = 0;
        return g;
    }

    /** Whether {@link BySeries} can compute this aggregation: no parameter, one value per group and step. */
    boolean accumulatesBySeries() {
        switch (op) {
            case SUM: case AVG: case COUNT: case MIN: case MAX: case GROUP: case STDVAR: case STDDEV: return true;
            default: return false;
        }
    }

    /**
     * The aggregation of a whole range query's input fed series by series instead of step by step: one running
     * value per (group, step). Each (group, step) still sees its series in input order, so the arithmetic is
     * exactly that of {@link #apply}; what changes is that each input series is read once, front to back.
     */
    final class BySeries {
        private final int steps;
        // Per group (by key id), per step; a group's arrays are allocated when its first series arrives.
        private int[][] count = new int[16][];
        private double[][] value = new double[16][];
        private double[][] mean = new double[16][];
        private final boolean needsMean = op == AggregateOp.AVG || op == AggregateOp.STDVAR || op == AggregateOp.STDDEV;

        BySeries(int steps) {
            this.steps = steps;
        }

        /** Adds value {@code v} of a series in group {@code group} at step {@code step}. */
        void add(int group, int step, double v) {
            if (group >= count.length || count[group] == null) addGroup(group);
            int[] cnt = count[group];
            double[] val = value[group];
            int c = ++cnt[step];
            if (c == 1) {
                switch (op) {
                    case STDVAR: case STDDEV: val[step] = 0; mean[group][step] = v; break;
                    case AVG: mean[group][step] = v; break;
                    case GROUP: val[step] = 1; break;
                    default: val[step] = v; break;
                }
                return;
            }
            switch (op) {
                case SUM: val[step] += v; break;
                case AVG: {
                    double[] mn = mean[group];
                    double m = mn[step];
                    if (Double.isInfinite(m)) {
                        if (Double.isInfinite(v) && (m > 0) == (v > 0)) break;
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) break;
                    }
                    mn[step] = m + (v / c - m / c);
                    break;
                }
                case MAX: if (val[step] < v || Double.isNaN(val[step])) val[step] = v; break;
                case MIN: if (val[step] > v || Double.isNaN(val[step])) val[step] = v; break;
                case STDVAR: case STDDEV: {
                    double[] mn = mean[group];
                    double delta = v - mn[step];
                    mn[step] += delta / c;
                    val[step] += delta * (v - mn[step]);
                    break;
                }
                default: break; // COUNT and GROUP: the count is all
            }
        }

        private void addGroup(int group) {
            if (group >= count.length) {
                int c = Math.max(group + 1, count.length * 2);
                count = java.util.Arrays.copyOf(count, c);
                value = java.util.Arrays.copyOf(value, c);
                mean = java.util.Arrays.copyOf(mean, c);
            }
            count[group] = new int[steps];
            value[group] = new double[steps];
            if (needsMean) mean[group] = new double[steps];
        }

        /** Whether the group has a value at the step. */
        boolean has(int group, int step) {
            return count[group][step] != 0;
        }

        double result(int group, int step) {
            int c = count[group][step];
            double v = value[group][step];
            switch (op) {
                case AVG: return mean[group][step];
                case COUNT: return c;
                case STDVAR: return v / c;
                case STDDEV: return Math.sqrt(v / c);
                default: return v;
            }
        }
    }

    private Object groupKey(Labels metric, Set<String> keys) {
        if (without) {
            List<String> drop = new ArrayList<>(grouping);
            drop.add(Labels.METRIC_NAME);
            return metric.without(drop);
        }
        return metric.keep(keys);
    }

    private static void ensure(Group g, int cap) {
        if (cap > g.heapValues.length) {
            int c = Math.max(cap, g.heapValues.length * 2);
            g.heapValues = java.util.Arrays.copyOf(g.heapValues, c);
            g.heapLabels = java.util.Arrays.copyOf(g.heapLabels, c);
        }
    }

    /** Heap order: for topk a min-heap on value, for bottomk a max-heap; NaN always counts as "less". */
    private static boolean heapLess(double[] v, int i, int j, boolean topk) {
        if (Double.isNaN(v[i])) return true;
        return topk ? v[i] < v[j] : v[i] > v[j];
    }

    private static void offer(Group g, long k, Labels metric, double v, boolean topk) {
        if (g.heapSize == k) {
            if (k == 1) {
                g.heapLabels[0] = metric;
                g.heapValues[0] = v;
                return;
            }
            // Pop the root: move the last element to the top and restore the heap.
            int n = g.heapSize - 1;
            swap(g, 0, n);
            down(g, 0, n, topk);
            g.heapSize--;
        }
        ensure(g, g.heapSize + 1);
        g.heapLabels[g.heapSize] = metric;
        g.heapValues[g.heapSize] = v;
        g.heapSize++;
        up(g, g.heapSize - 1, topk);
    }

    private static void swap(Group g, int i, int j) {
        double tv = g.heapValues[i];
        g.heapValues[i] = g.heapValues[j];
        g.heapValues[j] = tv;
        Labels tl = g.heapLabels[i];
        g.heapLabels[i] = g.heapLabels[j];
        g.heapLabels[j] = tl;
    }

    private static void up(Group g, int j, boolean topk) {
        while (true) {
            int i = (j - 1) / 2; // truncates towards zero like Go: the root is its own parent
            if (i == j || !heapLess(g.heapValues, j, i, topk)) break;
            swap(g, i, j);
            j = i;
        }
    }

    private static void down(Group g, int i0, int n, boolean topk) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) break;
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && heapLess(g.heapValues, j2, j1, topk)) j = j2;
            if (!heapLess(g.heapValues, j, i, topk)) break;
            swap(g, i, j);
            i = j;
        }
    }

    static boolean convertibleToInt64(double v) {
        return v <= 9.223372036854775807E18 && v >= -9.223372036854775808E18;
    }
}
