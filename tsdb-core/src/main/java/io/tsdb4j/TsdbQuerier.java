package io.tsdb4j;

import io.tsdb4j.head.Head;
import io.tsdb4j.head.SeriesSnapshot;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;

import java.util.List;

/** Querier over the head (blocks join it with the block issue). */
final class TsdbQuerier implements Querier {
    private final Head head;
    private final long minT;
    private final long maxT;

    TsdbQuerier(Head head, long minT, long maxT) {
        this.head = head;
        this.minT = minT;
        this.maxT = maxT;
    }

    @Override
    public long minTime() {
        return minT;
    }

    @Override
    public long maxTime() {
        return maxT;
    }

    @Override
    public SeriesSet select(Matcher... matchers) {
        checkMatchers(matchers);
        List<SeriesSnapshot> snaps = head.select(minT, maxT, matchers);
        return new SeriesSet() {
            int i = -1;

            @Override
            public boolean next() {
                return ++i < snaps.size();
            }

            @Override
            public Series at() {
                SeriesSnapshot s = snaps.get(i);
                return new Series() {
                    @Override
                    public Labels labels() {
                        return s.labels();
                    }

                    @Override
                    public SampleIterator iterator() {
                        return s.iterator(minT, maxT);
                    }
                };
            }
        };
    }

    static void checkMatchers(Matcher[] matchers) {
        if (matchers.length == 0) return;
        for (Matcher m : matchers) if (!m.matchesEmpty()) return;
        throw new IllegalArgumentException("at least one matcher must not match the empty string, got " + java.util.Arrays.toString(matchers));
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
        return head.labelNames(minT, maxT, matchers);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
        return head.labelValues(minT, maxT, name, matchers);
    }

    @Override
    public void close() {
    }
}
