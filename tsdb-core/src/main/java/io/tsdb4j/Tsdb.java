package io.tsdb4j;

import io.tsdb4j.block.Block;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.block.BlockWriter;
import io.tsdb4j.block.Blocks;
import io.tsdb4j.block.Compactor;
import io.tsdb4j.block.Retention;
import io.tsdb4j.block.Ulid;
import io.tsdb4j.head.Head;
import io.tsdb4j.head.HeadStats;
import io.tsdb4j.head.WalCheckpointer;
import io.tsdb4j.head.WalReplay;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.wal.Wal;
import io.tsdb4j.wal.WalOptions;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An embedded time-series database over one data directory, laid out as Prometheus 2.x lays out its own:
 * {@code wal/} segments, {@code chunks_head/}, and one directory per persisted block. Open it, append through
 * {@link #appender()}, read through {@link #querier(long, long)}, close it.
 *
 * <pre>{@code
 * try (Tsdb db = Tsdb.open(Path.of("data"))) {
 *     Appender app = db.appender();
 *     app.append(Labels.of("__name__", "up", "job", "api"), System.currentTimeMillis(), 1);
 *     app.commit();
 *     try (Querier q = db.querier(0, Long.MAX_VALUE)) {
 *         SeriesSet set = q.select(Matcher.equal("__name__", "up"));
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>In the background the database persists the head's oldest block range when the head spans 1.5 ranges,
 * checkpoints the WAL, compacts blocks (2h, 6h, 18h, ...) and deletes blocks beyond the retention time or size.
 * None of this blocks appends or queries; a querier keeps the blocks it reads open until it is closed.
 *
 * <p>Thread-safe: any number of appenders and queriers may be used concurrently. Opening takes an exclusive lock
 * on {@code <dir>/lock}, so a second process (or a second open in this one) fails with a clear message.
 */
public final class Tsdb implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());

    private final Path dir;
    private final TsdbOptions opts;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Head head;
    private final Wal wal;
    private final Compactor compactor;
    private final ScheduledExecutorService background;
    /** Persisted blocks, sorted by min time; replaced as a whole under {@link #blocksLock}. */
    private volatile List<Block> blocks;
    private final Object blocksLock = new Object();
    /** Serializes head cuts, compactions, retention and tombstone cleaning. */
    private final Object maintenanceLock = new Object();
    private final AtomicBoolean maintenanceScheduled = new AtomicBoolean();
    private final AtomicLong compactions = new AtomicLong();
    private final AtomicLong headCuts = new AtomicLong();
    private volatile boolean closed;

    private Tsdb(Path dir, TsdbOptions opts, FileChannel lockChannel, FileLock lock, Head head, Wal wal, List<Block> blocks) {
        this.dir = dir;
        this.opts = opts;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.head = head;
        this.wal = wal;
        this.blocks = List.copyOf(blocks);
        long maxBlock = opts.retentionMillis() > 0
                ? Math.max(opts.blockRangeMillis(), Math.min(opts.retentionMillis() / 10, 31L * 24 * 3600 * 1000))
                : 31L * 24 * 3600 * 1000;
        // Prometheus's levels: the block range times 1, 3, 9, ... up to a tenth of the retention (at most 31 days).
        long[] all = Compactor.exponentialRanges(opts.blockRangeMillis(), 10, 3);
        int n = 1;
        while (n < all.length && all[n] <= maxBlock) n++;
        this.compactor = new Compactor(java.util.Arrays.copyOf(all, n));
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tsdb4j-background");
            t.setDaemon(true);
            return t;
        });
        if (wal != null) {
            if (opts.syncPolicy() == SyncPolicy.INTERVAL) {
                background.scheduleWithFixedDelay(this::syncQuietly, opts.syncIntervalMillis(), opts.syncIntervalMillis(), TimeUnit.MILLISECONDS);
            }
            if (opts.backgroundCompaction()) background.scheduleWithFixedDelay(this::maintainQuietly, 1, 60, TimeUnit.SECONDS);
        }
    }

    /**
     * Opens a data directory for reading only, as {@code promtool tsdb dump} does: no lock is taken, blocks are
     * read, the WAL is replayed but never repaired or written (a damaged tail is read up to the damage), nothing
     * on disk changes. Works on a directory a running Prometheus or tsdb4j is using, showing what was on disk.
     */
    public static Tsdb openReadOnly(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("no such data directory: " + dir);
        List<Block> blocks = new ArrayList<>();
        for (Path p : Blocks.blockDirs(dir)) {
            try {
                blocks.add(Block.open(p));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "skipping block {0}: {1}", p.getFileName(), e.getMessage());
            }
        }
        blocks.sort(Comparator.comparingLong(Block::minTime));
        Head head = new Head(TsdbOptions.DEFAULT_BLOCK_RANGE, null);
        head.setMinValidTime(maxBlockTime(blocks));
        WalReplay.replay(head, dir.resolve("wal"), false);
        return new Tsdb(dir, TsdbOptions.defaults(), null, null, head, null, blocks);
    }

    public static Tsdb open(Path dir) throws IOException {
        return open(dir, TsdbOptions.defaults());
    }

    /**
     * Opens (creating if needed) the database in {@code dir}: opens its blocks (a damaged block is logged with its
     * ULID and skipped), replays the WAL, repairing a damaged tail (what is before the damage is kept, the rest is
     * cut and logged), and starts a new WAL segment.
     */
    public static Tsdb open(Path dir, TsdbOptions opts) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("data directory " + dir + " is locked by another tsdb4j or Prometheus instance (" + dir.resolve("lock") + ")");
        }
        List<Block> blocks = List.of();
        Head head = null;
        try {
            Blocks.OpenResult opened = Blocks.openAll(dir);
            blocks = opened.blocks();
            for (String skipped : opened.skipped()) {
                LOG.log(System.Logger.Level.WARNING, "block {0} is damaged and was skipped", skipped);
            }
            Path walDir = dir.resolve("wal");
            head = Head.withMappedChunks(opts.blockRangeMillis(), dir.resolve("chunks_head"));
            head.setMinValidTime(maxBlockTime(blocks));
            long start = System.nanoTime();
            io.tsdb4j.wal.Checkpoint.removeTmp(walDir);
            WalReplay.Result r = WalReplay.replay(head, walDir, true);
            head.removeEmptySeries();
            if (r.records() > 0) {
                LOG.log(System.Logger.Level.INFO, "replayed WAL {0}: {1} records, {2} series, {3} samples in {4} ms",
                        walDir, r.records(), head.numSeries(), r.samples(), (System.nanoTime() - start) / 1_000_000);
            }
            Wal wal = Wal.open(walDir, WalOptions.defaults().withSegmentSize(opts.walSegmentSize()).withCompress(opts.walCompression()));
            Tsdb db = new Tsdb(dir, opts, lockChannel, lock, head, wal, blocks);
            head.withWal(db.sink(wal, opts.syncPolicy()));
            if (head.compactable() || opts.retentionMillis() > 0 || opts.retentionBytes() > 0) db.scheduleMaintenance();
            return db;
        } catch (IOException | RuntimeException e) {
            for (Block b : blocks) b.close();
            if (head != null) head.close();
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    private static long maxBlockTime(List<Block> blocks) {
        long m = Long.MIN_VALUE;
        for (Block b : blocks) m = Math.max(m, b.maxTime());
        return m;
    }

    private Head.WalSink sink(Wal wal, SyncPolicy policy) {
        return new Head.WalSink() {
            @Override
            public long log(byte[] rec, int off, int len) throws IOException {
                return wal.append(rec, off, len);
            }

            @Override
            public void flush() throws IOException {
                wal.flush();
            }

            @Override
            public void sync(long position) throws IOException {
                if (policy == SyncPolicy.COMMIT) wal.syncUpTo(position);
                if (head.compactable()) scheduleMaintenance();
            }
        };
    }

    /** A new batch. Cheap; use one per batch. */
    public Appender appender() {
        ensureOpen();
        if (wal == null) throw new IllegalStateException("database " + dir + " was opened read-only");
        return head.appender();
    }

    /**
     * A read view of {@code [minT, maxT]} (milliseconds, inclusive) over the head and the blocks overlapping it.
     * Close it to let compaction and retention remove blocks it reads.
     */
    public Querier querier(long minT, long maxT) {
        ensureOpen();
        // The head's floor first: blocks published after this read hold only data the head had (see cutHead).
        long headFloor = head.minValidTime();
        List<Block> held = new ArrayList<>();
        List<Querier> parts = new ArrayList<>();
        synchronized (blocksLock) {
            for (Block b : blocks) {
                if (b.minTime() <= maxT && b.maxTime() > minT) {
                    parts.add(b.querier(minT, maxT));
                    held.add(b);
                }
            }
        }
        return new TsdbQuerier(head, parts, minT, maxT, new CutSince(headFloor, held));
    }

    /**
     * The blocks that took over head data a querier counted on: a head cut publishes its block, raises the head's
     * floor ({@link Head#minValidTime()}), and only then truncates the head, so a querier that finds the floor
     * above where it was at its start reads the blocks published since for that range (or the blocks they were
     * compacted into). A timestamp found both there and in the head is kept once by the querier's merge.
     */
    final class CutSince {
        private final long floor;
        private final List<Block> seen;

        CutSince(long floor, List<Block> seen) {
            this.floor = floor;
            this.seen = seen;
        }

        /** Queriers over blocks not seen yet that overlap both [minT, maxT] and the range cut since; adds them to seen. */
        List<Querier> newBlocks(long minT, long maxT) {
            long now = head.minValidTime();
            if (now <= floor) return List.of();
            long from = Math.max(minT, floor), to = Math.min(maxT, now - 1);
            List<Querier> out = new ArrayList<>();
            while (true) {
                List<Block> current = blocks;
                try {
                    for (Block b : current) {
                        if (b.minTime() <= to && b.maxTime() > from && !seen.contains(b)) {
                            out.add(b.querier(minT, maxT));
                            seen.add(b);
                        }
                    }
                    return out;
                } catch (IllegalStateException closing) {
                    // Compacted away meanwhile: the block that replaced it is already in the list.
                }
            }
        }
    }

    /**
     * Deletes the samples of series matching all matchers in {@code [minT, maxT]} (inclusive), in the head and in
     * every block (as tombstones). Durable before it returns; queriers created afterwards no longer see them. Waits
     * for a head cut or compaction in progress.
     *
     * @return the number of samples removed from the head (blocks count series, not samples)
     */
    public long delete(long minT, long maxT, Matcher... matchers) throws IOException {
        ensureWritable();
        TsdbQuerier.checkMatchers(matchers);
        // Not during a head cut or compaction (Prometheus's compaction mutex): a head cut copies the head before the
        // delete and publishes its block after it, a compaction reads its inputs' tombstones before it; either
        // would bring the deleted samples back.
        synchronized (maintenanceLock) {
            for (Block b : blocks) {
                if (b.minTime() <= maxT && b.maxTime() > minT) b.delete(minT, maxT, matchers);
            }
            return head.delete(minT, maxT, matchers);
        }
    }

    /** Rewrites blocks that have tombstones without the deleted samples (Prometheus's clean_tombstones). */
    public void cleanTombstones() throws IOException {
        ensureWritable();
        synchronized (maintenanceLock) {
            for (Block b : blocks) {
                if (b.tombstones().total() == 0) continue;
                Optional<BlockMeta> meta = compactor.compact(dir, List.of(b));
                replaceBlocks(List.of(b), meta);
            }
        }
    }

    /**
     * Writes a consistent copy of the database into {@code target} (which must not exist or be empty): hard links
     * of the blocks, plus the head written as a block. The copy opens as a data directory of its own.
     */
    public Path snapshot(Path target) throws IOException {
        return snapshot(target, true);
    }

    /** As {@link #snapshot(Path)}; {@code withHead = false} copies only the persisted blocks (Prometheus's skip_head). */
    public Path snapshot(Path target, boolean withHead) throws IOException {
        ensureOpen();
        Files.createDirectories(target);
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isPresent()) throw new IOException("snapshot directory " + target + " is not empty");
        }
        // Not during a head cut or compaction (as Prometheus): the range being cut is in no published block yet
        // and may be gone from the head by the time the head is copied.
        synchronized (maintenanceLock) {
            List<Block> held = acquireBlocks();
            try {
                for (Block b : held) linkTree(b.dir(), target.resolve(b.dir().getFileName()));
            } finally {
                held.forEach(Block::release);
            }
            if (withHead && head.minTime() != Long.MAX_VALUE) {
                BlockWriter.writeFromHead(target, head, head.minTime(), head.maxTime() + 1);
            }
        }
        return target;
    }

    /** Recreates the tree under {@code src} at {@code dst}, files as hard links (copies where links fail). */
    private static void linkTree(Path src, Path dst) throws IOException {
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    continue;
                }
                try {
                    Files.createLink(t, p);
                } catch (IOException | UnsupportedOperationException linksNotSupported) {
                    Files.copy(p, t);
                }
            }
        }
    }

    private List<Block> acquireBlocks() {
        synchronized (blocksLock) {
            List<Block> out = new ArrayList<>();
            for (Block b : blocks) if (b.acquire()) out.add(b);
            return out;
        }
    }

    /** The persisted blocks, oldest first (a snapshot of the list). */
    public List<BlockMeta> blocks() {
        List<BlockMeta> out = new ArrayList<>();
        for (Block b : blocks) out.add(b.meta());
        return out;
    }

    /** Runs head persistence, compaction and retention now (they also run in the background). */
    public void compact() throws IOException {
        ensureWritable();
        maintain();
    }

    private void scheduleMaintenance() {
        if (closed || wal == null || !opts.backgroundCompaction()) return;
        if (maintenanceScheduled.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    maintenanceScheduled.set(false);
                    maintainQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                maintenanceScheduled.set(false); // closing
            }
        }
    }

    private void maintainQuietly() {
        if (closed) return;
        try {
            maintain();
        } catch (IOException | RuntimeException e) {
            if (!closed) LOG.log(System.Logger.Level.ERROR, "background compaction failed; will retry", e);
        }
    }

    private void maintain() throws IOException {
        synchronized (maintenanceLock) {
            while (!closed && head.compactable()) cutHead();
            compactBlocks();
            applyRetention();
        }
    }

    /** Persists the head's oldest block range, truncates the head and checkpoints the WAL. */
    private void cutHead() throws IOException {
        long range = opts.blockRangeMillis();
        long mint = head.minTime();
        long maxt = Math.floorDiv(mint, range) * range + range;
        Optional<BlockMeta> meta = BlockWriter.writeFromHead(dir, head, mint, maxt);
        if (meta.isPresent()) {
            Block b = Block.open(dir.resolve(meta.get().ulid().toString()));
            synchronized (blocksLock) {
                List<Block> nb = new ArrayList<>(blocks);
                nb.add(b);
                nb.sort(Comparator.comparingLong(Block::minTime));
                blocks = List.copyOf(nb);
            }
        }
        head.setMinValidTime(maxt);
        head.truncateBefore(maxt);
        headCuts.incrementAndGet();
        WalCheckpointer.truncate(wal, head, maxt);
    }

    private void compactBlocks() throws IOException {
        while (!closed) {
            List<BlockMeta> metas = blocks();
            List<BlockMeta> plan = compactor.plan(metas);
            if (plan.isEmpty()) return;
            List<Block> inputs = new ArrayList<>();
            for (BlockMeta m : plan) {
                for (Block b : blocks) if (b.ulid().equals(m.ulid())) inputs.add(b);
            }
            Optional<BlockMeta> out = compactor.compact(dir, inputs);
            replaceBlocks(inputs, out);
            compactions.incrementAndGet();
        }
    }

    /** Publishes {@code replacement} (if any) instead of {@code old}, then closes and deletes the old blocks. */
    private void replaceBlocks(List<Block> old, Optional<BlockMeta> replacement) throws IOException {
        Block nb = replacement.isPresent() ? Block.open(dir.resolve(replacement.get().ulid().toString())) : null;
        synchronized (blocksLock) {
            List<Block> list = new ArrayList<>(blocks);
            list.removeAll(old);
            if (nb != null) list.add(nb);
            list.sort(Comparator.comparingLong(Block::minTime));
            blocks = List.copyOf(list);
        }
        for (Block b : old) {
            b.close(); // waits for queriers still reading it
            Blocks.delete(b.dir());
        }
    }

    private void applyRetention() throws IOException {
        List<Retention.BlockInfo> infos = new ArrayList<>();
        for (Block b : blocks) infos.add(new Retention.BlockInfo(b.meta(), b.size()));
        long headBytes = dirSize(dir.resolve("wal")) + dirSize(dir.resolve("chunks_head"));
        Set<Ulid> doomed = Retention.deletable(infos, opts.retentionMillis(), opts.retentionBytes(), headBytes);
        if (doomed.isEmpty()) return;
        List<Block> old = new ArrayList<>();
        for (Block b : blocks) if (doomed.contains(b.ulid())) old.add(b);
        LOG.log(System.Logger.Level.INFO, "retention: deleting {0} block(s)", old.size());
        replaceBlocks(old, Optional.empty());
    }

    private static long dirSize(Path d) throws IOException {
        if (!Files.isDirectory(d)) return 0;
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    public Path dir() {
        return dir;
    }

    public TsdbOptions options() {
        return opts;
    }

    public HeadStats headStats() {
        return head.stats();
    }

    /**
     * The storage failure (a WAL write or fsync that failed, e.g. a full disk) after which this database refuses
     * every commit until it is reopened, which replays what reached the WAL; empty while writes work. Queries keep
     * working either way.
     */
    public java.util.Optional<java.io.IOException> writeFailure() {
        return java.util.Optional.ofNullable(head.writeFailure());
    }

    /** The in-memory head (statistics, status pages). */
    public Head head() {
        return head;
    }

    /** Number of block compactions and head cuts done since open. */
    public long compactionsTotal() {
        return compactions.get();
    }

    public long headCutsTotal() {
        return headCuts.get();
    }

    /** Forces every committed sample to stable storage now, whatever the sync policy. */
    public void sync() throws IOException {
        if (wal != null) wal.sync();
    }

    public boolean readOnly() {
        return wal == null;
    }

    private void syncQuietly() {
        try {
            wal.sync();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "periodic WAL fsync failed", e);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("database " + dir + " is closed");
    }

    private void ensureWritable() {
        ensureOpen();
        if (wal == null) throw new IllegalStateException("database " + dir + " was opened read-only");
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        // No interrupts: an interrupt during FileChannel I/O closes the channel (and would break the WAL). Running
        // maintenance sees `closed` between steps and stops; periodic tasks are cancelled by shutdown().
        background.shutdown();
        try {
            if (!background.awaitTermination(5, TimeUnit.MINUTES)) {
                LOG.log(System.Logger.Level.WARNING, "background maintenance still running at close of {0}", dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (maintenanceLock) {
            for (Block b : blocks) b.close();
        }
        if (wal == null) return;
        try {
            wal.close();
            head.close();
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }
}
