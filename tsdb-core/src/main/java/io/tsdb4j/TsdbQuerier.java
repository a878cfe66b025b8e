package io.tsdb4j;

import io.tsdb4j.head.Head;
import io.tsdb4j.head.SeriesSnapshot;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.query.SeriesSets;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Querier over the blocks overlapping the range (oldest first) and the head. Series present in several are merged
 * sample by sample in time order, a timestamp present in several parts kept once. Holds its blocks open until
 * {@link #close()}. Data that a head cut moves into a new block while the querier is open is read from that block
 * (see {@link Tsdb.CutSince}).
 */
final class TsdbQuerier implements Querier {
    private final Head head;
    private final List<Querier> blocks;
    private final long minT;
    private final long maxT;
    private final Tsdb.CutSince cuts;
    private boolean closed;

    TsdbQuerier(Head head, List<Querier> blocks, long minT, long maxT, Tsdb.CutSince cuts) {
        this.head = head;
        this.blocks = blocks;
        this.minT = minT;
        this.maxT = maxT;
        this.cuts = cuts;
    }

    /** The block queriers, after reading the head: with any block that took head data over meanwhile. */
    private synchronized List<Querier> blocksAfterHead() {
        if (closed) throw new IllegalStateException("querier closed");
        blocks.addAll(cuts.newBlocks(minT, maxT));
        return new ArrayList<>(blocks);
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
        SeriesSet headSet = headSelect(matchers);
        List<Querier> bs = blocksAfterHead();
        if (bs.isEmpty()) return headSet;
        List<SeriesSet> sets = new ArrayList<>(bs.size() + 1);
        for (Querier b : bs) sets.add(b.select(matchers));
        sets.add(headSet);
        return SeriesSets.merge(sets);
    }

    private SeriesSet headSelect(Matcher[] matchers) {
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
        List<String> fromHead = head.labelNames(minT, maxT, matchers);
        List<Querier> bs = blocksAfterHead();
        if (bs.isEmpty()) return fromHead;
        TreeSet<String> all = new TreeSet<>(Labels::compareUtf8);
        all.addAll(fromHead);
        for (Querier b : bs) all.addAll(b.labelNames(matchers));
        return new ArrayList<>(all);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
        List<String> fromHead = head.labelValues(minT, maxT, name, matchers);
        List<Querier> bs = blocksAfterHead();
        if (bs.isEmpty()) return fromHead;
        TreeSet<String> all = new TreeSet<>(Labels::compareUtf8);
        all.addAll(fromHead);
        for (Querier b : bs) all.addAll(b.labelValues(name, matchers));
        return new ArrayList<>(all);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Querier b : blocks) b.close();
    }
}
