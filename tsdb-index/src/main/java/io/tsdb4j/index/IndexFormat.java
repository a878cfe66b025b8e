package io.tsdb4j.index;

/**
 * Layout of the Prometheus v2 block index file ({@code <block>/index}), as written by Prometheus 2.42. See
 * {@code ../shared/docs/prometheus-formats.md} section 6. All integers are big-endian; CRCs are CRC32C stored as
 * BE32; "section" means {@code BE32 len | len bytes | CRC32C(those len bytes)}.
 *
 * <pre>
 * offset 0  +------------------------------------------------------------+
 *           | magic 0xBAAAD700 (BE32) | version 2 (1 byte)               |  header, 5 bytes
 * TOC.symbols ------------------------------------------------------------+
 *           | len | count (BE32) | count x uvarint-str | CRC              |  symbols, byte-sorted; ref = position
 * TOC.series  ------------------------------------------------------------+
 *           | pad to 16 | uvarint len | body | CRC(body) |  ...           |  series id = entry offset / 16
 *           |   body: uvarint #labels, (uvarint nameRef, uvarint valueRef)*, uvarint #chunks,
 *           |         first: varint mint, uvarint maxt-mint, uvarint ref
 *           |         next:  uvarint mint-prevMaxt, uvarint maxt-mint, varint ref-prevRef
 * TOC.labelIndices -------------------------------------------------------+
 *           | pad to 4 | len | 1 | n | n x BE32 valueRef | CRC | ...     |  one per label name (legacy)
 * TOC.postings -----------------------------------------------------------+
 *           | pad to 4 | len | n | n x BE32 series id | CRC | ...         |  ("","") = all series first, then
 *           |                                                            |  by name, then value
 * TOC.labelOffsetTable ---------------------------------------------------+
 *           | len | count | (uvarint 1, uvarint-str name, uvarint off)* | CRC |
 * TOC.postingsOffsetTable ------------------------------------------------+
 *           | len | count | (uvarint 2, str name, str value, uvarint off)* | CRC |
 * size - 52 --------------------------------------------------------------+
 *           | 6 x BE64: symbols, series, labelIndices, labelOffsetTable, postings, postingsOffsetTable | CRC |
 *           +------------------------------------------------------------+
 * </pre>
 */
public final class IndexFormat {
    private IndexFormat() {}

    public static final int MAGIC = 0xBAAAD700;
    public static final int FORMAT_V1 = 1;
    public static final int FORMAT_V2 = 2;
    public static final int HEADER_LEN = 5;
    /** Six BE64 offsets and a BE32 CRC. */
    public static final int TOC_LEN = 6 * 8 + 4;
    /** Series entries start on multiples of this; a series id is its entry's offset divided by it. */
    public static final int SERIES_ALIGN = 16;
    /** Label indices and postings lists start on multiples of this. */
    public static final int POSTINGS_ALIGN = 4;
    /** Largest series id (ids are BE32 in postings), hence the 64 GiB limit on the file. */
    public static final long MAX_SERIES_ID = 0xFFFF_FFFFL;
    /** Label name and value of the list of all series (the first postings list). */
    public static final String ALL_POSTINGS_NAME = "";
    public static final String ALL_POSTINGS_VALUE = "";

    /** The table of contents: absolute offsets of the sections, in TOC order (not file order); 0 = absent. */
    public record Toc(long symbols, long series, long labelIndices, long labelOffsetTable, long postings,
                      long postingsOffsetTable) {}
}
