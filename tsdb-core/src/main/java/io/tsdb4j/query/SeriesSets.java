package io.tsdb4j.query;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.Series;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Combining query results of several sources (the head and blocks).
 */
public final class SeriesSets {
    private SeriesSets() {}

    /**
     * Merges series sets, each sorted by labels, into one sorted set. A label set present in several inputs becomes
     * one series whose samples are merged in time order; samples with equal timestamps are kept once, the one from
     * the input that comes <b>first in {@code sets}</b>. Lazy: inputs are advanced as the result is iterated.
     * Not thread-safe; consumes the inputs.
     */
    public static SeriesSet merge(List<? extends SeriesSet> sets) {
        List<SeriesSet> live = new ArrayList<>(sets.size());
        for (SeriesSet s : sets) {
            if (Objects.requireNonNull(s, "series set") != SeriesSet.EMPTY) live.add(s);
        }
        if (live.isEmpty()) return SeriesSet.EMPTY;
        if (live.size() == 1) return live.get(0);
        return new MergedSeriesSet(live.toArray(new SeriesSet[0]));
    }

    /** See {@link #merge(List)}. */
    public static SeriesSet merge(SeriesSet... sets) {
        return merge(List.of(sets));
    }

    /**
     * Merges sample iterators of the same series: time order, equal timestamps once (from the earliest iterator in
     * the array). Each input must be strictly increasing in time.
     */
    public static SampleIterator mergeSamples(SampleIterator... its) {
        if (its.length == 0) return SampleIterator.EMPTY;
        if (its.length == 1) return its[0];
        return new MergedSampleIterator(its.clone());
    }

    /** The label-ordered merge; few inputs (head plus a handful of blocks), so a linear scan beats a heap. */
    private static final class MergedSeriesSet implements SeriesSet {
        private final SeriesSet[] in;
        /** Whether input i is positioned on an unconsumed series. */
        private final boolean[] has;
        private boolean started;
        private Series cur;

        MergedSeriesSet(SeriesSet[] in) {
            this.in = in;
            this.has = new boolean[in.length];
        }

        @Override
        public boolean next() {
            if (!started) {
                for (int i = 0; i < in.length; i++) has[i] = in[i].next();
                started = true;
            }
            Labels min = null;
            for (int i = 0; i < in.length; i++) {
                if (!has[i]) continue;
                Labels l = in[i].at().labels();
                if (min == null || l.compareTo(min) < 0) min = l;
            }
            if (min == null) {
                cur = null;
                return false;
            }
            List<Series> same = new ArrayList<>(2);
            for (int i = 0; i < in.length; i++) {
                if (has[i] && in[i].at().labels().equals(min)) {
                    same.add(in[i].at());
                    has[i] = in[i].next();
                }
            }
            cur = same.size() == 1 ? same.get(0) : new MergedSeries(min, same.toArray(new Series[0]));
            return true;
        }

        @Override
        public Series at() {
            if (cur == null) throw new IllegalStateException("not positioned");
            return cur;
        }
    }

    private static final class MergedSeries implements Series {
        private final Labels labels;
        private final Series[] parts;

        MergedSeries(Labels labels, Series[] parts) {
            this.labels = labels;
            this.parts = parts;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public SampleIterator iterator() {
            SampleIterator[] its = new SampleIterator[parts.length];
            for (int i = 0; i < parts.length; i++) its[i] = parts[i].iterator();
            return new MergedSampleIterator(its);
        }
    }

    private static final class MergedSampleIterator implements SampleIterator {
        private final SampleIterator[] its;
        private final boolean[] ok;
        private final long[] ts;
        private boolean started;
        private boolean done;
        private int cur = -1;

        MergedSampleIterator(SampleIterator[] its) {
            this.its = its;
            this.ok = new boolean[its.length];
            this.ts = new long[its.length];
        }

        @Override
        public boolean next() {
            if (done) return false;
            if (!started) {
                started = true;
                for (int i = 0; i < its.length; i++) advance(i);
            } else {
                long t = ts[cur];
                for (int i = 0; i < its.length; i++) {
                    if (ok[i] && ts[i] == t) advance(i);
                }
            }
            return pick();
        }

        private void advance(int i) {
            ok[i] = its[i].next();
            if (ok[i]) ts[i] = its[i].t();
        }

        private boolean pick() {
            int best = -1;
            for (int i = 0; i < its.length; i++) {
                if (ok[i] && (best < 0 || ts[i] < ts[best])) best = i;
            }
            cur = best;
            if (best < 0) {
                done = true;
                return false;
            }
            return true;
        }

        @Override
        public boolean seek(long target) {
            if (done) return false;
            if (started && cur >= 0 && ts[cur] >= target) return true;
            started = true;
            for (int i = 0; i < its.length; i++) {
                // Inputs already at or past the target stay; others seek (never backwards).
                if (ok[i] && ts[i] >= target) continue;
                if (!ok[i] && cur >= 0) continue; // exhausted earlier
                ok[i] = its[i].seek(target);
                if (ok[i]) ts[i] = its[i].t();
            }
            return pick();
        }

        @Override
        public long t() {
            return ts[cur];
        }

        @Override
        public double v() {
            return its[cur].v();
        }
    }
}
