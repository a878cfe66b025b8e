package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;

import java.util.Arrays;
import java.util.HashSet;

/**
 * An instant vector at one evaluation step, as parallel arrays: label sets, values, sample timestamps and a
 * per-sample helper object (a matching signature or grouping key computed once per input series). Reused across
 * steps; not thread-safe.
 */
final class StepVector {
    Labels[] metric = new Labels[8];
    double[] v = new double[8];
    long[] t = new long[8];
    Object[] helper = new Object[8];
    int n;

    void clear() {
        n = 0;
    }

    void add(Labels m, long ts, double value, Object h) {
        if (n == v.length) {
            int c = n * 2;
            metric = Arrays.copyOf(metric, c);
            v = Arrays.copyOf(v, c);
            t = Arrays.copyOf(t, c);
            helper = Arrays.copyOf(helper, c);
        }
        metric[n] = m;
        v[n] = value;
        t[n] = ts;
        helper[n] = h;
        n++;
    }

    void add(Labels m, double value) {
        add(m, 0, value, null);
    }

    /** Appends sample {@code i} of {@code other}. */
    void addFrom(StepVector other, int i) {
        add(other.metric[i], other.t[i], other.v[i], other.helper[i]);
    }

    boolean containsSameLabelset() {
        if (n < 2) return false;
        if (n == 2) return metric[0].equals(metric[1]);
        HashSet<Labels> seen = new HashSet<>(n * 2);
        for (int i = 0; i < n; i++) if (!seen.add(metric[i])) return true;
        return false;
    }
}
