package io.tsdb4j.block;

/**
 * Layout of block chunk segment files ({@code <block>/chunks/000001}, ...), as Prometheus 2.42 writes them.
 *
 * <pre>
 * file:   | magic BE32 0x85BD40DD | version 1 byte (1) | 3 zero bytes | chunk | chunk | ... (no padding)
 * chunk:  | data length uvarint | encoding 1 byte | data | CRC32C BE32 over (encoding + data) |
 * ref:    (0-based position of the file among the block's chunk files) << 32 | offset of the length field
 * </pre>
 */
final class ChunkFormat {
    private ChunkFormat() {}

    static final int MAGIC = 0x85BD40DD;
    static final int VERSION = 1;
    static final int HEADER_LEN = 8;
    /** The writer's size estimate for one chunk: maximal length field, encoding byte, CRC. */
    static final int MAX_LEN_FIELD = 5;
    static final int OVERHEAD = MAX_LEN_FIELD + 1 + 4;
    /** Prometheus's default maximum segment file size. */
    static final long DEFAULT_SEGMENT_SIZE = 512L * 1024 * 1024;
    static final String DIR = "chunks";

    static String segmentName(int seq) {
        return String.format("%06d", seq);
    }
}
