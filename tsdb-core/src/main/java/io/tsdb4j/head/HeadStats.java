package io.tsdb4j.head;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the head, read by {@code Tsdb.stats()} and the server's /metrics. */
public final class HeadStats {
    final LongAdder samplesAppended = new LongAdder();
    final LongAdder seriesCreated = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder tooOld = new LongAdder();
    final LongAdder duplicate = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder rollbacks = new LongAdder();
    /** Commits that had to wait for an earlier, still applying commit of the same series. */
    final LongAdder commitWaits = new LongAdder();

    public long samplesAppended() { return samplesAppended.sum(); }
    public long seriesCreated() { return seriesCreated.sum(); }
    public long outOfOrderSamples() { return outOfOrder.sum(); }
    public long tooOldSamples() { return tooOld.sum(); }
    public long duplicateSamples() { return duplicate.sum(); }
    public long commits() { return commits.sum(); }
    public long rollbacks() { return rollbacks.sum(); }
    public long commitWaits() { return commitWaits.sum(); }
}
