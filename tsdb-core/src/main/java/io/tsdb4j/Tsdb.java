package io.tsdb4j;

import io.tsdb4j.head.Head;
import io.tsdb4j.head.HeadStats;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An embedded time-series database over one data directory, laid out as Prometheus 2.x lays out its own:
 * {@code wal/} segments, later block directories. Open it, append through {@link #appender()}, read through
 * {@link #querier(long, long)}, close it.
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
 * <p>Thread-safe: any number of appenders and queriers may be used concurrently. Opening takes an exclusive
 * lock on {@code <dir>/lock}, so a second process (or a second open in this one) fails with a clear message.
 */
public final class Tsdb implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());

    private final Path dir;
    private final TsdbOptions opts;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Head head;
    private final Wal wal;
    private final ScheduledExecutorService background;
    private volatile boolean closed;

    private Tsdb(Path dir, TsdbOptions opts, FileChannel lockChannel, FileLock lock, Head head, Wal wal) {
        this.dir = dir;
        this.opts = opts;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.head = head;
        this.wal = wal;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tsdb4j-background");
            t.setDaemon(true);
            return t;
        });
        if (opts.syncPolicy() == SyncPolicy.INTERVAL) {
            background.scheduleWithFixedDelay(this::syncQuietly, opts.syncIntervalMillis(), opts.syncIntervalMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens a data directory for reading only, as {@code promtool tsdb dump} does: no lock is taken, the WAL is
     * replayed but never repaired or written (a damaged tail is read up to the damage), nothing on disk changes.
     * Works on a directory a running Prometheus or tsdb4j is using, showing what was on disk at open.
     */
    public static Tsdb openReadOnly(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("no such data directory: " + dir);
        Head head = new Head(TsdbOptions.DEFAULT_BLOCK_RANGE, null);
        WalReplay.replay(head, dir.resolve("wal"), false);
        return new Tsdb(dir, TsdbOptions.defaults(), null, null, head, null);
    }

    public static Tsdb open(Path dir) throws IOException {
        return open(dir, TsdbOptions.defaults());
    }

    /**
     * Opens (creating if needed) the database in {@code dir}: replays the WAL, repairing a damaged tail (what is
     * before the damage is kept, the rest is cut and logged), and starts a new WAL segment.
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
        try {
            Path walDir = dir.resolve("wal");
            Head head = Head.withMappedChunks(opts.blockRangeMillis(), dir.resolve("chunks_head"));
            long start = System.nanoTime();
            WalReplay.Result r = WalReplay.replay(head, walDir, true);
            if (r.records() > 0) {
                LOG.log(System.Logger.Level.INFO, "replayed WAL {0}: {1} records, {2} series, {3} samples in {4} ms",
                        walDir, r.records(), head.numSeries(), r.samples(), (System.nanoTime() - start) / 1_000_000);
            }
            Wal wal = Wal.open(walDir, WalOptions.defaults().withSegmentSize(opts.walSegmentSize()).withCompress(opts.walCompression()));
            Head live = head.withWal(sink(wal, opts.syncPolicy()));
            return new Tsdb(dir, opts, lockChannel, lock, live, wal);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    private static Head.WalSink sink(Wal wal, SyncPolicy policy) {
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
            }
        };
    }

    /** A new batch. Cheap; use one per batch. */
    public Appender appender() {
        ensureOpen();
        if (wal == null) throw new IllegalStateException("database " + dir + " was opened read-only");
        return head.appender();
    }

    /** A read view of {@code [minT, maxT]} (milliseconds, inclusive). */
    public Querier querier(long minT, long maxT) {
        ensureOpen();
        return new TsdbQuerier(head, minT, maxT);
    }

    /**
     * Deletes the samples of series matching all matchers in {@code [minT, maxT]} (inclusive). Durable before it
     * returns (a WAL tombstone record, fsynced per the sync policy); queriers created afterwards no longer see
     * the samples.
     *
     * @return the number of samples removed from the head
     */
    public long delete(long minT, long maxT, Matcher... matchers) throws IOException {
        ensureOpen();
        if (wal == null) throw new IllegalStateException("database " + dir + " was opened read-only");
        TsdbQuerier.checkMatchers(matchers);
        return head.delete(minT, maxT, matchers);
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

    /** The in-memory head (statistics, status pages). */
    public Head head() {
        return head;
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

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        background.shutdownNow();
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
