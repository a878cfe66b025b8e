package io.tsdb4j.head;

import io.tsdb4j.encoding.ByteOrderUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Finished head chunks in {@code <data>/chunks_head/}, in Prometheus 2.42's head-chunk file format: files
 * {@code 000001, 000002, ...} of at most 128 MiB, an 8-byte header (BE32 magic {@code 0x0130BC91}, version 1, 3
 * zero bytes), then entries: BE64 series ref, BE64 mint, BE64 maxt, encoding byte, uvarint data length, data, BE32
 * CRC32C of all preceding bytes of the entry. A chunk reference is {@code (file number << 32) | entry offset}.
 *
 * <p>The files are a cache of what the WAL holds: they are rebuilt from the WAL at open, so the heap keeps only a
 * reference per chunk while the bytes live in the page cache. Writes go through a buffer and reach the file in
 * large writes; finished files are mapped once, read-only, and a reader's {@link View} keeps the mappings of
 * its moment alive, so dropping an old file never breaks a running query.
 */
final class MappedChunkStore implements ChunkStore {
    static final int MAGIC = 0x0130BC91;
    static final int HEADER = 8;
    static final long MAX_FILE = 128L << 20;
    private static final int BUFFER = 1 << 20;

    /** A file and, once finished, its read-only mapping. */
    private static final class FileEntry {
        final int number;
        final Path path;
        volatile ByteBuffer map; // complete mapping of a finished file
        long maxT = Long.MIN_VALUE;

        FileEntry(int number, Path path) {
            this.number = number;
            this.path = path;
        }
    }

    private final Path dir;
    private volatile List<FileEntry> finished = List.of();
    private FileEntry active;
    private FileChannel activeChannel;
    private long activeSize;         // bytes in the file, including buffered ones
    private long activeFlushed;      // bytes written to the file
    private final byte[] buf = new byte[BUFFER];
    private int bufLen;
    /** Mapping of the active file's flushed prefix; remapped when a reader needs more. */
    private volatile ByteBuffer activeMap;
    private final CRC32C crc = new CRC32C();
    private final byte[] head = new byte[8 + 8 + 8 + 1 + 10];

    private final long maxFile;

    private MappedChunkStore(Path dir, long maxFile) {
        this.dir = dir;
        this.maxFile = maxFile;
    }

    /** Opens {@code dir}, discarding files of an earlier run (the WAL replay that follows rebuilds them). */
    static MappedChunkStore open(Path dir) throws IOException {
        return open(dir, MAX_FILE);
    }

    /** With a smaller file size (tests exercise file rotation with it). */
    static MappedChunkStore open(Path dir, long maxFileSize) throws IOException {
        Files.createDirectories(dir);
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
        }
        MappedChunkStore st = new MappedChunkStore(dir, maxFileSize);
        st.startFile(1);
        return st;
    }

    private void startFile(int number) throws IOException {
        Path p = dir.resolve(String.format("%06d", number));
        active = new FileEntry(number, p);
        activeChannel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        activeMap = null;
        bufLen = 0;
        ByteOrderUtil.putBE32(buf, 0, MAGIC);
        buf[4] = 1;
        buf[5] = buf[6] = buf[7] = 0;
        bufLen = HEADER;
        activeSize = HEADER;
        activeFlushed = 0;
    }

    @Override
    public synchronized long put(long seriesRef, long mint, long maxt, byte[] chunk, int chunkLen) throws IOException {
        ByteOrderUtil.putBE64(head, 0, seriesRef);
        ByteOrderUtil.putBE64(head, 8, mint);
        ByteOrderUtil.putBE64(head, 16, maxt);
        head[24] = 1; // XOR
        int n = io.tsdb4j.encoding.Encbuf.putUvarint(head, 25, chunkLen);
        int entry = n + chunkLen + 4;
        if (activeSize + entry > maxFile && activeSize > HEADER) {
            finishActive();
            startFile(active.number + 1);
        }
        if (bufLen + entry > buf.length) flushBuffer();
        long ref = ((long) active.number << 32) | activeSize;
        crc.reset();
        crc.update(head, 0, n);
        crc.update(chunk, 0, chunkLen);
        if (entry > buf.length) { // a giant chunk: write straight through
            activeChannel.write(ByteBuffer.wrap(head, 0, n), activeFlushed);
            activeChannel.write(ByteBuffer.wrap(chunk, 0, chunkLen), activeFlushed + n);
            byte[] c = new byte[4];
            ByteOrderUtil.putBE32(c, 0, (int) crc.getValue());
            activeChannel.write(ByteBuffer.wrap(c), activeFlushed + n + chunkLen);
            activeFlushed += entry;
        } else {
            System.arraycopy(head, 0, buf, bufLen, n);
            System.arraycopy(chunk, 0, buf, bufLen + n, chunkLen);
            ByteOrderUtil.putBE32(buf, bufLen + n + chunkLen, (int) crc.getValue());
            bufLen += entry;
        }
        activeSize += entry;
        active.maxT = Math.max(active.maxT, maxt);
        return ref;
    }

    private void flushBuffer() throws IOException {
        if (bufLen == 0) return;
        ByteBuffer b = ByteBuffer.wrap(buf, 0, bufLen);
        long at = activeFlushed;
        while (b.hasRemaining()) at += activeChannel.write(b, at);
        activeFlushed = at;
        bufLen = 0;
    }

    private void finishActive() throws IOException {
        flushBuffer();
        active.map = activeChannel.map(FileChannel.MapMode.READ_ONLY, 0, activeFlushed);
        activeChannel.close();
        List<FileEntry> f = new ArrayList<>(finished);
        f.add(active);
        finished = List.copyOf(f);
    }

    /** Reads an entry of the active file: from the buffer if not yet written, else from a (re)mapping. */
    private synchronized byte[] readActive(int number, long off) {
        if (active == null || active.number != number) return null;
        if (off >= activeFlushed) return entryData(ByteBuffer.wrap(buf, 0, bufLen), (int) (off - activeFlushed));
        return entryData(activeMapping(off), (int) off);
    }

    /** As {@link #readActive}, sharing the mapped bytes; an entry still in the buffer is copied (the buffer is reused). */
    private synchronized ByteBuffer sliceActive(int number, long off) {
        if (active == null || active.number != number) return null;
        if (off >= activeFlushed) return ByteBuffer.wrap(entryData(ByteBuffer.wrap(buf, 0, bufLen), (int) (off - activeFlushed)));
        return entrySlice(activeMapping(off), (int) off);
    }

    /** A mapping of the active file that holds the written entry at {@code off}; called with the monitor held. */
    private ByteBuffer activeMapping(long off) {
        ByteBuffer m = activeMap;
        if (m != null && off < m.capacity()) return m;
        // Entries are flushed whole, so one starting inside a mapping lies entirely inside it; otherwise remap the
        // flushed prefix.
        try {
            flushBuffer();
            m = activeChannel.map(FileChannel.MapMode.READ_ONLY, 0, activeFlushed);
        } catch (IOException e) {
            throw new UncheckedIOException("reading head chunk file " + active.path, e);
        }
        activeMap = m;
        return m;
    }

    /** The data of the entry at {@code off}, sharing {@code b}'s bytes. */
    private static ByteBuffer entrySlice(ByteBuffer b, int off) {
        int p = off + 25;
        long len = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get(p++) & 0xFF;
            len |= (long) (x & 0x7F) << shift;
            if (x < 0x80) break;
        }
        return b.slice(p, (int) len);
    }

    /** A copy of the data of the entry at {@code off}. */
    private static byte[] entryData(ByteBuffer b, int off) {
        ByteBuffer d = entrySlice(b, off);
        byte[] data = new byte[d.remaining()];
        d.get(0, data);
        return data;
    }

    @Override
    public View view() {
        List<FileEntry> f = finished;
        return new View() {
            @Override
            public byte[] get(long ref) {
                ByteBuffer m = finishedMapping(f, ref);
                if (m != null) return entryData(m, offset(ref));
                byte[] d = readActive(number(ref), offset(ref));
                return d != null ? d : entryData(lateMapping(ref), offset(ref));
            }

            @Override
            public ByteBuffer buffer(long ref) {
                ByteBuffer m = finishedMapping(f, ref);
                if (m != null) return entrySlice(m, offset(ref));
                ByteBuffer d = sliceActive(number(ref), offset(ref));
                return d != null ? d : entrySlice(lateMapping(ref), offset(ref));
            }
        };
    }

    private static int number(long ref) {
        return (int) (ref >>> 32);
    }

    private static int offset(long ref) {
        return (int) (ref & 0xFFFFFFFFL);
    }

    /** The mapping of the file among {@code f} that holds {@code ref}, or null. */
    private static ByteBuffer finishedMapping(List<FileEntry> f, long ref) {
        for (int i = f.size() - 1; i >= 0; i--) {
            FileEntry e = f.get(i);
            if (e.number == number(ref)) return e.map;
        }
        return null;
    }

    /** For a reference whose file was finished after the view was taken. */
    private ByteBuffer lateMapping(long ref) {
        ByteBuffer m = finishedMapping(finished, ref);
        if (m == null) throw new IllegalStateException("head chunk reference " + Long.toHexString(ref) + " names no file");
        return m;
    }

    @Override
    public synchronized void truncateBefore(long mint) throws IOException {
        List<FileEntry> keep = new ArrayList<>();
        for (FileEntry e : finished) {
            if (e.maxT < mint) Files.deleteIfExists(e.path); // views taken earlier keep the mapping
            else keep.add(e);
        }
        finished = List.copyOf(keep);
    }

    @Override
    public long heapBytes() {
        return 0;
    }

    @Override
    public synchronized void close() throws IOException {
        if (activeChannel != null && activeChannel.isOpen()) {
            flushBuffer();
            activeChannel.close();
        }
    }
}
