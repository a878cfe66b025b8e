package io.tsdb4j.head;

import io.tsdb4j.Appender;
import io.tsdb4j.CommitResult;
import io.tsdb4j.SampleRejectedException;
import io.tsdb4j.SampleRejectedException.Reason;
import io.tsdb4j.labels.InvalidLabelsException;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.record.RecordEncoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of appends to the head. Samples are buffered in pooled primitive arrays. {@link #commit()} encodes the
 * samples record outside any lock, then under the head's log lock: re-attaches series that a head truncation
 * removed since they were looked up, re-validates every sample against what the WAL holds, and logs a series
 * record for series not yet in the WAL and the samples record. It then applies the samples in parallel with
 * other commits, holding the head's {@link PhaseLock} so that no reader sees part of the batch. Nothing is
 * visible before that. See {@link Appender}.
 */
public final class HeadAppender implements Appender {
    private final Head head;
    private Head.Buffers buf;
    private boolean done;

    HeadAppender(Head head) {
        this.head = head;
    }

    private Head.Buffers buf() {
        if (done) throw new IllegalStateException("appender already committed or rolled back; get a new one");
        Head.Buffers b = buf;
        if (b == null) {
            buf = b = head.buffers.take();
            b.removalsSeen = head.seriesRemovals;
            b.minValid = head.appendableMinValidTime(); // it only grows: a stale value only checks less early
        }
        return b;
    }

    @Override
    public long append(Labels labels, long t, double v) {
        if (labels.isEmpty()) throw new InvalidLabelsException("empty label set");
        Head.Buffers b = buf(); // first: it notes the head's removal count before the lookup
        MemSeries s = head.getOrCreate(labels);
        add(b, s, t, v);
        return s.ref;
    }

    @Override
    public void append(long ref, long t, double v) {
        Head.Buffers b = buf();
        MemSeries s = head.byRef(ref);
        if (s == null) throw new IllegalArgumentException("unknown series reference " + ref);
        add(b, s, t, v);
    }

    /** Early check against what is committed; the authoritative check repeats at commit. */
    private void add(Head.Buffers b, MemSeries s, long t, double v) {
        long minValid = b.minValid;
        if (t < minValid) throw head.reject(Reason.TOO_OLD, s, t, minValid);
        long mt = s.loggedMaxT; // racy, as the whole early check
        if (mt != Long.MIN_VALUE && t <= mt) {
            if (t < mt) throw head.reject(Reason.OUT_OF_ORDER, s, t, mt);
            // t == mt: identical duplicates are accepted (and dropped at commit), different values rejected.
            if (Double.doubleToRawLongBits(v) != s.loggedLastBits) {
                throw head.reject(Reason.DUPLICATE_TIMESTAMP, s, t, mt);
            }
        }
        b.add(s, t, v);
    }

    @Override
    public CommitResult commit() throws IOException {
        if (done) throw new IllegalStateException("appender already committed or rolled back");
        done = true;
        Head.Buffers b = buf;
        if (b == null || b.n == 0) {
            release();
            return CommitResult.EMPTY;
        }
        try {
            head.checkUsable();
            // Encode outside the lock; redone under it only if something changed (rare).
            b.samplesRec.reset();
            RecordEncoder.samples(b.samplesRec, b.refs, b.ts, b.vs, b.n);

            List<SampleRejectedException> rejected;
            int accepted;
            long position = -1;
            long seq = 0;
            boolean applying = false; // from here on, apply completes seq
            head.logLock.lock();
            try {
                head.checkUsable();
                // Only after a truncation removed series since this batch began can one of its series be gone.
                boolean retargeted = head.seriesRemovals != b.removalsSeen && reattach(b);
                seq = head.commits.begin();
                rejected = validate(b, seq, head.appendableMinValidTime(), head.commits.watermark());
                accepted = b.accepted;
                if (accepted != b.n || retargeted) reencodeAccepted(b, accepted);
                if (accepted > 0 && head.wal != null) {
                    try {
                        // Logged under the lock: WAL order is validation order, and every series is appended to
                        // in it. Handed to the OS after the lock (below).
                        if (b.newSeries > 0) head.wal.log(b.seriesRec.array(), 0, b.seriesRec.len());
                        position = head.wal.log(b.samplesRec.array(), 0, b.samplesRec.len());
                    } catch (IOException e) {
                        head.fail(e);
                        throw e;
                    }
                }
                // Before the log lock is released, so that no truncation or deletion comes between validating and
                // applying.
                if (accepted > 0) {
                    head.phases.enterApply();
                    applying = true;
                }
            } finally {
                head.logLock.unlock();
                // Nothing to apply, or it failed: later commits must not wait for this one.
                if (seq != 0 && !applying) head.commits.complete(seq);
            }
            if (applying) {
                try {
                    apply(b, seq);
                } finally {
                    head.phases.exitApply();
                }
            }
            if (position >= 0) {
                try {
                    // Outside the lock, so the write syscall overlaps other commits; one flush may carry several.
                    head.wal.flush();
                    head.wal.sync(position);
                } catch (IOException e) {
                    head.fail(e);
                    throw e;
                }
            }
            head.stats.samplesAppended.addAndGet(accepted);
            head.stats.commits.incrementAndGet();
            return new CommitResult(accepted, rejected == null ? List.of() : rejected);
        } finally {
            release();
        }
    }

    /**
     * Checks every sample against what the WAL holds for its series (which includes the samples before it in
     * this batch) and marks the accepted ones in {@code b.ok} (counted in {@code b.accepted}). For each series,
     * notes in {@code b.after} an earlier commit that logged it and has not completed, if any, and encodes a
     * series record for series the WAL does not know yet ({@code b.newSeries}). Returns the rejections, or null.
     * Called under the log lock; kept apart from the rest of the commit so that the JIT compiles each loop as a
     * small method.
     */
    private List<SampleRejectedException> validate(Head.Buffers b, long seq, long minValid, long complete) {
        List<SampleRejectedException> rejected = null;
        int accepted = 0;
        boolean unlogged = false;
        boolean mayWait = false;
        boolean unindexed = false;
        long lastComplete = 0;
        b.seriesRec.reset();
        for (int i = 0; i < b.n; i++) {
            MemSeries s = b.series[i];
            long t = b.ts[i];
            long bits = Double.doubleToRawLongBits(b.vs[i]);
            long mt = s.loggedMaxT;
            Reason reason = null;
            long boundary = mt;
            if (t < minValid) {
                reason = Reason.TOO_OLD;
                boundary = minValid;
            } else if (mt != Long.MIN_VALUE && t <= mt) {
                if (t < mt) reason = Reason.OUT_OF_ORDER;
                else if (bits != s.loggedLastBits) reason = Reason.DUPLICATE_TIMESTAMP;
            }
            if (reason != null) {
                if (rejected == null) rejected = new ArrayList<>();
                rejected.add(head.reject(reason, s, t, boundary));
                b.ok[i] = false;
                continue;
            }
            // An identical duplicate (t == mt, same bits) is accepted but not stored again.
            b.ok[i] = mt == Long.MIN_VALUE || t > mt;
            if (!b.ok[i]) continue;
            s.loggedMaxT = t;
            s.loggedLastBits = bits;
            accepted++;
            long prev = s.loggedSeq;
            if (prev > complete && prev != seq && prev != lastComplete) {
                // Above the watermark is not necessarily incomplete: look (usually once per batch, as the
                // series of a batch tend to come from the same previous commit).
                if (head.commits.isComplete(prev)) {
                    lastComplete = prev;
                    b.after[i] = 0;
                } else {
                    b.after[i] = prev;
                    mayWait = true;
                }
            } else {
                b.after[i] = 0;
            }
            s.loggedSeq = seq;
            if (!s.indexed) unindexed = true;
            if (!s.walLogged) unlogged = true;
        }
        b.accepted = accepted;
        b.newSeries = unlogged ? encodeNewSeries(b) : 0;
        b.mayWait = mayWait;
        b.unindexed = unindexed;
        return rejected;
    }

    /**
     * Encodes a series record of the accepted samples' series that the WAL does not know yet (new, or re-attached
     * after a truncation), each once, and returns how many. A pass of its own: only batches that create series
     * need it, and it keeps the label encoding out of the per-sample validation loop.
     */
    private static int encodeNewSeries(Head.Buffers b) {
        int newSeries = 0;
        for (int i = 0; i < b.n; i++) {
            MemSeries s = b.series[i];
            if (!b.ok[i] || s.walLogged) continue;
            s.walLogged = true;
            if (newSeries++ == 0) RecordEncoder.beginSeries(b.seriesRec);
            RecordEncoder.seriesEntry(b.seriesRec, s.ref, s.labels);
        }
        return newSeries;
    }

    /**
     * Appends the accepted samples to their series (and indexes new series), in parallel with other commits;
     * a series that an earlier commit logged and has not appended to yet is waited for. Completes this commit's
     * sequence number, also on failure, so that no later commit waits forever.
     */
    private void apply(Head.Buffers b, long seq) throws IOException {
        long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;
        boolean mayWait = b.mayWait;
        if (mayWait) head.stats.commitWaits.incrementAndGet();
        try {
            // New series join the postings first, out of the per-sample loop (readers cannot look before the
            // whole batch is applied anyway).
            if (b.unindexed) index(b);
            for (int i = 0; i < b.n; i++) {
                if (!b.ok[i]) continue;
                MemSeries s = b.series[i];
                if (mayWait && b.after[i] != 0) awaitCommit(b.after[i]);
                long t = b.ts[i];
                s.append(t, b.vs[i], head.chunkRange, head.chunkStore);
                if (t < minT) minT = t;
                if (t > maxT) maxT = t;
            }
        } catch (java.io.UncheckedIOException e) {
            // The batch is in the WAL but a head chunk file write failed: stop taking commits; a reopen rebuilds
            // everything from the WAL.
            head.fail(e.getCause());
            throw e.getCause();
        } finally {
            if (maxT != Long.MIN_VALUE) head.updateTimes(minT, maxT);
            head.commits.complete(seq);
        }
    }

    private void index(Head.Buffers b) {
        for (int i = 0; i < b.n; i++) {
            if (b.ok[i] && !b.series[i].indexed) head.index(b.series[i]);
        }
    }

    /** Waits for another thread's commit to complete (it holds no lock this thread holds). */
    private void awaitCommit(long seq) throws IOException {
        for (int spins = 0; !head.commits.isComplete(seq); spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                head.checkUsable(); // a failing commit completes too, but do not spin on a dead head
                Thread.yield();
            }
        }
    }

    /**
     * A head truncation may have removed a series (it had no samples left) after this batch looked it up. Its
     * samples must not go to the orphan: re-register it, or use the series created for its labels since.
     * Returns true if a sample now belongs to a different series reference. Called under the log lock.
     */
    private boolean reattach(Head.Buffers b) {
        boolean retargeted = false;
        for (int i = 0; i < b.n; i++) {
            MemSeries s = b.series[i];
            if (head.series.get(s.ref) == s) continue;
            MemSeries current = head.series.get(s.labels);
            if (current == null) {
                head.series.reinsert(s);
            } else {
                b.series[i] = current;
                b.refs[i] = current.ref;
                retargeted = true;
            }
        }
        return retargeted;
    }

    /** Rewrites the samples record with only the accepted samples (rare: a race or an in-batch conflict). */
    private static void reencodeAccepted(Head.Buffers b, int accepted) {
        b.samplesRec.reset();
        if (accepted == 0) return;
        long[] refs = new long[accepted];
        long[] ts = new long[accepted];
        double[] vs = new double[accepted];
        int j = 0;
        for (int i = 0; i < b.n; i++) {
            if (!b.ok[i]) continue;
            refs[j] = b.refs[i];
            ts[j] = b.ts[i];
            vs[j] = b.vs[i];
            j++;
        }
        RecordEncoder.samples(b.samplesRec, refs, ts, vs, accepted);
    }

    @Override
    public void rollback() {
        if (done) return;
        done = true;
        head.stats.rollbacks.incrementAndGet();
        release();
    }

    private void release() {
        if (buf != null) {
            java.util.Arrays.fill(buf.series, 0, buf.n, null);
            head.buffers.give(buf);
            buf = null;
        }
    }
}
