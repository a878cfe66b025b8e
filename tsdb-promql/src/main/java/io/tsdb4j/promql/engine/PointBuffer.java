package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;

import java.util.Arrays;

/**
 * A series' points held in growable parallel primitive arrays: the engine's internal form of both step-aligned
 * results and raw (storage or subquery) samples. Not thread-safe; owned by one evaluation.
 */
final class PointBuffer {
    Labels metric;
    long[] t;
    double[] v;
    int n;

    PointBuffer(Labels metric, int capacity) {
        this.metric = metric;
        int c = Math.max(1, capacity);
        this.t = new long[c];
        this.v = new double[c];
    }

    void add(long ts, double value) {
        if (n == t.length) {
            int c = n * 2;
            t = Arrays.copyOf(t, c);
            v = Arrays.copyOf(v, c);
        }
        t[n] = ts;
        v[n] = value;
        n++;
    }

    /** Index of the last point with {@code t <= ts}, or -1. */
    int lastAtOrBefore(long ts) {
        int lo = 0, hi = n - 1, res = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] <= ts) {
                res = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return res;
    }

    /** Index of the first point with {@code t >= ts}, or {@code n}. */
    int firstAtOrAfter(long ts) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < ts) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
