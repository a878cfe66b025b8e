package io.tsdb4j.head;

import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.labels.Labels;

import java.util.Arrays;

/**
 * One series in the head: finished chunks plus the open chunk. Appended to by one commit at a time, in WAL
 * order (see {@link #loggedSeq}), while the head's {@link PhaseLock} is held for applying; read through
 * {@link #snapshot} taken while it is held for reading.
 *
 * <p>Chunk arrays are append-only between truncations and replaced (never edited in place) when truncated, so a
 * snapshot can keep reading the arrays it captured.
 */
final class MemSeries {
    private static final long[] NO_TIMES = new long[0];

    final long ref;
    final Labels labels;

    /** References of finished chunks in the head's {@link ChunkStore}. */
    private long[] chunks = NO_TIMES;
    private long[] mints = NO_TIMES;
    private long[] maxts = NO_TIMES;
    private int nChunks;

    private XorChunk head;
    private long headMinT;
    private long maxT = Long.MIN_VALUE;
    private long nextAt = Long.MIN_VALUE;

    /** In the head's postings (its first batch committed). */
    boolean indexed;
    /** A series record for it is in the WAL (set when a commit logs one). */
    boolean walLogged;

    // What the WAL holds for this series, which can be ahead of what is applied while commits apply in
    // parallel; commits validate against it. Written only under the head's log lock (and by replay).
    long loggedMaxT = Long.MIN_VALUE;
    long loggedLastBits;
    /**
     * Sequence number of the last commit that logged samples of this series; a commit appends to the series only
     * after that one completed (see {@link CommitSequence}).
     */
    long loggedSeq;

    MemSeries(long ref, Labels labels) {
        this.ref = ref;
        this.labels = labels;
    }

    /** Time of the newest sample, or Long.MIN_VALUE when empty. Racy reads are fine for early checks. */
    long maxTime() {
        return maxT;
    }

    boolean isEmpty() {
        return head == null && nChunks == 0;
    }

    long minTime() {
        if (nChunks > 0) return mints[0];
        return head == null ? Long.MIN_VALUE : headMinT;
    }

    /**
     * Appends a sample already known to be newer than {@link #maxTime()}. Cuts a new chunk like Prometheus: at
     * the chunk-range boundary, at a predicted end time that spreads samples evenly (decided at a quarter of the
     * target), or at twice the target sample count.
     */
    void append(long t, double v, long chunkRange, ChunkStore store) {
        XorChunk c = head;
        if (c == null) {
            c = cut(t, chunkRange, store);
        } else {
            int n = c.numSamples();
            if (n == XorChunk.SAMPLES_PER_CHUNK / 4) {
                nextAt = computeChunkEndTime(headMinT, maxT, nextAt);
            }
            if (t >= nextAt || n >= XorChunk.SAMPLES_PER_CHUNK * 2) {
                c = cut(t, chunkRange, store);
            }
        }
        c.append(t, v);
        maxT = t;
    }

    private XorChunk cut(long t, long chunkRange, ChunkStore store) {
        // The open chunk always gets a fresh array (snapshots may still read the old one), sized from the chunk
        // just finished so that it rarely has to grow.
        int cap = 128;
        if (head != null) {
            cap = head.size() + (head.size() >> 3) + 16;
            addFinished(store, head.array(), head.size(), headMinT, head.lastTime());
        }
        head = new XorChunk(cap);
        headMinT = t;
        nextAt = rangeEnd(t, chunkRange);
        return head;
    }

    private void addFinished(ChunkStore store, byte[] bytes, int len, long mint, long maxt) {
        long ref;
        try {
            ref = store.put(this.ref, mint, maxt, bytes, len);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing a head chunk of " + labels, e);
        }
        if (nChunks == chunks.length) {
            int cap = Math.max(4, nChunks * 2);
            chunks = Arrays.copyOf(chunks, cap);
            mints = Arrays.copyOf(mints, cap);
            maxts = Arrays.copyOf(maxts, cap);
        }
        chunks[nChunks] = ref;
        mints[nChunks] = mint;
        maxts[nChunks] = maxt;
        nChunks++;
    }

    /** End of the chunk range that contains t: {@code (t / range) * range + range}, flooring for negatives. */
    static long rangeEnd(long t, long range) {
        return Math.floorDiv(t, range) * range + range;
    }

    private static long computeChunkEndTime(long start, long cur, long max) {
        long n = (max - start) / ((cur - start + 1) * 4);
        if (n <= 1) return max;
        return start + (max - start) / n;
    }

    /**
     * Drops finished chunks that end before {@code mint} (the head was cut into a block up to there). The open
     * chunk is kept if it has samples at or after mint. Returns true if the series became empty.
     */
    boolean truncateBefore(long mint) {
        int drop = 0;
        while (drop < nChunks && maxts[drop] < mint) drop++;
        if (drop > 0) {
            int keep = nChunks - drop;
            int cap = Math.max(4, keep);
            long[] nc = new long[cap];
            long[] nmin = new long[cap];
            long[] nmax = new long[cap];
            System.arraycopy(chunks, drop, nc, 0, keep);
            System.arraycopy(mints, drop, nmin, 0, keep);
            System.arraycopy(maxts, drop, nmax, 0, keep);
            chunks = nc;
            mints = nmin;
            maxts = nmax;
            nChunks = keep;
        }
        if (nChunks == 0 && head != null && head.lastTime() < mint) {
            head = null;
            // maxT stays: out-of-order checks still hold against what was persisted.
        }
        return isEmpty();
    }

    /**
     * Removes samples in {@code [mint, maxt]} (closed), re-encoding affected chunks into new arrays so snapshots
     * taken before keep reading the old ones. The series' newest time stays, so out-of-order checks are
     * unchanged. Returns the number of samples removed.
     */
    int deleteRange(long mint, long maxt, ChunkStore store) {
        int removed = 0;
        if (nChunks > 0 && mints[0] <= maxt && maxts[nChunks - 1] >= mint) {
            long[] oldRefs = chunks;
            long[] oldMin = mints;
            long[] oldMax = maxts;
            int oldN = nChunks;
            ChunkStore.View view = store.view();
            chunks = new long[Math.max(4, oldN)];
            mints = new long[chunks.length];
            maxts = new long[chunks.length];
            nChunks = 0;
            for (int i = 0; i < oldN; i++) {
                if (oldMin[i] > maxt || oldMax[i] < mint) {
                    chunks[nChunks] = oldRefs[i];
                    mints[nChunks] = oldMin[i];
                    maxts[nChunks] = oldMax[i];
                    nChunks++;
                    continue;
                }
                byte[] bytes = view.get(oldRefs[i]);
                Kept kept = without(XorChunk.iterator(bytes, Integer.MAX_VALUE), bytes.length, mint, maxt);
                removed += kept.removed;
                XorChunk c = kept.chunk;
                if (c.numSamples() > 0) addFinished(store, c.array(), c.size(), kept.minTime, c.lastTime());
            }
        }
        if (head != null && headMinT <= maxt && head.lastTime() >= mint) {
            Kept kept = without(head.iterator(), head.size(), mint, maxt);
            removed += kept.removed;
            if (kept.chunk.numSamples() == 0) {
                head = null;
            } else {
                head = kept.chunk;
                headMinT = kept.minTime;
            }
        }
        return removed;
    }

    /** A chunk re-encoded without the samples of a deleted range. */
    private record Kept(XorChunk chunk, long minTime, int removed) {}

    private static Kept without(XorChunk.Iterator it, int capacity, long mint, long maxt) {
        XorChunk kept = new XorChunk(capacity);
        long first = 0;
        int removed = 0;
        while (it.next()) {
            long t = it.t();
            if (t >= mint && t <= maxt) {
                removed++;
                continue;
            }
            if (kept.numSamples() == 0) first = t;
            kept.append(t, it.v());
        }
        return new Kept(kept, first, removed);
    }

    /** Captures what is committed now; call under the read (or write) lock. */
    SeriesSnapshot snapshot(ChunkStore.View view) {
        return new SeriesSnapshot(ref, labels, view, chunks, mints, maxts, nChunks,
                head == null ? null : head.array(), head == null ? 0 : head.numSamples(), headMinT, maxT);
    }

    /** Heap bytes held by this series' chunk bookkeeping and open chunk (for memory accounting). */
    long heapBytes() {
        long n = 3L * 8 * chunks.length;
        if (head != null) n += head.array().length;
        return n;
    }

    int numChunks() {
        return nChunks + (head == null ? 0 : 1);
    }
}
