package io.tsdb4j.block;

import io.tsdb4j.Querier;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.Series;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.encoding.Utf8;
import io.tsdb4j.index.ChunkMeta;
import io.tsdb4j.index.IndexCorruptionException;
import io.tsdb4j.index.IndexReader;
import io.tsdb4j.index.Postings;
import io.tsdb4j.labels.InvalidLabelsException;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.query.LabelIndex;
import io.tsdb4j.query.PostingsForMatchers;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A persisted block opened for reading: meta, the index (memory-mapped), the chunk files (memory-mapped) and the
 * tombstones. Implements {@link LabelIndex}, so {@link PostingsForMatchers} plans matchers over it.
 *
 * <h2>Lifetime</h2>
 * The opener owns the block and ends it with {@link #close()}. Readers that outlive a single call (queriers,
 * compaction) {@link #acquire()} it and {@link #release()} it when done; {@link #querier} does both. {@code close()}
 * refuses new acquisitions and <b>waits</b> until every acquisition is released, so a block being deleted or
 * compacted away stays readable for queries already running on it. Calls on a block whose close has completed
 * throw {@link IllegalStateException}.
 *
 * <h2>Errors</h2>
 * Damage found when opening or on any later read is a {@link BlockCorruptionException} naming the ULID (cause: the
 * file/offset exception). I/O errors while opening are {@link IOException}.
 *
 * <p>Thread-safe: reads are lock-free over immutable mappings and an immutable tombstones snapshot; {@link #delete}
 * and the meta updates are serialized.
 */
public final class Block implements LabelIndex, Closeable {
    private final Path dir;
    private final String name;
    private final IndexReader index;
    private final ChunkReader chunks;
    private volatile BlockMeta meta;
    /** Immutable snapshot; {@link #delete} publishes a new one. */
    private volatile Tombstones tombstones;
    private volatile long tombstonesSize;
    private volatile long metaSize;

    private static final System.Logger LOG = System.getLogger(Block.class.getName());
    /**
     * How long {@link #close()} waits for readers before it logs a warning (and again after each further period):
     * a querier that is never closed would otherwise stall compaction and retention without a word.
     */
    static volatile long closeWarnMillis = 60_000;

    private final Object lifecycle = new Object();
    private int pending;
    private boolean closing;
    private volatile boolean closed;

    private Block(Path dir, BlockMeta meta, IndexReader index, ChunkReader chunks, Tombstones ts, long tsSize, long metaSize) {
        this.dir = dir;
        this.name = meta.ulid().toString();
        this.meta = meta;
        this.index = index;
        this.chunks = chunks;
        this.tombstones = ts;
        this.tombstonesSize = tsSize;
        this.metaSize = metaSize;
    }

    /**
     * Opens the block in {@code dir}: reads and checks meta.json (version 1), opens the index (header, TOC, symbol
     * and postings offset tables checked), maps the chunk files (headers checked) and reads the tombstones.
     *
     * @throws BlockCorruptionException if a file is missing or damaged (named by the directory's ULID)
     * @throws IOException              on other I/O errors
     */
    public static Block open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        String dirName = dir.getFileName().toString();
        BlockMeta meta;
        try {
            meta = BlockMeta.read(dir);
        } catch (FileCorruptionException e) {
            throw new BlockCorruptionException(dirName, "meta.json: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new BlockCorruptionException(dirName, "meta.json is missing", e);
        }
        String id = meta.ulid().toString();
        if (meta.version() != BlockMeta.VERSION_1) {
            throw new BlockCorruptionException(id, "meta.json version " + meta.version() + ", only 1 is supported");
        }
        if (meta.minTime() > meta.maxTime()) {
            throw new BlockCorruptionException(id, "meta.json minTime " + meta.minTime() + " > maxTime " + meta.maxTime());
        }
        IndexReader ir = null;
        try {
            ir = IndexReader.open(dir.resolve("index"));
            ChunkReader cr = ChunkReader.open(dir.resolve(ChunkFormat.DIR));
            Tombstones ts = Tombstones.read(dir);
            Path tf = dir.resolve(Tombstones.FILE_NAME);
            long tsSize = Files.exists(tf) ? Files.size(tf) : 0;
            return new Block(dir, meta, ir, cr, ts, tsSize, Files.size(dir.resolve(BlockMeta.FILE_NAME)));
        } catch (IndexCorruptionException | FileCorruptionException e) {
            if (ir != null) ir.close();
            throw new BlockCorruptionException(id, e.getMessage(), e);
        } catch (NoSuchFileException e) {
            if (ir != null) ir.close();
            throw new BlockCorruptionException(id, "missing " + e.getFile(), e);
        } catch (IOException | RuntimeException e) {
            if (ir != null) ir.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public Ulid ulid() {
        return meta.ulid();
    }

    /** The current meta (stats.numTombstones and the compaction flags change with {@link #delete} and marks). */
    public BlockMeta meta() {
        return meta;
    }

    public long minTime() {
        return meta.minTime();
    }

    /** Exclusive. */
    public long maxTime() {
        return meta.maxTime();
    }

    /** Bytes on disk: index, chunk files, tombstones and meta.json. */
    public long size() {
        return index.size() + chunks.size() + tombstonesSize + metaSize;
    }

    /** The current tombstones (a copy the caller may modify). */
    public Tombstones tombstones() {
        return tombstones.copy();
    }

    // ---- lifetime -------------------------------------------------------------------------------------------

    /** Registers a reader; false if the block is closing or closed (then do not read it). */
    public boolean acquire() {
        synchronized (lifecycle) {
            if (closing) return false;
            pending++;
            return true;
        }
    }

    /** Ends a reader registered with {@link #acquire()}. */
    public void release() {
        synchronized (lifecycle) {
            if (pending <= 0) throw new IllegalStateException("release without acquire on block " + name);
            if (--pending == 0) lifecycle.notifyAll();
        }
    }

    /**
     * Refuses new readers, waits until all acquired ones are released, then closes the index and chunk readers.
     * Idempotent. If interrupted while waiting, closes anyway (the interrupt flag is kept). While it waits it logs a
     * warning every {@code closeWarnMillis} (a minute) naming the block and how many readers are still open.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (lifecycle) {
            closing = true;
            long waitingSince = System.nanoTime();
            long nextWarning = closeWarnMillis;
            while (pending > 0) {
                try {
                    long waitedMillis = (System.nanoTime() - waitingSince) / 1_000_000;
                    if (waitedMillis >= nextWarning) {
                        LOG.log(System.Logger.Level.WARNING, "block {0} has waited {1} s for {2} open reader(s) before it"
                                + " can close; compaction and retention wait with it (is a Querier not closed?)",
                                name, waitedMillis / 1000, pending);
                        nextWarning += closeWarnMillis;
                    }
                    lifecycle.wait(Math.max(1, nextWarning - waitedMillis));
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (closed) return;
            closed = true;
        }
        index.close();
        chunks.close();
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("block " + name + " is closed");
    }

    // ---- LabelIndex -----------------------------------------------------------------------------------------

    @Override
    public Postings allPostings() {
        ensureOpen();
        try {
            return index.allPostings();
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        }
    }

    @Override
    public Postings postings(String name, String value) {
        ensureOpen();
        try {
            return index.postings(name, value);
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        }
    }

    @Override
    public List<String> labelValues(String name) {
        ensureOpen();
        try {
            return index.labelValues(name);
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        }
    }

    // ---- queries --------------------------------------------------------------------------------------------

    /**
     * A querier over {@code [mint, maxt]} (closed) that holds the block open until closed.
     *
     * @throws IllegalStateException if the block is closing
     */
    public Querier querier(long mint, long maxt) {
        if (!acquire()) throw new IllegalStateException("block " + name + " is closing");
        return new BlockQuerier(mint, maxt);
    }

    /**
     * Series matching all matchers (all series if none) with at least one sample in the closed range {@code [mint,
     * maxt]} that is not deleted, sorted by labels. Series are decoded lazily as the set is iterated; the caller
     * must keep the block open ({@link #acquire()}) until it is done with the set and its iterators.
     */
    public SeriesSet select(long mint, long maxt, Matcher... ms) {
        ensureOpen();
        BlockMeta m = meta;
        if (mint > maxt || !m.overlapsClosed(mint, maxt)) return SeriesSet.EMPTY;
        Postings p;
        try {
            p = ms.length == 0 ? index.allPostings() : PostingsForMatchers.select(this, ms);
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        }
        return new BlockSeriesSet(p, mint, maxt, tombstones);
    }

    /**
     * Sorted label names of series matching {@code ms} (all names in the index if none), ignoring time and
     * tombstones as Prometheus does.
     */
    public List<String> labelNames(Matcher... ms) {
        ensureOpen();
        try {
            if (ms.length == 0) return index.labelNames();
            TreeSet<String> names = new TreeSet<>(Utf8.ORDER);
            Postings p = PostingsForMatchers.select(this, ms);
            while (p.next()) index.series(p.at(), (n, v) -> names.add(n), null);
            return new ArrayList<>(names);
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        }
    }

    /** Sorted values of label {@code name} among series matching {@code ms} (all values if none). */
    public List<String> labelValues(String name, Matcher... ms) {
        ensureOpen();
        try {
            if (ms.length == 0) return index.labelValues(name);
            TreeSet<String> values = new TreeSet<>(Utf8.ORDER);
            Postings p = PostingsForMatchers.select(this, ms);
            while (p.next()) {
                index.series(p.at(), (n, v) -> {
                    if (n.equals(name)) values.add(v);
                }, null);
            }
            return new ArrayList<>(values);
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        }
    }

    // ---- deletion and meta updates --------------------------------------------------------------------------

    /**
     * Marks samples in the closed range {@code [mint, maxt]} of series matching {@code ms} (all series if none) as
     * deleted: adds tombstones (clamped to each series' sample range, for series with a chunk overlapping the range),
     * rewrites the tombstones file and meta.json (numTombstones) atomically, then makes them visible to new
     * selects. Data is removed from disk only when the block is compacted.
     *
     * @return the number of series that got a tombstone
     */
    public synchronized int delete(long mint, long maxt, Matcher... ms) throws IOException {
        ensureOpen();
        if (mint > maxt) throw new IllegalArgumentException("delete range [" + mint + ", " + maxt + "] is empty");
        Tombstones next = tombstones.copy();
        int touched = 0;
        try {
            Postings p = ms.length == 0 ? index.allPostings() : PostingsForMatchers.select(this, ms);
            List<long[]> chks = new ArrayList<>();
            while (p.next()) {
                long id = p.at();
                chks.clear();
                index.series(id, null, (cmin, cmax, ref) -> chks.add(new long[]{cmin, cmax}));
                if (chks.isEmpty()) continue;
                for (long[] c : chks) {
                    if (c[0] <= maxt && mint <= c[1]) {
                        long lo = Math.max(mint, chks.get(0)[0]);
                        long hi = Math.min(maxt, chks.get(chks.size() - 1)[1]);
                        if (lo <= hi) {
                            next.add(id, lo, hi);
                            touched++;
                        }
                        break;
                    }
                }
            }
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        }
        if (touched == 0) return 0;
        long tsSize = next.write(dir);
        BlockMeta nm = meta.withStats(meta.stats().withNumTombstones(next.total()));
        long ms2 = nm.write(dir);
        tombstonesSize = tsSize;
        metaSize = ms2;
        meta = nm;
        tombstones = next;
        return touched;
    }

    /** Sets {@code compaction.deletable} in meta.json (the block may be removed; its data lives in a child). */
    public synchronized void markDeletable() throws IOException {
        BlockMeta nm = meta.withCompaction(meta.compaction().withDeletable(true));
        metaSize = nm.write(dir);
        meta = nm;
    }

    /** Sets {@code compaction.failed} in meta.json, so the planner stops picking this block. */
    public synchronized void markCompactionFailed() throws IOException {
        BlockMeta nm = meta.withCompaction(meta.compaction().withFailed(true));
        metaSize = nm.write(dir);
        meta = nm;
    }

    // ---- verification and raw access (compaction) -----------------------------------------------------------

    /**
     * Reads every series entry and every chunk (checking CRCs and that chunks decode), so damage anywhere is found
     * now rather than by a later query.
     *
     * @throws BlockCorruptionException naming what is damaged
     */
    public void verify() {
        ensureOpen();
        Cursor c = cursor();
        XorChunk.Iterator it = new XorChunk.Iterator();
        while (c.next()) {
            for (ChunkMeta m : c.chunks()) {
                ChunkData d = readChunk(m);
                it.reset(d.bytes(), 0, d.numSamples());
                int n = 0;
                long first = Long.MIN_VALUE, lastT = Long.MIN_VALUE;
                while (it.next()) {
                    if (n == 0) first = it.t();
                    lastT = it.t();
                    n++;
                }
                if (it.corrupt() || n != d.numSamples() || first != m.minTime() || lastT != m.maxTime()) {
                    throw new BlockCorruptionException(name, "chunk 0x" + Long.toHexString(m.ref()) + " of " + c.labels()
                            + " does not decode to its " + d.numSamples() + " samples in [" + m.minTime() + ", "
                            + m.maxTime() + "]");
                }
            }
        }
    }

    /** Reads one chunk, checking its CRC and that it is an XOR chunk. */
    ChunkData readChunk(ChunkMeta m) {
        ChunkReader.Chunk c;
        try {
            c = chunks.read(m.ref());
        } catch (FileCorruptionException e) {
            throw corrupt(e);
        }
        checkChunk(m.ref(), m.minTime(), m.maxTime(), c.encoding(), c.data().length);
        return new ChunkData(m.minTime(), m.maxTime(), c.data());
    }

    /** Reads one chunk into a reused buffer, with the checks of {@link #readChunk(ChunkMeta)}. */
    void readChunk(long ref, long minTime, long maxTime, ChunkReader.Buffer into) {
        try {
            chunks.read(ref, into);
        } catch (FileCorruptionException e) {
            throw corrupt(e);
        }
        checkChunk(ref, minTime, maxTime, into.encoding(), into.length());
    }

    private void checkChunk(long ref, long minTime, long maxTime, int encoding, int length) {
        if (encoding != XorChunk.ENCODING) {
            throw new UnsupportedOperationException("block " + name + ": chunk 0x" + Long.toHexString(ref)
                    + " has encoding " + encoding + "; only XOR (1) chunks are supported");
        }
        if (length < 2 || minTime > maxTime) {
            throw new BlockCorruptionException(name, "chunk 0x" + Long.toHexString(ref) + " has no header or a bad range");
        }
    }

    /** The index's symbols in byte order. */
    java.util.Iterator<String> symbols() {
        ensureOpen();
        java.util.Iterator<String> it = index.symbols();
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public String next() {
                try {
                    return it.next();
                } catch (IndexCorruptionException e) {
                    throw corrupt(e);
                }
            }
        };
    }

    /** Iterates every series of the block in index (label) order: labels, chunk metas and tombstones. */
    Cursor cursor() {
        return new Cursor(allPostings(), tombstones);
    }

    /** A pull iterator over all series; single-threaded. */
    final class Cursor {
        private final Postings p;
        private final Tombstones ts;
        private final List<String> kv = new ArrayList<>();
        private final List<ChunkMeta> chks = new ArrayList<>();
        private Labels labels;
        private long id;

        Cursor(Postings p, Tombstones ts) {
            this.p = p;
            this.ts = ts;
        }

        boolean next() {
            if (!p.next()) return false;
            id = p.at();
            chks.clear();
            labels = readSeries(id, kv, chks);
            return true;
        }

        Labels labels() {
            return labels;
        }

        List<ChunkMeta> chunks() {
            return chks;
        }

        /** Deleted intervals of the current series as {@code min, max} pairs (do not modify). */
        long[] deleted() {
            return ts.raw(id);
        }

        Block block() {
            return Block.this;
        }
    }

    private Labels readSeries(long id, List<String> kv, List<ChunkMeta> chks) {
        kv.clear();
        try {
            index.series(id, (n, v) -> {
                kv.add(n);
                kv.add(v);
            }, chks == null ? null : (cmin, cmax, ref) -> chks.add(new ChunkMeta(cmin, cmax, ref)));
            return Labels.fromSortedPairs(kv.toArray(new String[0]));
        } catch (IndexCorruptionException e) {
            throw corrupt(e);
        } catch (InvalidLabelsException e) {
            throw new BlockCorruptionException(name, "series " + id + " has invalid labels: " + e.getMessage(), e);
        }
    }

    private BlockCorruptionException corrupt(RuntimeException e) {
        return new BlockCorruptionException(name, e.getMessage(), e);
    }

    @Override
    public String toString() {
        BlockMeta m = meta;
        return "Block{" + name + " [" + m.minTime() + ", " + m.maxTime() + ") level " + m.compaction().level() + "}";
    }

    // ---- series set and iterators ---------------------------------------------------------------------------

    private final class BlockSeriesSet implements SeriesSet {
        private final Postings p;
        private final long mint, maxt;
        private final Tombstones ts;
        private final List<String> kv = new ArrayList<>();
        private final List<ChunkMeta> chks = new ArrayList<>();
        private Series cur;

        BlockSeriesSet(Postings p, long mint, long maxt, Tombstones ts) {
            this.p = p;
            this.mint = mint;
            this.maxt = maxt;
            this.ts = ts;
        }

        @Override
        public boolean next() {
            while (true) {
                boolean more;
                try {
                    more = p.next();
                } catch (IndexCorruptionException e) {
                    throw corrupt(e);
                }
                if (!more) {
                    cur = null;
                    return false;
                }
                long id = p.at();
                chks.clear();
                Labels ls = readSeries(id, kv, chks);
                int n = 0;
                for (ChunkMeta c : chks) if (c.maxTime() >= mint && c.minTime() <= maxt) n++;
                if (n == 0) continue;
                long[] cm = new long[n * 3];
                int i = 0;
                for (ChunkMeta c : chks) {
                    if (c.maxTime() >= mint && c.minTime() <= maxt) {
                        cm[i++] = c.minTime();
                        cm[i++] = c.maxTime();
                        cm[i++] = c.ref();
                    }
                }
                BlockSeries s = new BlockSeries(ls, cm, ts.raw(id), mint, maxt);
                // The querier contract leaves out series without samples in range (e.g. all deleted).
                if (!s.iterator().next()) continue;
                cur = s;
                return true;
            }
        }

        @Override
        public Series at() {
            if (cur == null) throw new IllegalStateException("not positioned");
            return cur;
        }
    }

    private final class BlockSeries implements Series {
        private final Labels labels;
        private final long[] chunkMetas;
        private final long[] deleted;
        private final long mint, maxt;

        BlockSeries(Labels labels, long[] chunkMetas, long[] deleted, long mint, long maxt) {
            this.labels = labels;
            this.chunkMetas = chunkMetas;
            this.deleted = deleted;
            this.mint = mint;
            this.maxt = maxt;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public SampleIterator iterator() {
            return new BlockSampleIterator(chunkMetas, deleted, mint, maxt);
        }
    }

    /**
     * Samples of a series' chunks within {@code [mint, maxt]}, skipping deleted ones. Times are kept strictly
     * increasing even if a (foreign) block had overlapping chunks: a sample not after the previous one is dropped.
     */
    private final class BlockSampleIterator implements SampleIterator {
        private final long[] cm;
        private final long[] del;
        private final long maxt;
        private final XorChunk.Iterator it = new XorChunk.Iterator();
        private final ChunkReader.Buffer chunk = new ChunkReader.Buffer();
        /** Next sample must have t >= floor. */
        private long floor;
        private int ci = -1;
        private boolean inChunk;
        private boolean done;
        private boolean positioned;
        private int di;
        private long t;
        private double v;

        BlockSampleIterator(long[] cm, long[] del, long mint, long maxt) {
            this.cm = cm;
            this.del = del;
            this.floor = mint;
            this.maxt = maxt;
        }

        @Override
        public boolean next() {
            if (done) return false;
            while (true) {
                if (!inChunk && !openNextChunk()) return finish();
                if (!it.next()) {
                    if (it.corrupt()) {
                        throw new BlockCorruptionException(name, "chunk 0x" + Long.toHexString(cm[ci * 3 + 2])
                                + " ends before its sample count");
                    }
                    inChunk = false;
                    continue;
                }
                long st = it.t();
                if (st < floor) continue;
                if (st > maxt) {
                    inChunk = false;
                    continue;
                }
                if (isDeleted(st)) continue;
                t = st;
                v = it.v();
                positioned = true;
                if (st == Long.MAX_VALUE) {
                    done = true; // nothing can follow; report this one, then stop
                    return true;
                }
                floor = st + 1;
                return true;
            }
        }

        private boolean finish() {
            done = true;
            positioned = false;
            return false;
        }

        private boolean openNextChunk() {
            while (++ci * 3 < cm.length) {
                long cmin = cm[ci * 3], cmax = cm[ci * 3 + 1];
                if (cmin > maxt) return false;
                if (cmax < floor) continue;
                readChunk(cm[ci * 3 + 2], cmin, cmax, chunk);
                it.reset(chunk.data(), 0, chunk.length(), XorChunk.numSamples(chunk.data(), 0));
                inChunk = true;
                return true;
            }
            return false;
        }

        private boolean isDeleted(long st) {
            while (di < del.length && del[di + 1] < st) di += 2;
            return di < del.length && del[di] <= st;
        }

        @Override
        public boolean seek(long target) {
            if (positioned && t >= target) return true;
            if (done) return false;
            if (target > floor) floor = target;
            return next();
        }

        @Override
        public long t() {
            return t;
        }

        @Override
        public double v() {
            return v;
        }
    }

    private final class BlockQuerier implements Querier {
        private final long mint, maxt;
        private boolean released;

        BlockQuerier(long mint, long maxt) {
            this.mint = mint;
            this.maxt = maxt;
        }

        @Override
        public long minTime() {
            return mint;
        }

        @Override
        public long maxTime() {
            return maxt;
        }

        @Override
        public SeriesSet select(Matcher... matchers) {
            return Block.this.select(mint, maxt, matchers);
        }

        @Override
        public List<String> labelNames(Matcher... matchers) {
            return Block.this.labelNames(matchers);
        }

        @Override
        public List<String> labelValues(String name, Matcher... matchers) {
            return Block.this.labelValues(name, matchers);
        }

        @Override
        public synchronized void close() {
            if (released) return;
            released = true;
            release();
        }
    }
}
