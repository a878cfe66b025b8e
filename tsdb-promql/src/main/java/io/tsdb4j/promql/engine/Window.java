package io.tsdb4j.promql.engine;

import java.util.Arrays;

/**
 * The samples of one series inside one range-vector window ({@code [rangeStart, rangeEnd]}, stale markers already
 * removed), plus the per-step scalar arguments of the function being applied: the points
 * {@code t[off..off+n)}, {@code v[off..off+n)}. The engine points it at a slice of the series' samples instead of
 * copying them, since consecutive steps' windows overlap almost entirely. Reused for every series and step;
 * not thread-safe.
 */
final class Window {
    long[] t = new long[16];
    double[] v = new double[16];
    int off;
    int n;
    /** Evaluation time of the step. */
    long ts;
    long rangeStart;
    long rangeEnd;
    long rangeMillis;
    /** Scalar arguments at this step, indexed like the call's arguments (the matrix slot is unused). */
    double[] scalarArgs;

    /** Makes the window the slice {@code [from, to)} of a series' points. */
    void view(PointBuffer s, int from, int to) {
        t = s.t;
        v = s.v;
        off = from;
        n = to - from;
    }

    /** Appends a point to a window that owns its arrays (off = 0). */
    void add(long time, double value) {
        if (n == t.length) {
            t = Arrays.copyOf(t, n * 2);
            v = Arrays.copyOf(v, n * 2);
        }
        t[n] = time;
        v[n] = value;
        n++;
    }
}
