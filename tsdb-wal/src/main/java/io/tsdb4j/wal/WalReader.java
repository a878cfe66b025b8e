package io.tsdb4j.wal;

import io.tsdb4j.compress.Snappy;
import io.tsdb4j.compress.SnappyException;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

import static io.tsdb4j.wal.WalFormat.HEADER_SIZE;
import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;

/**
 * Sequential reader of WAL records over a list of segment files, in the style of an iterator with a sticky
 * error:
 *
 * <pre>{@code
 * try (WalReader r = WalReader.open(dir)) {
 *     while (r.next()) {
 *         decode(r.buffer(), 0, r.length());
 *     }
 *     if (r.err() != null) { WalRepair.repair(dir, r.err()); }
 * }
 * }</pre>
 *
 * <p>Each segment is read on its own: a record open at the end of a segment is torn, and a segment ending in
 * the middle of a page (an active or crashed segment) is fine as long as no record is open. Validation follows
 * Prometheus's reader (CRC, fragment type and order, zero padding, length) and is a little stricter where
 * Prometheus's writer can never produce the input (a fragment crossing a page, unknown header flag bits,
 * mixed snappy flags within one record).
 *
 * <p>Not thread-safe. {@link #buffer()} is reused: its content is valid until the next call to {@link #next()}.
 * Corrupt content never throws: {@code next()} returns false and {@link #err()} says what and where. Real I/O
 * errors (a file that cannot be read) are thrown as {@link UncheckedIOException}.
 */
public final class WalReader implements Closeable {
    /** Snappy cannot expand input by more than about 22x; anything beyond that is a damaged length prefix. */
    private static final int MAX_SNAPPY_EXPANSION = 32;

    /** One segment file to read: {@code checkpoint} marks segments of a checkpoint directory. */
    record Source(Path dir, int index, Path path, boolean checkpoint) {
    }

    private final List<Source> sources;
    private int nextSource;
    private Source cur;
    private FileChannel ch;

    private final byte[] page = new byte[PAGE_SIZE];
    private final ByteBuffer pageBuf = ByteBuffer.wrap(page);
    private long pageStart;
    private int pageLen;
    private boolean pageLoaded;
    private int pos;

    private final CRC32C crc = new CRC32C();
    private byte[] rec = new byte[PAGE_SIZE];
    private int recLen;
    private byte[] packed = new byte[PAGE_SIZE];
    private int packedLen;

    private int recSegment = -1;
    private long recOffset = -1;
    private long recEnd = -1;
    private boolean recCompressed;
    private boolean recInCheckpoint;
    private Path recDir;

    private WalCorruptionException err;
    private boolean done;

    WalReader(List<Source> sources) {
        this.sources = sources;
    }

    /** Reads every segment of {@code dir} in order; fails naming the first missing index if there is a gap. */
    public static WalReader open(Path dir) throws IOException {
        return open(dir, -1, Integer.MAX_VALUE);
    }

    /**
     * Reads the segments of {@code dir} with {@code from <= index <= toInclusive} ({@code -1} and
     * {@link Integer#MAX_VALUE} leave a bound open); the selected segments must be contiguous.
     */
    public static WalReader open(Path dir, int from, int toInclusive) throws IOException {
        List<Segments.SegmentRef> segs = new ArrayList<>();
        for (Segments.SegmentRef s : Segments.list(dir)) {
            if (s.index() >= from && s.index() <= toInclusive) {
                segs.add(s);
            }
        }
        Segments.requireContiguous(dir, segs);
        List<Source> src = new ArrayList<>(segs.size());
        for (Segments.SegmentRef s : segs) {
            src.add(new Source(dir, s.index(), s.path(), false));
        }
        return new WalReader(src);
    }

    /**
     * Reader for replay: the segments of the newest checkpoint (if any, {@link #inCheckpoint()} true), then the
     * WAL segments after the checkpoint's index (all of them without a checkpoint). Segments the checkpoint
     * covers are skipped. The WAL segments read must start right after the checkpoint and be contiguous.
     */
    public static WalReader forReplay(Path walDir) throws IOException {
        List<Source> src = new ArrayList<>();
        Optional<Checkpoint.CheckpointRef> cp = Checkpoint.last(walDir);
        int after = -1;
        if (cp.isPresent()) {
            Path cpDir = cp.get().dir();
            List<Segments.SegmentRef> cpSegs = Segments.list(cpDir);
            Segments.requireContiguous(cpDir, cpSegs);
            for (Segments.SegmentRef s : cpSegs) {
                src.add(new Source(cpDir, s.index(), s.path(), true));
            }
            after = cp.get().index();
        }
        List<Segments.SegmentRef> segs = new ArrayList<>();
        for (Segments.SegmentRef s : Segments.list(walDir)) {
            if (s.index() > after) {
                segs.add(s);
            }
        }
        if (cp.isPresent() && !segs.isEmpty() && segs.get(0).index() != after + 1) {
            throw new IOException("WAL segments in " + walDir + " are not sequential: segment "
                + WalFormat.segmentName(after + 1) + " after checkpoint " + cp.get().dir().getFileName()
                + " is missing (next is " + WalFormat.segmentName(segs.get(0).index()) + ")");
        }
        Segments.requireContiguous(walDir, segs);
        for (Segments.SegmentRef s : segs) {
            src.add(new Source(walDir, s.index(), s.path(), false));
        }
        return new WalReader(src);
    }

    /**
     * Advances to the next record.
     *
     * @return false at the end of the last segment or on corruption; then check {@link #err()}
     * @throws UncheckedIOException on a real I/O error
     */
    public boolean next() {
        if (done) {
            return false;
        }
        try {
            while (true) {
                if (cur == null) {
                    if (nextSource >= sources.size()) {
                        finish();
                        return false;
                    }
                    openSource(sources.get(nextSource++));
                }
                if (readRecord()) {
                    return true;
                }
                closeChannel();
                cur = null;
            }
        } catch (WalCorruptionException e) {
            err = e;
            finish();
            return false;
        } catch (IOException e) {
            finish();
            throw new UncheckedIOException("reading WAL segment " + (cur == null ? "?" : cur.path()), e);
        }
    }

    /** The current record's bytes (decompressed) in {@code [0, length())}; reused by the next call. */
    public byte[] buffer() {
        return rec;
    }

    /** Length of the current record. */
    public int length() {
        return recLen;
    }

    /** A copy of the current record. */
    public byte[] record() {
        return Arrays.copyOf(rec, recLen);
    }

    /** Index of the segment holding the current record. */
    public int segment() {
        return recSegment;
    }

    /** Offset in the segment file where the current record's first fragment starts. */
    public long offset() {
        return recOffset;
    }

    /** Offset in the segment file just past the current record's last fragment. */
    public long endOffset() {
        return recEnd;
    }

    /** Whether the current record was stored snappy-compressed. */
    public boolean compressed() {
        return recCompressed;
    }

    /** Whether the current record comes from a checkpoint directory (only with {@link #forReplay(Path)}). */
    public boolean inCheckpoint() {
        return recInCheckpoint;
    }

    /** Directory of the segment holding the current record. */
    public Path segmentDir() {
        return recDir;
    }

    /** The corruption that ended reading, or null if reading ended cleanly (or has not ended). */
    public WalCorruptionException err() {
        return err;
    }

    @Override
    public void close() {
        done = true;
        try {
            closeChannel();
        } catch (IOException e) {
            // Read-only channel: nothing to lose on close.
        }
    }

    // ---- internals ----

    private void finish() {
        done = true;
        try {
            closeChannel();
        } catch (IOException e) {
            // read-only
        }
    }

    private void openSource(Source s) throws IOException {
        cur = s;
        ch = FileChannel.open(s.path(), StandardOpenOption.READ);
        pageStart = 0;
        pageLen = 0;
        pageLoaded = false;
        pos = 0;
    }

    private void closeChannel() throws IOException {
        FileChannel c = ch;
        ch = null;
        if (c != null) {
            c.close();
        }
    }

    /** Loads the next page (a short one at the end of the file); pageLen 0 means end of file. */
    private void loadPage() throws IOException {
        if (pageLoaded) {
            pageStart += PAGE_SIZE;
        }
        pageBuf.clear();
        while (pageBuf.hasRemaining()) {
            int n = ch.read(pageBuf, pageStart + pageBuf.position());
            if (n < 0) {
                break;
            }
        }
        pageLen = pageBuf.position();
        pageLoaded = true;
        pos = 0;
    }

    /** Reads one record of the current segment; false at a clean end of the segment. */
    private boolean readRecord() throws IOException {
        recLen = 0;
        packedLen = 0;
        int frags = 0;
        int lastType = WalFormat.TYPE_PAD;
        boolean compressed = false;
        long start = -1;
        while (true) {
            if (pos >= pageLen) {
                boolean eof = pageLoaded && pageLen < PAGE_SIZE;
                if (!eof) {
                    loadPage();
                    eof = pageLen == 0;
                }
                if (eof) {
                    if (frags > 0) {
                        throw corrupt(start, "segment ends after a " + WalFormat.typeName(lastType)
                            + " fragment: last record is torn");
                    }
                    return false;
                }
            }
            int at = pos;
            long fileOff = pageStart + at;
            int b = page[at] & 0xff;
            if (b == WalFormat.TYPE_PAD) {
                // The rest of the page is padding and must be zero (bytes missing at the end of a short file
                // count as zeros).
                for (int k = at + 1; k < pageLen; k++) {
                    if (page[k] != 0) {
                        throw corrupt(frags > 0 ? start : fileOff, String.format(
                            "non-zero byte 0x%02x at offset %d in page padding that starts at offset %d",
                            page[k] & 0xff, pageStart + k, fileOff));
                    }
                }
                pos = pageLen;
                continue;
            }
            if (frags == 0) {
                start = fileOff;
            }
            if ((b & ~(WalFormat.TYPE_MASK | WalFormat.SNAPPY_FLAG)) != 0) {
                throw corrupt(start, String.format("fragment header byte 0x%02x at offset %d has unknown flag bits"
                    + " (only snappy, 0x08, is supported)", b, fileOff));
            }
            int type = b & WalFormat.TYPE_MASK;
            boolean snappy = (b & WalFormat.SNAPPY_FLAG) != 0;
            if (type == WalFormat.TYPE_PAD) {
                throw corrupt(start, String.format("padding byte 0x%02x at offset %d has flag bits set", b, fileOff));
            }
            if (type > WalFormat.TYPE_LAST) {
                throw corrupt(start, "invalid fragment type " + type + " at offset " + fileOff);
            }
            int room = PAGE_SIZE - at;
            if (room < HEADER_SIZE) {
                throw corrupt(start, "fragment header at offset " + fileOff + " crosses the page boundary ("
                    + room + " bytes left in the page, expected zero padding)");
            }
            if (pageLen - at < HEADER_SIZE) {
                throw corrupt(start, "segment ends inside the fragment header at offset " + fileOff
                    + ": record is torn");
            }
            int len = ((page[at + 1] & 0xff) << 8) | (page[at + 2] & 0xff);
            int sum = ((page[at + 3] & 0xff) << 24) | ((page[at + 4] & 0xff) << 16)
                | ((page[at + 5] & 0xff) << 8) | (page[at + 6] & 0xff);
            if (len > room - HEADER_SIZE) {
                throw corrupt(start, "fragment length " + len + " at offset " + fileOff + " exceeds the "
                    + (room - HEADER_SIZE) + " payload bytes left in its page");
            }
            if (len > pageLen - at - HEADER_SIZE) {
                throw corrupt(start, "segment ends inside the payload of the fragment at offset " + fileOff
                    + " (length " + len + "): record is torn");
            }
            switch (type) {
                case WalFormat.TYPE_FULL:
                case WalFormat.TYPE_FIRST:
                    if (frags > 0) {
                        throw corrupt(start, "unexpected " + WalFormat.typeName(type) + " fragment at offset "
                            + fileOff + " inside a record (after a " + WalFormat.typeName(lastType) + ")");
                    }
                    break;
                default:
                    if (frags == 0) {
                        throw corrupt(start, WalFormat.typeName(type) + " fragment at offset " + fileOff
                            + " without a preceding FIRST fragment");
                    }
                    break;
            }
            if (frags > 0 && snappy != compressed) {
                throw corrupt(start, "snappy flag of the fragment at offset " + fileOff
                    + " differs from the earlier fragments of its record");
            }
            crc.reset();
            crc.update(page, at + HEADER_SIZE, len);
            int actual = (int) crc.getValue();
            if (actual != sum) {
                throw corrupt(start, String.format("CRC32C mismatch in fragment at offset %d (length %d):"
                    + " stored %08x, computed %08x", fileOff, len, sum, actual));
            }
            compressed = snappy;
            if (compressed) {
                packed = ensure(packed, packedLen, len, start);
                System.arraycopy(page, at + HEADER_SIZE, packed, packedLen, len);
                packedLen += len;
            } else {
                rec = ensure(rec, recLen, len, start);
                System.arraycopy(page, at + HEADER_SIZE, rec, recLen, len);
                recLen += len;
            }
            pos = at + HEADER_SIZE + len;
            frags++;
            lastType = type;
            if (type == WalFormat.TYPE_FULL || type == WalFormat.TYPE_LAST) {
                if (compressed) {
                    decompress(start);
                }
                recSegment = cur.index();
                recOffset = start;
                recEnd = pageStart + pos;
                recCompressed = compressed;
                recInCheckpoint = cur.checkpoint();
                recDir = cur.dir();
                return true;
            }
        }
    }

    private byte[] ensure(byte[] buf, int used, int extra, long start) throws WalCorruptionException {
        long need = (long) used + extra;
        if (need <= buf.length) {
            return buf;
        }
        if (need > Integer.MAX_VALUE - 16) {
            throw corrupt(start, "record larger than 2 GiB");
        }
        return Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, buf.length * 2L)));
    }

    private void decompress(long start) throws WalCorruptionException {
        long declared;
        try {
            declared = Snappy.decodedLength(packed, 0, packedLen);
        } catch (SnappyException e) {
            throw corrupt(start, "snappy record has an invalid length prefix: " + e.getMessage());
        }
        if (declared > (long) packedLen * MAX_SNAPPY_EXPANSION + 64) {
            throw corrupt(start, "snappy record of " + packedLen + " bytes claims an implausible uncompressed"
                + " length of " + declared);
        }
        int n = (int) declared;
        if (rec.length < n) {
            rec = new byte[Math.max(n, Math.min(Integer.MAX_VALUE - 16, rec.length * 2))];
        }
        try {
            recLen = Snappy.decompress(packed, 0, packedLen, rec, 0, n);
        } catch (SnappyException e) {
            throw corrupt(start, e.getMessage());
        }
    }

    private WalCorruptionException corrupt(long offset, String reason) {
        return new WalCorruptionException(cur.dir(), cur.index(), offset, reason);
    }
}
