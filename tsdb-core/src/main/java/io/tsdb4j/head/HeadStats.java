package io.tsdb4j.head;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the head, read by {@code Tsdb.stats()} and the server's /metrics. Updated per commit or per rejected
 * sample, never per accepted sample, so plain atomics do; a {@code LongAdder} would also make its first contended
 * update take a branch that compiled commit code had pruned, throwing that code away mid-ingest.
 */
public final class HeadStats {
    final AtomicLong samplesAppended = new AtomicLong();
    final AtomicLong seriesCreated = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong tooOld = new AtomicLong();
    final AtomicLong duplicate = new AtomicLong();
    final AtomicLong commits = new AtomicLong();
    final AtomicLong rollbacks = new AtomicLong();
    /** Commits that had to wait for an earlier, still applying commit of the same series. */
    final AtomicLong commitWaits = new AtomicLong();

    public long samplesAppended() { return samplesAppended.get(); }
    public long seriesCreated() { return seriesCreated.get(); }
    public long outOfOrderSamples() { return outOfOrder.get(); }
    public long tooOldSamples() { return tooOld.get(); }
    public long duplicateSamples() { return duplicate.get(); }
    public long commits() { return commits.get(); }
    public long rollbacks() { return rollbacks.get(); }
    public long commitWaits() { return commitWaits.get(); }
}
