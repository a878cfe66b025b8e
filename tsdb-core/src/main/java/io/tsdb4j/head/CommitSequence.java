package io.tsdb4j.head;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sequence numbers of commits that apply samples: handed out in WAL order under the head's log lock, completed
 * in any order by the committing threads. A commit that logs samples of a series right after an earlier commit
 * that has not completed yet waits for it before appending to the series, so every series is appended to in WAL
 * order. The common case needs one volatile read per commit: the watermark below which all are complete.
 */
final class CommitSequence {
    private static final int RING = 1 << 12;
    private static final int MASK = RING - 1;

    /** Per slot, the newest completed sequence number that maps to it. */
    private final AtomicLongArray done = new AtomicLongArray(RING);
    /** Every sequence number up to this one is complete. */
    private final AtomicLong watermark = new AtomicLong();
    private long last;

    /**
     * The next sequence number; call under the log lock. Waits (rarely: only with thousands of commits applying
     * at once) until the one a ring length before it completed, which keeps {@link #isComplete} exact.
     */
    long begin() {
        long seq = ++last;
        while (seq - RING > watermark.get()) Thread.yield();
        return seq;
    }

    /** Every commit up to this one is complete; its appends happen-before this read's return. */
    long watermark() {
        return watermark.get();
    }

    boolean isComplete(long seq) {
        // A later sequence in the same slot began only after this one completed.
        return seq <= watermark.get() || done.get((int) (seq & MASK)) >= seq;
    }

    /** Marks a commit complete (after its appends); every sequence number from {@link #begin} must get here. */
    void complete(long seq) {
        done.set((int) (seq & MASK), seq);
        long w;
        while (done.get((int) ((w = watermark.get()) + 1 & MASK)) >= w + 1) {
            watermark.compareAndSet(w, w + 1); // a lost race means another thread advanced it: look again
        }
    }
}
