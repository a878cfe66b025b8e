package io.tsdb4j.wal;

/**
 * Byte layout of WAL (and WBL) segment files, as written by Prometheus 2.42 ({@code tsdb/wlog}).
 *
 * <pre>
 * segment file  = page*             pages of 32 KiB back to back, no file header; the last page of an
 *                                   active segment may be short (missing bytes read as zeros)
 * page          = fragment* [pad]   pad = zero bytes up to the page boundary (type byte 0)
 *
 * fragment
 *   0        1          3                 7
 *   +--------+----------+-----------------+----------------------+
 *   | header | len BE16 | CRC32C BE32     | payload (len bytes)  |
 *   +--------+----------+-----------------+----------------------+
 *   header: bits 0-2 type (0 pad, 1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST), bit 3 snappy, bits 4-7 zero
 *   CRC32C covers this fragment's payload only.
 * </pre>
 *
 * A record is one FULL fragment or FIRST MIDDLE* LAST; fragments never cross a page and records never cross a
 * segment. A compressed record is snappy (block format) compressed as a whole before it is fragmented.
 */
public final class WalFormat {
    /** Page size: fragments never cross a multiple of this. */
    public static final int PAGE_SIZE = 32 * 1024;
    /** Fragment header size: type byte, BE16 length, BE32 CRC32C. */
    public static final int HEADER_SIZE = 7;
    /** Largest payload one fragment can carry (a whole page minus its header). */
    public static final int MAX_FRAGMENT_PAYLOAD = PAGE_SIZE - HEADER_SIZE;
    /** Prometheus's default segment size, 128 MiB. */
    public static final int DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

    public static final int TYPE_PAD = 0;
    public static final int TYPE_FULL = 1;
    public static final int TYPE_FIRST = 2;
    public static final int TYPE_MIDDLE = 3;
    public static final int TYPE_LAST = 4;
    /** Header bits holding the fragment type. */
    public static final int TYPE_MASK = 0x07;
    /** Header bit set on every fragment of a snappy-compressed record. */
    public static final int SNAPPY_FLAG = 0x08;

    static final int OFF_TYPE = 0;
    static final int OFF_LENGTH = 1;
    static final int OFF_CRC = 3;

    private WalFormat() {
    }

    /** The 8-digit, zero-padded file name of segment {@code index}. */
    public static String segmentName(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative segment index " + index);
        }
        return String.format("%08d", index);
    }

    static String typeName(int type) {
        switch (type) {
            case TYPE_PAD: return "PAD";
            case TYPE_FULL: return "FULL";
            case TYPE_FIRST: return "FIRST";
            case TYPE_MIDDLE: return "MIDDLE";
            case TYPE_LAST: return "LAST";
            default: return "invalid(" + type + ")";
        }
    }
}
