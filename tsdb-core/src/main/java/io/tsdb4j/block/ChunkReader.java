package io.tsdb4j.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads chunks of a block's segment files ({@link ChunkFormat}) through read-only memory mappings, one per file.
 * Opening checks each file's header; every {@link #read} checks bounds and the chunk's CRC, so a damaged file
 * surfaces as {@link FileCorruptionException} naming the file and offset.
 *
 * <p>Thread-safe once opened (absolute reads of immutable mappings). File handles are closed after mapping; the
 * mappings are released by the garbage collector once unreferenced (Java has no safe explicit unmap).
 */
public final class ChunkReader implements Closeable {
    /** A chunk read from a segment file: its encoding id and a copy of its data bytes. */
    public record Chunk(int encoding, byte[] data) {}

    /**
     * A reusable destination for {@link #read(long, Buffer)}, so that a query reading many chunks copies each into
     * the same array instead of allocating one per chunk: the chunk's bytes are {@code data()[0..length())}.
     */
    public static final class Buffer {
        private final CRC32C crc = new CRC32C();
        private byte[] data = new byte[256];
        private int length;
        private int encoding;

        public byte[] data() {
            return data;
        }

        public int length() {
            return length;
        }

        public int encoding() {
            return encoding;
        }
    }

    private final Path dir;
    private final List<Path> files;
    private final ByteBuffer[] segs;
    private final long size;
    private volatile boolean closed;

    private ChunkReader(Path dir, List<Path> files, ByteBuffer[] segs, long size) {
        this.dir = dir;
        this.files = files;
        this.segs = segs;
        this.size = size;
    }

    /**
     * Maps every segment file of {@code chunksDir} (names of 6 digits, sorted; the i-th is file index i).
     *
     * @throws IOException             if the directory or a file cannot be read
     * @throws FileCorruptionException if a file is too small or has a bad magic or version
     */
    public static ChunkReader open(Path chunksDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(chunksDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.length() == 6 && n.chars().allMatch(c -> c >= '0' && c <= '9') && Files.isRegularFile(p)) files.add(p);
            }
        }
        files.sort(null);
        ByteBuffer[] segs = new ByteBuffer[files.size()];
        long total = 0;
        for (int i = 0; i < segs.length; i++) {
            Path f = files.get(i);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long sz = ch.size();
                if (sz > Integer.MAX_VALUE) throw new IOException("chunk file " + f + " is " + sz + " bytes; over 2 GiB is not supported");
                if (sz < ChunkFormat.HEADER_LEN) throw new FileCorruptionException(f, 0, "file of " + sz + " bytes has no header");
                ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, sz);
                int magic = b.getInt(0);
                if (magic != ChunkFormat.MAGIC) {
                    throw new FileCorruptionException(f, 0, String.format("bad magic 0x%08X, want 0x%08X", magic, ChunkFormat.MAGIC));
                }
                int v = b.get(4) & 0xFF;
                if (v != ChunkFormat.VERSION) throw new FileCorruptionException(f, 4, "unknown chunk format version " + v);
                segs[i] = b;
                total += sz;
            }
        }
        return new ChunkReader(chunksDir, List.copyOf(files), segs, total);
    }

    /** Total bytes of the segment files. */
    public long size() {
        return size;
    }

    /** Number of segment files. */
    public int files() {
        return segs.length;
    }

    /**
     * Reads the chunk at {@code ref}, checking its CRC.
     *
     * @throws FileCorruptionException if the reference points outside the files or the chunk is damaged
     */
    public Chunk read(long ref) {
        Buffer buf = new Buffer();
        buf.data = null; // sized exactly by the read
        read(ref, buf);
        return new Chunk(buf.encoding, buf.data);
    }

    /**
     * Reads the chunk at {@code ref} into {@code into}, checking its CRC.
     *
     * @throws FileCorruptionException if the reference points outside the files or the chunk is damaged
     */
    public void read(long ref, Buffer into) {
        if (closed) throw new IllegalStateException("chunk reader for " + dir + " is closed");
        int fi = (int) (ref >>> 32);
        long off = ref & 0xFFFF_FFFFL;
        if (fi < 0 || fi >= segs.length) {
            throw new FileCorruptionException(dir, off, "chunk ref 0x" + Long.toHexString(ref) + " names file index " + fi
                    + " of " + segs.length);
        }
        ByteBuffer b = segs[fi];
        Path f = files.get(fi);
        int cap = b.capacity();
        if (off < ChunkFormat.HEADER_LEN || off >= cap) {
            throw new FileCorruptionException(f, off, "chunk offset outside [" + ChunkFormat.HEADER_LEN + ", " + cap + ")");
        }
        int p = (int) off;
        long len = 0;
        int shift = 0;
        int i = 0;
        while (true) {
            if (i == ChunkFormat.MAX_LEN_FIELD || p + i >= cap) throw new FileCorruptionException(f, off, "bad chunk length field");
            int x = b.get(p + i) & 0xFF;
            len |= (long) (x & 0x7F) << shift;
            i++;
            if (x < 0x80) break;
            shift += 7;
        }
        int encPos = p + i;
        if (len > cap || encPos + 1 + len + 4 > cap) {
            throw new FileCorruptionException(f, off, "chunk of " + len + " bytes overruns the file of " + cap + " bytes");
        }
        int encoding = b.get(encPos) & 0xFF;
        int n = (int) len;
        if (into.data == null) into.data = new byte[n];
        else if (into.data.length < n) into.data = new byte[Math.max(n, into.data.length * 2)];
        byte[] data = into.data;
        b.get(encPos + 1, data, 0, n);
        CRC32C crc = into.crc;
        crc.reset();
        crc.update(encoding);
        crc.update(data, 0, n);
        int want = b.getInt(encPos + 1 + n);
        if ((int) crc.getValue() != want) {
            throw new FileCorruptionException(f, off, String.format("chunk checksum mismatch: stored 0x%08X, computed 0x%08X",
                    want, (int) crc.getValue()));
        }
        into.encoding = encoding;
        into.length = n;
    }

    /** Later reads throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
