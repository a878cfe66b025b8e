package io.tsdb4j.wal;

import io.airlift.compress.snappy.SnappyCompressor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

import static io.tsdb4j.wal.WalFormat.HEADER_SIZE;
import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;

/**
 * Writer of a segmented WAL directory, byte-compatible with Prometheus 2.42 ({@code wlog.WL}).
 *
 * <p>Records are fragmented into an in-memory 32 KiB page that is written to the active segment when it fills
 * up and, for {@link #log(byte[], int, int)}, after each call (Prometheus writes the page after every
 * {@code Log} call; it does not fsync per call). When a record does not fit the rest of the active segment the
 * segment is padded, fsynced and closed and a new one is started, so records never cross segments. Opening a
 * directory always starts a new segment after the highest existing segment or checkpoint.
 *
 * <p>Thread-safe. {@link #syncUpTo(long)} implements group commit: the fsync runs without the lock that
 * {@code log} needs, and callers whose position is already durable return at once. Positions are a monotonic
 * count of bytes (including page padding) written by this instance; they are not file offsets.
 *
 * <p>The per-record path allocates nothing: the page, CRC and compression buffers are reused (the compression
 * buffer grows to the largest record seen). Interrupting a thread blocked in I/O closes the segment channel
 * (a {@link FileChannel} property); the instance is then unusable.
 */
public final class Wal implements Closeable {
    private static final System.Logger LOG = System.getLogger(Wal.class.getName());
    /** Padding for the rest of a page. */
    private static final byte[] ZEROS = new byte[PAGE_SIZE];

    private final Path dir;
    private final WalOptions opts;
    private final int pagesPerSegment;

    /** Guards everything below except {@link #synced}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Serializes fsyncs so concurrent committers piggy-back on one another. */
    private final ReentrantLock syncLock = new ReentrantLock();
    /** Highest position known to be durable. */
    private final AtomicLong synced = new AtomicLong();

    /** The active page, off-heap so that writing it to the segment is one copy (a heap buffer would be two). */
    private final ByteBuffer page = ByteBuffer.allocateDirect(PAGE_SIZE);
    private final CRC32C crc = new CRC32C();
    private final SnappyCompressor compressor = new SnappyCompressor();
    private byte[] compressBuf = new byte[0];

    private FileChannel segment;
    private int segmentIndex;
    /** Full pages already written to the active segment. */
    private int donePages;
    /** Bytes of the page buffer in use. */
    private int alloc;
    /** Bytes of the page buffer already handed to the OS. */
    private int flushed;
    private long position;
    private boolean closed;
    /** The fsync and close of the last full segment, running in the background; null if none ever ran. */
    private CompletableFuture<Void> segmentClose;
    private ExecutorService closer;
    /** The first failed background segment fsync. */
    private volatile IOException closeFailure;

    /** Creates segment files. A seam for tests that make a segment's I/O fail; production opens real files. */
    interface SegmentFiles {
        FileChannel create(Path path) throws IOException;
    }

    private static final class RealSegmentFiles implements SegmentFiles {
        @Override
        public FileChannel create(Path path) throws IOException {
            return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private final SegmentFiles files;

    private Wal(Path dir, WalOptions opts, int firstSegment, SegmentFiles files) throws IOException {
        this.dir = dir;
        this.opts = opts;
        this.files = files;
        this.pagesPerSegment = opts.segmentSize() / PAGE_SIZE;
        openSegment(firstSegment);
    }

    /**
     * Opens (creating if needed) the WAL directory {@code dir} for writing and starts a new, empty segment whose
     * index is one past the highest existing segment or checkpoint (0 for an empty directory).
     */
    public static Wal open(Path dir, WalOptions opts) throws IOException {
        return open(dir, opts, new RealSegmentFiles());
    }

    static Wal open(Path dir, WalOptions opts, SegmentFiles files) throws IOException {
        Files.createDirectories(dir);
        List<Segments.SegmentRef> segs = Segments.list(dir);
        int next = segs.isEmpty() ? 0 : segs.get(segs.size() - 1).index() + 1;
        // A checkpoint may cover segments that were all deleted; the new segment must sort after it or replay
        // (checkpoint, then segments after its index) would skip it.
        Optional<Checkpoint.CheckpointRef> cp = Checkpoint.last(dir);
        if (cp.isPresent()) {
            next = Math.max(next, cp.get().index() + 1);
        }
        return new Wal(dir, opts, next, files);
    }

    /** The WAL directory. */
    public Path dir() {
        return dir;
    }

    public WalOptions options() {
        return opts;
    }

    /**
     * Logs one record and writes the partial page out to the OS (not fsynced).
     *
     * @return the position just past the record, for {@link #syncUpTo(long)}
     */
    public long log(byte[] rec, int off, int len) throws IOException {
        return append(rec, off, len, true);
    }

    /** Logs {@code rec} entirely; see {@link #log(byte[], int, int)}. */
    public long log(byte[] rec) throws IOException {
        return append(rec, 0, rec.length, true);
    }

    /** Logs a batch of records and writes the page out once, after the last (Prometheus's {@code Log(recs...)}). */
    public long log(List<byte[]> recs) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            for (int i = 0, n = recs.size(); i < n; i++) {
                byte[] r = recs.get(i);
                logLocked(r, 0, r.length, opts.compress(), i == n - 1);
            }
            return position;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Logs one record into the page buffer without writing out a partial page; full pages are still written.
     * Call {@link #flush()}, {@link #sync()} or {@link #syncUpTo(long)} afterwards.
     */
    public long append(byte[] rec, int off, int len) throws IOException {
        return append(rec, off, len, false);
    }

    private long append(byte[] rec, int off, int len, boolean flush) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, rec.length);
        lock.lock();
        try {
            ensureOpen();
            return logLocked(rec, off, len, opts.compress(), flush);
        } finally {
            lock.unlock();
        }
    }

    /** Writes the buffered part of the active page to the OS (no fsync). */
    public void flush() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            if (alloc > flushed) {
                flushPage(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Flushes and fsyncs everything logged so far. */
    public void sync() throws IOException {
        long p;
        lock.lock();
        try {
            ensureOpen();
            p = position;
        } finally {
            lock.unlock();
        }
        forceSync(p);
    }

    /**
     * Makes every record whose {@code log} returned a position {@code <= pos} durable. Returns at once if that is
     * already the case; otherwise flushes the page and fsyncs the active segment without holding the logging
     * lock, so other threads keep logging, and one fsync serves every waiter it covers.
     */
    public void syncUpTo(long pos) throws IOException {
        if (synced.get() >= pos) {
            return;
        }
        forceSync(pos);
    }

    private void forceSync(long pos) throws IOException {
        syncLock.lock();
        try {
            if (synced.get() >= pos) {
                return;
            }
            FileChannel ch;
            long target;
            CompletableFuture<Void> pendingClose;
            lock.lock();
            try {
                if (closed) {
                    if (synced.get() >= pos) {
                        return;
                    }
                    throw new IOException("WAL " + dir + " is closed");
                }
                if (alloc > flushed) {
                    flushPage(false);
                }
                ch = segment;
                target = position;
                pendingClose = segmentClose;
            } finally {
                lock.unlock();
            }
            awaitSegmentClose(pendingClose); // positions up to the active segment are durable only after it
            try {
                ch.force(false);
            } catch (ClosedChannelException e) {
                // A segment switch or close fsynced this segment before closing it and advanced `synced`;
                // anything else (an interrupt) leaves it behind and is a real failure.
                if (synced.get() < target) {
                    throw e;
                }
            }
            synced.accumulateAndGet(target, Math::max);
        } finally {
            syncLock.unlock();
        }
    }

    /** Highest position known to be on stable storage. */
    public long syncedPosition() {
        return synced.get();
    }

    /** Position just past the last logged record. */
    public long position() {
        lock.lock();
        try {
            return position;
        } finally {
            lock.unlock();
        }
    }

    /** Index of the segment currently written to. */
    public int currentSegment() {
        lock.lock();
        try {
            return segmentIndex;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pads, fsyncs and closes the active segment and starts the next one.
     *
     * @return the index of the segment just closed
     */
    public int nextSegment() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            int prev = segmentIndex;
            switchSegment();
            awaitSegmentClose(segmentClose); // callers rely on the closed segment being durable
            return prev;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes segment files with an index below {@code segment}, oldest first so the remaining segments stay
     * contiguous if this is interrupted.
     *
     * @throws IllegalArgumentException if that would delete the active segment
     */
    public void truncateBefore(int segment) throws IOException {
        int active = currentSegment();
        if (segment > active) {
            throw new IllegalArgumentException("cannot truncate WAL " + dir + " before segment " + segment
                + ": segment " + active + " is active");
        }
        boolean any = false;
        for (Segments.SegmentRef s : Segments.list(dir)) {
            if (s.index() < segment) {
                Files.deleteIfExists(s.path());
                any = true;
            }
        }
        if (any) {
            FileUtil.fsyncDir(dir);
        }
    }

    /** Pads the last page with zeros, fsyncs and closes the active segment. Idempotent. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (alloc > 0) {
                    flushPage(true);
                }
                awaitSegmentClose(segmentClose);
                segment.force(false);
                synced.accumulateAndGet(position, Math::max);
            } finally {
                segment.close();
                if (closer != null) closer.shutdown();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- internals, all called with `lock` held ----

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("WAL " + dir + " is closed");
        }
    }

    /**
     * Fragments one record into pages, following Prometheus's {@code WL.log} exactly (including its space check
     * and its zero-length FIRST fragment when exactly a header's worth of page is left).
     */
    private long logLocked(byte[] rec, int off, int len, boolean compress, boolean flush) throws IOException {
        if (PAGE_SIZE - alloc < HEADER_SIZE) { // only after a failed flush
            flushPage(true);
        }
        byte[] data = rec;
        int pos = off;
        int left = len;
        boolean compressed = false;
        if (compress && len > 0) {
            int max = compressor.maxCompressedLength(len);
            if (compressBuf.length < max) {
                compressBuf = new byte[max];
            }
            int clen = compressor.compress(rec, off, len, compressBuf, 0, compressBuf.length);
            if (clen < len) {
                data = compressBuf;
                pos = 0;
                left = clen;
                compressed = true;
            }
        }

        long space = (long) (PAGE_SIZE - alloc - HEADER_SIZE)
            + (long) (PAGE_SIZE - HEADER_SIZE) * (pagesPerSegment - donePages - 1);
        if (left > space) {
            switchSegment();
        }

        int total = left;
        int i = 0;
        do {
            int l = Math.min(left, PAGE_SIZE - alloc - HEADER_SIZE);
            int type;
            if (i == 0) {
                type = l == total ? WalFormat.TYPE_FULL : WalFormat.TYPE_FIRST;
            } else {
                type = l == left ? WalFormat.TYPE_LAST : WalFormat.TYPE_MIDDLE;
            }
            if (compressed) {
                type |= WalFormat.SNAPPY_FLAG;
            }
            crc.reset();
            crc.update(data, pos, l);
            int sum = (int) crc.getValue();
            int h = alloc;
            page.put(h, (byte) type);
            page.putShort(h + 1, (short) l); // big-endian, as the header is
            page.putInt(h + 3, sum);
            page.put(h + HEADER_SIZE, data, pos, l);
            alloc += HEADER_SIZE + l;
            position += HEADER_SIZE + l;
            if (PAGE_SIZE - alloc < HEADER_SIZE) {
                flushPage(true);
            }
            pos += l;
            left -= l;
            i++;
        } while (left > 0);

        if (flush && alloc > flushed) {
            flushPage(false);
        }
        return position;
    }

    /** Writes the unwritten part of the page; with {@code clear}, pads it to a full page and starts a new one. */
    private void flushPage(boolean clear) throws IOException {
        if (clear) {
            // Pad with zeros: only the rest of this page, as the buffer is reused without clearing.
            page.put(alloc, ZEROS, 0, PAGE_SIZE - alloc);
            position += PAGE_SIZE - alloc;
            alloc = PAGE_SIZE;
        }
        long fileOff = (long) donePages * PAGE_SIZE + flushed;
        page.limit(alloc).position(flushed);
        while (page.hasRemaining()) {
            fileOff += segment.write(page, fileOff);
        }
        page.clear(); // the absolute puts above check against the limit
        flushed = alloc;
        if (clear) {
            alloc = 0;
            flushed = 0;
            donePages++;
        }
    }

    private void switchSegment() throws IOException {
        if (alloc > 0) {
            flushPage(true);
        }
        FileChannel old = segment;
        int oldIndex = segmentIndex;
        long end = position;
        openSegment(segmentIndex + 1);
        if (closer == null) {
            closer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tsdb4j-wal-fsync " + dir.getFileName());
                t.setDaemon(true);
                return t;
            });
        }
        // One thread, so segments become durable in order and `synced` only moves over a contiguous prefix.
        segmentClose = CompletableFuture.runAsync(() -> {
            try {
                try {
                    old.force(false);
                    // After a failed segment nothing later counts as durable: positions must stay contiguous.
                    if (closeFailure == null) synced.accumulateAndGet(end, Math::max);
                } finally {
                    old.close();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "WAL {0}: fsync of segment {1} failed", dir, oldIndex, e);
                if (closeFailure == null) {
                    closeFailure = new IOException("fsync of WAL segment " + oldIndex + " in " + dir + " failed", e);
                }
            }
        }, closer);
    }

    /** Waits for a background segment fsync; throws if any failed (every later sync fails with it too). */
    private void awaitSegmentClose(CompletableFuture<Void> close) throws IOException {
        if (close != null) close.join(); // the task itself never fails: it records closeFailure
        IOException f = closeFailure;
        if (f != null) throw new IOException(f.getMessage(), f);
    }

    private void openSegment(int index) throws IOException {
        Path p = Segments.path(dir, index);
        segment = files.create(p);
        FileUtil.fsyncDir(dir);
        segmentIndex = index;
        donePages = 0;
        alloc = 0;
        flushed = 0;
        LOG.log(System.Logger.Level.DEBUG, "WAL {0}: started segment {1}", dir, p.getFileName());
    }
}
