package io.tsdb4j.block;

import io.tsdb4j.encoding.Encbuf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes a block's chunk segment files ({@link ChunkFormat}) into a {@code chunks} directory: {@code 000001},
 * {@code 000002}, ... A new file is started before a chunk that would take the current one past the segment size
 * (estimating 5 + 1 + data + 4 bytes per chunk); a chunk larger than the limit gets a file of its own.
 *
 * <p>{@link #finish()} flushes and fsyncs every file and the directory. {@link #close()} without {@code finish()}
 * leaves partial files behind (the caller owns the temporary block directory and deletes it). Not thread-safe.
 */
public final class ChunkWriter implements Closeable {
    private static final int BUF_SIZE = 1 << 20;

    private final Path dir;
    private final long segmentSize;
    private final ByteBuffer buf = ByteBuffer.allocate(BUF_SIZE);
    private final CRC32C crc = new CRC32C();
    private final Encbuf len = new Encbuf(16);
    private FileChannel ch;
    /** Bytes in the current file including buffered ones. */
    private long n;
    /** 0-based position of the current file (name = seq + 1). */
    private int seq = -1;
    private long totalBytes;
    private boolean finished;

    private ChunkWriter(Path dir, long segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    /** Creates {@code chunksDir} if needed; files use Prometheus's default 512 MiB limit. */
    public static ChunkWriter create(Path chunksDir) throws IOException {
        return create(chunksDir, ChunkFormat.DEFAULT_SEGMENT_SIZE);
    }

    /** As {@link #create(Path)} with a maximum segment file size in bytes (tests use small ones). */
    public static ChunkWriter create(Path chunksDir, long segmentSize) throws IOException {
        Objects.requireNonNull(chunksDir, "chunksDir");
        if (segmentSize <= ChunkFormat.HEADER_LEN) throw new IllegalArgumentException("segment size " + segmentSize + " too small");
        Files.createDirectories(chunksDir);
        return new ChunkWriter(chunksDir, segmentSize);
    }

    /** Writes one XOR chunk; see {@link #write(int, byte[], int, int)}. */
    public long write(byte[] data) throws IOException {
        return write(io.tsdb4j.chunk.XorChunk.ENCODING, data, 0, data.length);
    }

    /**
     * Appends a chunk and returns its reference ({@code fileIndex << 32 | offset}, fileIndex 0-based).
     *
     * @param encoding chunk encoding id (1 = XOR)
     */
    public long write(int encoding, byte[] data, int off, int length) throws IOException {
        return write(encoding, ByteBuffer.wrap(data, off, length));
    }

    /**
     * As {@link #write(int, byte[], int, int)} for the chunk between {@code data}'s position and limit, which are
     * left as they were (so a chunk can be copied straight from a mapped file).
     */
    public long write(int encoding, ByteBuffer data) throws IOException {
        if (finished) throw new IllegalStateException("chunk writer finished");
        int length = data.remaining();
        long est = (long) ChunkFormat.OVERHEAD + length;
        if (ch == null || (n > ChunkFormat.HEADER_LEN && n + est > segmentSize)) cut();
        if (n > 0xFFFF_FFFFL) throw new IOException("chunk file offset " + n + " does not fit a 32-bit reference");
        long ref = ((long) seq << 32) | n;
        len.reset().putUvarint(length);
        crc.reset();
        crc.update(encoding);
        int start = data.position();
        crc.update(data);
        data.position(start);
        len.putByte(encoding);
        put(len.array(), 0, len.len());
        put(data);
        int c = (int) crc.getValue();
        len.reset().putBE32(c);
        put(len.array(), 0, len.len());
        return ref;
    }

    /** Number of segment files started so far. */
    public int files() {
        return seq + 1;
    }

    /** Bytes written over all files, headers included. */
    public long totalBytes() {
        return totalBytes;
    }

    private void put(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buf.hasRemaining()) flush();
            int k = Math.min(len, buf.remaining());
            buf.put(b, off, k);
            off += k;
            len -= k;
            n += k;
            totalBytes += k;
        }
    }

    private void put(ByteBuffer src) throws IOException {
        int off = src.position();
        int left = src.remaining();
        while (left > 0) {
            if (!buf.hasRemaining()) flush();
            int k = Math.min(left, buf.remaining());
            buf.put(buf.position(), src, off, k);
            buf.position(buf.position() + k);
            off += k;
            left -= k;
            n += k;
            totalBytes += k;
        }
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    private void cut() throws IOException {
        finishFile();
        seq++;
        Path f = dir.resolve(ChunkFormat.segmentName(seq + 1));
        ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        n = 0;
        byte[] h = {(byte) (ChunkFormat.MAGIC >>> 24), (byte) (ChunkFormat.MAGIC >>> 16), (byte) (ChunkFormat.MAGIC >>> 8),
                (byte) ChunkFormat.MAGIC, (byte) ChunkFormat.VERSION, 0, 0, 0};
        put(h, 0, h.length);
    }

    private void finishFile() throws IOException {
        if (ch == null) return;
        flush();
        ch.force(true);
        ch.close();
        ch = null;
    }

    /** Flushes and fsyncs the last file and the directory. Writing afterwards is an error. */
    public void finish() throws IOException {
        if (finished) return;
        finishFile();
        FileUtil.fsyncDir(dir);
        finished = true;
    }

    @Override
    public void close() throws IOException {
        if (ch != null) {
            ch.close();
            ch = null;
        }
        finished = true;
    }
}
