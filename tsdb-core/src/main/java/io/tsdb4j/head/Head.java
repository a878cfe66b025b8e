package io.tsdb4j.head;

import io.tsdb4j.SampleRejectedException;
import io.tsdb4j.SampleRejectedException.Reason;
import io.tsdb4j.encoding.Encbuf;
import io.tsdb4j.encoding.Utf8;
import io.tsdb4j.index.Postings;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.query.LabelIndex;
import io.tsdb4j.query.PostingsForMatchers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The head block. Appends go through {@link HeadAppender}. A commit validates its batch and writes its WAL record
 * under {@link #logLock}, one commit at a time, then applies the samples while holding {@link #phases} for
 * applying, in parallel with other commits; samples of one series are applied in WAL order (so replay rebuilds
 * exactly the same state). Reads hold {@link #phases} for reading just long enough to resolve postings and
 * snapshot the matching series, so they see whole batches only. Truncation and deletion hold both, exclusively.
 *
 * <p>Thread-safe.
 */
public final class Head {
    final SeriesRegistry series = new SeriesRegistry();
    final HeadPostings postings = new HeadPostings();
    /** Orders commits: validation against what is logged, WAL writes, and sequence numbers. */
    final ReentrantLock logLock = new ReentrantLock();
    /** Separates applying commits from readers (see {@link PhaseLock}). */
    final PhaseLock phases = new PhaseLock();
    final HeadStats stats = new HeadStats();
    final long chunkRange;
    /** Where committed batches are logged before they are applied; null for a head without WAL (tests, import). */
    WalSink wal;

    // Updated by commits applying in parallel: compare-and-set (see updateTimes).
    private volatile long minT = Long.MAX_VALUE;
    private volatile long maxT = Long.MIN_VALUE;
    /** No sample older than this is accepted (the end of the newest persisted block). */
    private volatile long minValidTime = Long.MIN_VALUE;
    private volatile IOException failure;
    /** Counts truncations that removed series, so commits re-check their series only after one happened. */
    volatile long seriesRemovals;
    /** Orders the appends of commits that apply in parallel. */
    final CommitSequence commits = new CommitSequence();

    final BufferPool buffers = new BufferPool();

    /** Where the head logs a committed batch: the WAL writer, behind a seam so tests can inject failures. */
    public interface WalSink {
        /** Logs one record; returns a position usable with {@link #sync}. */
        long log(byte[] rec, int off, int len) throws IOException;

        /** Hands written bytes to the OS (called once per commit, after its records). */
        void flush() throws IOException;

        /** Makes everything up to {@code position} durable. */
        void sync(long position) throws IOException;
    }

    /** Where finished chunks live. */
    final ChunkStore chunkStore;

    /** A head keeping finished chunks on the heap (read-only opens, tests, imports). */
    public Head(long chunkRange, WalSink wal) {
        this(chunkRange, wal, new ChunkStore.Heap());
    }

    Head(long chunkRange, WalSink wal, ChunkStore store) {
        this.chunkRange = chunkRange;
        this.wal = wal;
        this.chunkStore = store;
    }

    /**
     * A head whose finished chunks are written to memory-mapped files in {@code chunksDir} (Prometheus's
     * {@code chunks_head} format), keeping only references on the heap. Files of an earlier run are discarded:
     * WAL replay rebuilds them.
     */
    public static Head withMappedChunks(long chunkRange, Path chunksDir) throws IOException {
        return new Head(chunkRange, null, MappedChunkStore.open(chunksDir));
    }

    /** Closes the chunk files (after the last commit). */
    public void close() throws IOException {
        chunkStore.close();
    }

    /** Attaches the WAL after replay; call before the head is shared with other threads. */
    public Head withWal(WalSink sink) {
        this.wal = sink;
        return this;
    }

    public HeadAppender appender() {
        return new HeadAppender(this);
    }

    public HeadStats stats() {
        return stats;
    }

    public long minTime() {
        return minT;
    }

    public long maxTime() {
        return maxT;
    }

    public long numSeries() {
        return series.size();
    }

    public long chunkRange() {
        return chunkRange;
    }

    public void setMinValidTime(long t) {
        minValidTime = t;
    }

    public long minValidTime() {
        return minValidTime;
    }

    private volatile boolean unboundedWindow;

    /**
     * Accept samples of any age (only per-series order is enforced): for backfilling, where input is ordered by
     * series rather than by time.
     */
    public Head withUnboundedWindow() {
        unboundedWindow = true;
        return this;
    }

    /** The oldest timestamp an append may have now: Prometheus's max(last block end, head max − range/2). */
    long appendableMinValidTime() {
        if (unboundedWindow) return minValidTime;
        long mt = maxT;
        long window = mt == Long.MIN_VALUE ? Long.MIN_VALUE : mt - chunkRange / 2;
        return Math.max(minValidTime, window);
    }

    /** The WAL failure after which this head refuses commits (until it is reopened), or null while commits work. */
    public IOException writeFailure() {
        return failure;
    }

    void checkUsable() throws IOException {
        IOException f = failure;
        if (f != null) throw new IOException("the database refuses commits after an earlier WAL failure; reopen it", f);
    }

    void fail(IOException e) {
        if (failure == null) failure = e;
    }

    void updateTimes(long mint, long maxt) {
        long cur;
        while (mint < (cur = minT) && !MIN_T.compareAndSet(this, cur, mint)) Thread.onSpinWait();
        while (maxt > (cur = maxT) && !MAX_T.compareAndSet(this, cur, maxt)) Thread.onSpinWait();
    }

    private static final java.lang.invoke.VarHandle MIN_T, MAX_T;

    static {
        try {
            var lookup = java.lang.invoke.MethodHandles.lookup();
            MIN_T = lookup.findVarHandle(Head.class, "minT", long.class);
            MAX_T = lookup.findVarHandle(Head.class, "maxT", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Sets min/max directly (after truncation); call with the head held exclusively. */
    void setTimes(long mint, long maxt) {
        minT = mint;
        maxT = maxt;
    }

    // ---- appending (called by HeadAppender) ----

    MemSeries getOrCreate(Labels labels) {
        return series.getOrCreate(labels, stats.seriesCreated);
    }

    MemSeries byRef(long ref) {
        return series.get(ref);
    }

    /** Adds a series to the postings on its first applied sample; commits applying in parallel take turns. */
    void index(MemSeries s) {
        synchronized (postings) {
            if (!s.indexed) {
                postings.add(s.ref, s.labels);
                s.indexed = true;
            }
        }
    }

    SampleRejectedException reject(Reason reason, MemSeries s, long t, long boundary) {
        switch (reason) {
            case OUT_OF_ORDER: stats.outOfOrder.incrementAndGet(); break;
            case TOO_OLD: stats.tooOld.incrementAndGet(); break;
            default: stats.duplicate.incrementAndGet(); break;
        }
        return new SampleRejectedException(reason, s.labels, t, boundary);
    }

    // ---- WAL replay ----

    /** Replay: registers a series under its WAL reference; returns the series holding those labels. */
    public long replaySeries(long ref, Labels labels) {
        MemSeries s = series.getOrCreateWithRef(ref, labels);
        s.walLogged = true;
        if (!s.indexed) {
            postings.add(s.ref, s.labels);
            s.indexed = true;
        }
        return s.ref;
    }

    /**
     * Replay: applies one sample. Samples the series already has (or older) are skipped and counted, as
     * Prometheus does. Returns false if no series has the reference.
     */
    public boolean replaySample(long ref, long t, double v) {
        MemSeries s = series.get(ref);
        if (s == null) return false;
        if (t < minValidTime) return true; // already persisted in a block
        long mt = s.loggedMaxT;
        long bits = Double.doubleToRawLongBits(v);
        if (mt != Long.MIN_VALUE && t <= mt) {
            if (t < mt || bits != s.loggedLastBits) stats.outOfOrder.incrementAndGet();
            return true;
        }
        s.append(t, v, chunkRange, chunkStore);
        s.loggedMaxT = t;
        s.loggedLastBits = bits;
        updateTimes(t, t);
        stats.samplesAppended.incrementAndGet();
        return true;
    }

    // ---- reading ----

    private final LabelIndex labelIndex = new LabelIndex() {
        @Override public Postings allPostings() { return postings.all(); }
        @Override public Postings postings(String name, String value) { return postings.postings(name, value); }
        @Override public List<String> labelValues(String name) { return postings.labelValues(name); }
    };

    /**
     * Snapshots of the series matching all matchers that have samples in {@code [mint, maxt]}, sorted by labels.
     * Taken atomically with respect to commits.
     */
    public List<SeriesSnapshot> select(long mint, long maxt, Matcher... ms) {
        List<SeriesSnapshot> out = new ArrayList<>();
        phases.enterRead();
        try {
            Postings p = ms.length == 0 ? postings.all() : PostingsForMatchers.select(labelIndex, ms);
            ChunkStore.View view = chunkStore.view();
            while (p.next()) {
                MemSeries s = series.get(p.at());
                if (s == null) continue;
                SeriesSnapshot snap = s.snapshot(view);
                if (snap.overlaps(mint, maxt)) out.add(snap);
            }
        } finally {
            phases.exitRead();
        }
        out.sort((a, b) -> a.labels.compareTo(b.labels));
        return out;
    }

    /** Every series (also those without samples in any range), sorted by labels; for dumps. */
    public List<SeriesSnapshot> snapshotAll() {
        return select(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * What a block cut from the head is written from: every series (sorted by labels, also those without chunks)
     * and the symbols of their labels (sorted by UTF-8 bytes, distinct).
     */
    public record Contents(List<SeriesSnapshot> series, List<String> symbols) {}

    /**
     * The series and symbols of the head at one moment. The symbols come from the postings index, whose keys are
     * exactly the label names and values of the indexed series (as Prometheus takes them from its head).
     */
    public Contents contents() {
        List<SeriesSnapshot> all = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        phases.enterRead();
        try {
            ChunkStore.View view = chunkStore.view();
            for (Postings p = postings.all(); p.next(); ) {
                MemSeries s = series.get(p.at());
                if (s != null) all.add(s.snapshot(view));
            }
            postings.raw().forEach((name, values) -> {
                symbols.add(name);
                symbols.addAll(values.keySet());
            });
        } finally {
            phases.exitRead();
        }
        all.sort((a, b) -> a.labels.compareTo(b.labels));
        symbols.sort(Utf8.ORDER);
        int n = 0;
        for (String s : symbols) { // a name can also be a value
            if (n == 0 || !s.equals(symbols.get(n - 1))) symbols.set(n++, s);
        }
        return new Contents(all, symbols.subList(0, n));
    }

    public List<String> labelNames(long mint, long maxt, Matcher... ms) {
        if (ms.length == 0) {
            phases.enterRead();
            try {
                if (minT > maxt || maxT < mint) return List.of();
                return postings.labelNames();
            } finally {
                phases.exitRead();
            }
        }
        TreeSet<String> names = new TreeSet<>(Labels::compareUtf8);
        for (SeriesSnapshot s : select(mint, maxt, ms)) names.addAll(s.labels.names());
        return new ArrayList<>(names);
    }

    public List<String> labelValues(long mint, long maxt, String name, Matcher... ms) {
        if (ms.length == 0) {
            phases.enterRead();
            try {
                if (minT > maxt || maxT < mint) return List.of();
                return postings.labelValues(name);
            } finally {
                phases.exitRead();
            }
        }
        TreeSet<String> values = new TreeSet<>(Labels::compareUtf8);
        for (SeriesSnapshot s : select(mint, maxt, ms)) {
            String v = s.labels.get(name);
            if (!v.isEmpty()) values.add(v);
        }
        return new ArrayList<>(values);
    }

    /**
     * Drops chunks that end before {@code mint} and series left without samples; called after the range below
     * mint was persisted in a block. Returns the number of series removed.
     */
    public int truncateBefore(long mint) {
        logLock.lock();
        phases.enterExclusive();
        try {
            List<MemSeries> empty = new ArrayList<>();
            long[] newMin = {Long.MAX_VALUE};
            series.forEach(s -> {
                if (s.truncateBefore(mint)) {
                    empty.add(s);
                } else {
                    newMin[0] = Math.min(newMin[0], s.minTime());
                }
            });
            for (MemSeries s : empty) {
                if (s.indexed) postings.remove(s.ref, s.labels);
                series.remove(s);
                // If an appender still holds it, its commit re-attaches it and logs its series record again
                // (the WAL checkpoint drops series that are gone).
                s.indexed = false;
                s.walLogged = false;
            }
            // After the removals: an appender that reads the new count finds none of the removed series.
            if (!empty.isEmpty()) {
                seriesRemovals++;
                series.pruneAliases();
            }
            minValidTime = Math.max(minValidTime, mint);
            minT = newMin[0] == Long.MAX_VALUE ? Math.max(minT, mint) : newMin[0];
            try {
                chunkStore.truncateBefore(mint);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("removing old head chunk files", e);
            }
            return empty.size();
        } finally {
            phases.exitExclusive();
            logLock.unlock();
        }
    }

    /**
     * Deletes the samples of matching series in {@code [mint, maxt]}: logs a tombstones record (so replay
     * repeats the deletion at the same point of history) and removes the samples from memory. Returns the
     * number of samples removed.
     */
    public long delete(long mint, long maxt, Matcher... ms) throws IOException {
        logLock.lock();
        phases.enterExclusive();
        try {
            checkUsable();
            Postings p = PostingsForMatchers.select(labelIndex, ms);
            List<MemSeries> hit = new ArrayList<>();
            while (p.next()) {
                MemSeries s = series.get(p.at());
                if (s != null && !s.isEmpty() && s.minTime() <= maxt && s.maxTime() >= mint) hit.add(s);
            }
            if (hit.isEmpty()) return 0;
            if (wal != null) {
                long[] refs = new long[hit.size()];
                long[] mints = new long[hit.size()];
                long[] maxts = new long[hit.size()];
                for (int i = 0; i < refs.length; i++) {
                    refs[i] = hit.get(i).ref;
                    mints[i] = mint;
                    maxts[i] = maxt;
                }
                Encbuf e = new Encbuf();
                io.tsdb4j.record.RecordEncoder.tombstones(e, refs, mints, maxts, refs.length);
                try {
                    long pos = wal.log(e.array(), 0, e.len());
                    wal.flush();
                    wal.sync(pos);
                } catch (IOException ex) {
                    fail(ex);
                    throw ex;
                }
            }
            long removed = 0;
            for (MemSeries s : hit) removed += s.deleteRange(mint, maxt, chunkStore);
            return removed;
        } finally {
            phases.exitExclusive();
            logLock.unlock();
        }
    }

    /**
     * Whether the head spans more than 1.5 block ranges, so its oldest range should be persisted (Prometheus's
     * {@code compactable}).
     */
    public boolean compactable() {
        long mint = minT, maxt = maxT;
        return mint != Long.MAX_VALUE && maxt != Long.MIN_VALUE && maxt - mint > chunkRange / 2 * 3;
    }

    /** Drops series that were removed from the head, after replay (series records without any sample left). */
    public void removeEmptySeries() {
        truncateBefore(minValidTime);
    }

    /** Replay: applies a logged deletion to one series. */
    public void replayTombstone(long ref, long mint, long maxt) {
        MemSeries s = series.get(ref);
        if (s != null) s.deleteRange(mint, maxt, chunkStore);
    }

    /** Live series references and labels (for WAL checkpoints). */
    public void forEachSeries(java.util.function.BiConsumer<Long, Labels> action) {
        phases.enterRead();
        try {
            series.forEach(s -> {
                if (s.walLogged) action.accept(s.ref, s.labels);
            });
        } finally {
            phases.exitRead();
        }
    }

    /**
     * Whether WAL records under {@code ref} are still needed: it is a head series, or a reference the WAL also used
     * for one (the same labels logged again after a head cut had removed them). WAL checkpoints keep exactly these.
     */
    public boolean hasSeries(long ref) {
        return series.isLive(ref);
    }

    /** Approximate bytes held by chunks and postings (heap). */
    public long memoryBytes() {
        phases.enterRead();
        try {
            long[] n = {postings.sizeInBytes() + chunkStore.heapBytes()};
            series.forEach(s -> n[0] += s.heapBytes() + 64);
            return n[0];
        } finally {
            phases.exitRead();
        }
    }

    public List<String> labelNamesAll() {
        phases.enterRead();
        try {
            return Collections.unmodifiableList(postings.labelNames());
        } finally {
            phases.exitRead();
        }
    }

    /** Per label name, how many series carry it (for the status page). */
    public java.util.Map<String, Integer> seriesCountByLabelName() {
        phases.enterRead();
        try {
            return postings.seriesCountByName();
        } finally {
            phases.exitRead();
        }
    }

    /** Per label name, how many distinct values it has. */
    public java.util.Map<String, Integer> valueCountByLabelName() {
        phases.enterRead();
        try {
            java.util.Map<String, Integer> out = new java.util.HashMap<>();
            postings.raw().forEach((k, v) -> out.put(k, v.size()));
            return out;
        } finally {
            phases.exitRead();
        }
    }

    /**
     * Reusable appender buffers, so that steady-state appending allocates nothing per sample. A monitor-guarded
     * stack: taken and given once per batch, and a contended monitor waits in the runtime, whereas a lock-free
     * queue's retry branch, first taken under contention mid-ingest, made the JIT throw away the compiled commit.
     */
    static final class BufferPool {
        private Buffers[] free = new Buffers[8];
        private int size;

        Buffers take() {
            synchronized (this) {
                if (size > 0) {
                    Buffers b = free[--size];
                    free[size] = null;
                    return b;
                }
            }
            return new Buffers();
        }

        void give(Buffers b) {
            b.n = 0;
            if (b.series.length > 1 << 16) return; // don't hoard giant batches
            synchronized (this) {
                if (size == free.length) free = java.util.Arrays.copyOf(free, size * 2);
                free[size++] = b;
            }
        }
    }

    /** One batch: parallel arrays of pending samples, plus WAL encoding scratch. */
    static final class Buffers {
        /** {@link Head#seriesRemovals} when this batch began, before its first series lookup. */
        long removalsSeen;
        /** The head's appendable minimum time when this batch began, for the early checks of appends. */
        long minValid;
        MemSeries[] series = new MemSeries[128];
        long[] refs = new long[128];
        long[] ts = new long[128];
        double[] vs = new double[128];
        boolean[] ok = new boolean[128];
        /** Per accepted sample: an incomplete commit that must append to the series first, else 0. */
        long[] after = new long[128];
        /** Some sample must wait for another commit (usually none does). */
        boolean mayWait;
        /** Some accepted sample's series is not yet in the postings. */
        boolean unindexed;
        int n;
        /** Set by the commit's validation: samples accepted, and series in the series record. */
        int accepted;
        int newSeries;
        final Encbuf seriesRec = new Encbuf(1024);
        final Encbuf samplesRec = new Encbuf(4096);

        void add(MemSeries s, long t, double v) {
            if (n == series.length) {
                int c = n * 2;
                series = java.util.Arrays.copyOf(series, c);
                refs = java.util.Arrays.copyOf(refs, c);
                ts = java.util.Arrays.copyOf(ts, c);
                vs = java.util.Arrays.copyOf(vs, c);
                ok = java.util.Arrays.copyOf(ok, c);
                after = java.util.Arrays.copyOf(after, c);
            }
            series[n] = s;
            refs[n] = s.ref;
            ts[n] = t;
            vs[n] = v;
            n++;
        }

    }
}
