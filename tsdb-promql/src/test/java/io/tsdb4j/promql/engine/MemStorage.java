package io.tsdb4j.promql.engine;

import io.tsdb4j.Querier;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.Series;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small in-memory series store for engine tests: series sorted by labels, samples in primitive arrays, strictly
 * increasing timestamps per series (appends at or before the last timestamp are rejected, as the real database
 * does). Not thread-safe for writes.
 */
final class MemStorage implements TestStorage {
    private static final class Data {
        long[] t = new long[16];
        double[] v = new double[16];
        int n;
    }

    private final TreeMap<Labels, Data> series = new TreeMap<>();

    @Override
    public void load(Map<Labels, List<double[]>> block) {
        for (Map.Entry<Labels, List<double[]>> e : block.entrySet()) {
            for (double[] s : e.getValue()) append(e.getKey(), (long) s[0], s[1]);
        }
    }

    @Override
    public void close() {
        series.clear();
    }

    void append(Labels labels, long t, double v) {
        Data d = series.computeIfAbsent(labels, l -> new Data());
        if (d.n > 0 && t <= d.t[d.n - 1]) {
            throw new IllegalArgumentException("out of order sample for " + labels + " at " + t);
        }
        if (d.n == d.t.length) {
            d.t = Arrays.copyOf(d.t, d.n * 2);
            d.v = Arrays.copyOf(d.v, d.n * 2);
        }
        d.t[d.n] = t;
        d.v[d.n] = v;
        d.n++;
    }

    @Override
    public Querier querier(long minT, long maxT) {
        return new Querier() {
            @Override public long minTime() { return minT; }

            @Override public long maxTime() { return maxT; }

            @Override
            public SeriesSet select(Matcher... matchers) {
                List<Series> out = new ArrayList<>();
                for (Map.Entry<Labels, Data> e : series.entrySet()) {
                    if (!matches(e.getKey(), matchers)) continue;
                    Data d = e.getValue();
                    int from = 0;
                    while (from < d.n && d.t[from] < minT) from++;
                    int to = from;
                    while (to < d.n && d.t[to] <= maxT) to++;
                    if (to == from) continue;
                    int f = from, tt = to;
                    Labels l = e.getKey();
                    out.add(new Series() {
                        @Override public Labels labels() { return l; }

                        @Override public SampleIterator iterator() { return new It(d, f, tt); }
                    });
                }
                return new SeriesSet() {
                    int i = -1;

                    @Override public boolean next() { return ++i < out.size(); }

                    @Override public Series at() { return out.get(i); }
                };
            }

            @Override
            public List<String> labelNames(Matcher... matchers) {
                TreeSet<String> names = new TreeSet<>();
                for (Labels l : series.keySet()) if (matches(l, matchers)) names.addAll(l.names());
                return new ArrayList<>(names);
            }

            @Override
            public List<String> labelValues(String name, Matcher... matchers) {
                TreeSet<String> values = new TreeSet<>();
                for (Labels l : series.keySet()) if (matches(l, matchers) && l.has(name)) values.add(l.get(name));
                return new ArrayList<>(values);
            }

            @Override public void close() { }
        };
    }

    private static boolean matches(Labels l, Matcher[] matchers) {
        for (Matcher m : matchers) if (!m.matches(l.get(m.name()))) return false;
        return true;
    }

    private static final class It implements SampleIterator {
        private final Data d;
        private final int from;
        private final int to;
        private int i;

        It(Data d, int from, int to) {
            this.d = d;
            this.from = from;
            this.i = from - 1;
            this.to = to;
        }

        @Override public boolean next() { return ++i < to; }

        @Override
        public boolean seek(long t) {
            if (i < from) i = from;
            while (i < to && d.t[i] < t) i++;
            return i < to;
        }

        @Override public long t() { return d.t[i]; }

        @Override public double v() { return d.v[i]; }
    }
}
