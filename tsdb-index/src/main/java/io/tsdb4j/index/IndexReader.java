package io.tsdb4j.index;

import io.tsdb4j.encoding.Decbuf;
import io.tsdb4j.encoding.Utf8;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Reads a Prometheus v2 block index file (layout in {@link IndexFormat}) through a read-only memory mapping.
 *
 * <p>Opening checks the header (magic, version 2), the TOC and its CRC, and the CRCs of the symbol table and the
 * postings offset table, which it scans once. Series entries and postings lists are checked (bounds and CRC) each
 * time they are accessed, so a damaged file surfaces as {@link IndexCorruptionException} naming the file and
 * offset, never as an index-out-of-bounds. The legacy label indices and label offset table are not read.
 *
 * <p>Memory kept besides the mapping: one {@code int} per 32 symbols (their offsets), and per label name its
 * string plus, for every 32nd of its postings offset table entries, the value's UTF-8 bytes and the entry's offset
 * (as Prometheus does). Lookups binary-search those samples and scan at most 31 entries of the mapped table.
 *
 * <p>Files of 2 GiB or more are refused when opening (one {@code int}-indexed mapping for now).
 *
 * <p>Thread-safe once opened: all reads are absolute reads of an immutable mapping. Returned {@link Postings}
 * are single-threaded. The file handle is closed as soon as the file is mapped; the mapping is released by the
 * garbage collector once no reader or postings refers to it (Java has no safe explicit unmap), so postings obtained
 * before {@link #close()} remain readable, while the reader's own lookups fail after it.
 */
public final class IndexReader implements Closeable {
    /** Receives a series' labels in name order. */
    @FunctionalInterface
    public interface LabelSink {
        void accept(String name, String value);
    }

    /** Receives a series' chunk metas in file order. */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(long minTime, long maxTime, long ref);
    }

    private static final int SAMPLE_EVERY = 32;

    private final Path path;
    private final ByteBuffer buf;
    private final int size;
    private final IndexFormat.Toc toc;

    private final int symbolCount;
    /** Offset of symbol {@code i * 32}. */
    private final int[] symbolSamples;

    private final int seriesStart;
    private final int seriesEnd;
    private final int postingsStart;
    private final int postingsEnd;

    private final Map<String, NameEntry> names;
    /** Label names in byte order, without the all-series key's empty name. */
    private final List<String> labelNames;

    private volatile boolean closed;

    /** The postings offset table entries of one label name: every 32nd sampled. */
    private static final class NameEntry {
        final String name;
        final int count;
        final byte[][] sampleValues;
        /** Absolute offsets of the sampled entries of the postings offset table. */
        final int[] sampleOffsets;
        /** Offset just past this name's last entry. */
        final int end;

        NameEntry(String name, int count, byte[][] sampleValues, int[] sampleOffsets, int end) {
            this.name = name;
            this.count = count;
            this.sampleValues = sampleValues;
            this.sampleOffsets = sampleOffsets;
            this.end = end;
        }
    }

    private IndexReader(Path path, ByteBuffer buf) {
        this.path = path;
        this.buf = buf;
        this.size = buf.capacity();
        if (size < IndexFormat.HEADER_LEN + IndexFormat.TOC_LEN) {
            throw corrupt(0, "file of " + size + " bytes is too small for header and TOC");
        }
        int magic = buf.getInt(0);
        if (magic != IndexFormat.MAGIC) {
            throw corrupt(0, String.format("bad magic 0x%08X, want 0x%08X", magic, IndexFormat.MAGIC));
        }
        int version = buf.get(4) & 0xFF;
        if (version != IndexFormat.FORMAT_V2) {
            throw corrupt(4, "unknown index format version " + version + " (only 2 is supported here)");
        }
        this.toc = readToc();
        int tocStart = size - IndexFormat.TOC_LEN;

        // Symbols.
        int symOff = section(toc.symbols(), "symbols");
        int symLen = sectionLen(symOff, tocStart, "symbol table");
        checkCrc(symOff + 4, symLen, "symbol table");
        int symEnd = symOff + 4 + symLen;
        Decbuf d = new Decbuf().wrap(buf, symOff + 4, symLen);
        long count = Integer.toUnsignedLong(d.getBE32());
        if (!d.ok() || count > symLen) throw corrupt(symOff + 4, "symbol count " + count + " does not fit the table");
        this.symbolCount = (int) count;
        this.symbolSamples = new int[(symbolCount + SAMPLE_EVERY - 1) / SAMPLE_EVERY];
        for (int i = 0; i < symbolCount; i++) {
            if (i % SAMPLE_EVERY == 0) symbolSamples[i / SAMPLE_EVERY] = d.position();
            int at = d.position();
            d.skip(d.getUvarint32());
            if (!d.ok()) throw corrupt(at, "symbol " + i + ": " + d.err());
        }
        if (d.position() != symEnd) throw corrupt(d.position(), "trailing bytes in the symbol table");

        // Section bounds for series and postings, from the TOC (any order of present sections).
        this.seriesStart = section(toc.series(), "series");
        this.seriesEnd = nextSection(seriesStart, tocStart);
        this.postingsStart = section(toc.postings(), "postings");
        this.postingsEnd = nextSection(postingsStart, tocStart);

        // Postings offset table.
        int potOff = section(toc.postingsOffsetTable(), "postings offset table");
        int potLen = sectionLen(potOff, tocStart, "postings offset table");
        checkCrc(potOff + 4, potLen, "postings offset table");
        this.names = new HashMap<>();
        this.labelNames = readPostingsOffsetTable(potOff, potLen);
    }

    /**
     * Maps and validates the index at {@code path}.
     *
     * @throws IOException             if the file cannot be opened or mapped, is 2 GiB or larger, or is an index of
     *                                 the older format v1 (not supported)
     * @throws IndexCorruptionException if the header, TOC, symbol table or postings offset table is damaged
     */
    public static IndexReader open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException("index " + path + " is " + size + " bytes; files of 2 GiB or more are not "
                        + "supported yet");
            }
            return open(path, ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    /** Reads an index held in {@code buf} (its bytes {@code [0, capacity)}); {@code path} only names it in errors. */
    static IndexReader open(Path path, ByteBuffer buf) throws IOException {
        if (buf.capacity() >= IndexFormat.HEADER_LEN && buf.getInt(0) == IndexFormat.MAGIC
                && (buf.get(4) & 0xFF) == IndexFormat.FORMAT_V1) {
            throw new IOException("index " + path + " has format version 1 (blocks written by Prometheus 1.x-era "
                    + "tsdb); only version 2 is supported");
        }
        return new IndexReader(path, buf);
    }

    public Path path() {
        return path;
    }

    /** Always {@link IndexFormat#FORMAT_V2}. */
    public int version() {
        return IndexFormat.FORMAT_V2;
    }

    public IndexFormat.Toc toc() {
        return toc;
    }

    /** File size in bytes. */
    public long size() {
        return size;
    }

    // ---- symbols --------------------------------------------------------------------------------------------

    public int symbolCount() {
        return symbolCount;
    }

    /**
     * The symbol with reference {@code ref} (its 0-based position in the table).
     *
     * @throws IllegalArgumentException if {@code ref} is not in {@code [0, symbolCount())}
     */
    public String symbol(long ref) {
        ensureOpen();
        if (ref < 0 || ref >= symbolCount) {
            throw new IllegalArgumentException("symbol ref " + ref + " outside [0, " + symbolCount + ") in " + path);
        }
        return lookupSymbol((int) ref, new Decbuf());
    }

    private String lookupSymbol(int ref, Decbuf d) {
        // Label names and common values recur in nearly every series entry: a small direct-mapped cache saves
        // walking from the sampled offset and decoding the string again. Racy by design: slots hold immutable
        // entries, and a lost update is only a later miss.
        int slot = ref & (SYMBOL_CACHE_SIZE - 1);
        CachedSymbol c = symbolCache[slot];
        if (c != null && c.ref == ref) return c.symbol;
        int off = symbolSamples[ref / SAMPLE_EVERY];
        d.wrap(buf, off, size - off);
        for (int i = ref % SAMPLE_EVERY; i > 0; i--) d.skip(d.getUvarint32());
        String s = d.getUvarintStr();
        if (!d.ok()) throw corrupt(off, "symbol " + ref + ": " + d.err());
        symbolCache[slot] = new CachedSymbol(ref, s);
        return s;
    }

    private static final int SYMBOL_CACHE_SIZE = 1 << 12;

    private record CachedSymbol(int ref, String symbol) {}

    private final CachedSymbol[] symbolCache = new CachedSymbol[SYMBOL_CACHE_SIZE];

    /** All symbols in table (byte) order. The iterator is not thread-safe. */
    public Iterator<String> symbols() {
        ensureOpen();
        return new Iterator<>() {
            private final Decbuf d = new Decbuf().wrap(buf, symbolCount == 0 ? 0 : symbolSamples[0],
                    symbolCount == 0 ? 0 : size - symbolSamples[0]);
            private int i;

            @Override
            public boolean hasNext() {
                return i < symbolCount;
            }

            @Override
            public String next() {
                if (i >= symbolCount) throw new NoSuchElementException();
                int at = d.position();
                String s = d.getUvarintStr();
                if (!d.ok()) throw corrupt(at, "symbol " + i + ": " + d.err());
                i++;
                return s;
            }
        };
    }

    // ---- label names, values and postings -------------------------------------------------------------------

    /** Label names that have postings, in byte order (the all-series list's empty name excluded). */
    public List<String> labelNames() {
        ensureOpen();
        return labelNames;
    }

    /**
     * Values of label {@code name} in byte order; empty if the name does not occur (or is the all-series list's
     * internal empty name).
     */
    public List<String> labelValues(String name) {
        ensureOpen();
        NameEntry e = names.get(Objects.requireNonNull(name, "name"));
        if (e == null || name.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(e.count);
        for (Entries it = new Entries(e, 0); it.next(); ) out.add(it.value());
        return out;
    }

    /** The list of every series (the all-series key with empty name and value). */
    public Postings allPostings() {
        return postings(IndexFormat.ALL_POSTINGS_NAME, IndexFormat.ALL_POSTINGS_VALUE);
    }

    /**
     * Series having label {@code name} with any of {@code values} (their union); values that do not occur are
     * ignored, so no values or no match gives {@link Postings#EMPTY}. Each list's CRC is checked here, costing a
     * pass over its bytes; the ids are then decoded lazily from the mapping.
     *
     * @throws IndexCorruptionException if a list is damaged
     */
    public Postings postings(String name, String... values) {
        ensureOpen();
        NameEntry e = names.get(Objects.requireNonNull(name, "name"));
        if (e == null || values.length == 0) return Postings.EMPTY;
        if (values.length == 1) {
            long off = findValue(e, Utf8.encode(values[0]));
            return off < 0 ? Postings.EMPTY : postingsAt(off);
        }
        List<Postings> lists = new ArrayList<>(values.length);
        for (String v : values) {
            long off = findValue(e, Utf8.encode(v));
            if (off >= 0) lists.add(postingsAt(off));
        }
        return Postings.merge(lists);
    }

    /** Union of the postings of every value of {@code name} that starts with {@code prefix} (byte-wise). */
    public Postings postingsForLabelPrefix(String name, String prefix) {
        ensureOpen();
        NameEntry e = names.get(Objects.requireNonNull(name, "name"));
        if (e == null) return Postings.EMPTY;
        byte[] p = Utf8.encode(prefix);
        int s = Math.max(0, lastSampleAtOrBelow(e, p));
        List<Postings> lists = new ArrayList<>();
        for (Entries it = new Entries(e, s); it.next(); ) {
            if (startsWith(it.valueOff, it.valueLen, p)) {
                lists.add(postingsAt(it.listOffset));
            } else if (compareAt(it.valueOff, it.valueLen, p) > 0) {
                break; // sorted: past every value with this prefix
            }
        }
        return Postings.merge(lists);
    }

    /** Union of the postings of every value of {@code name} accepted by {@code matcher} (which sees all values). */
    public Postings postingsForMatchingValues(String name, Predicate<String> matcher) {
        ensureOpen();
        NameEntry e = names.get(Objects.requireNonNull(name, "name"));
        if (e == null) return Postings.EMPTY;
        List<Postings> lists = new ArrayList<>();
        for (Entries it = new Entries(e, 0); it.next(); ) {
            if (matcher.test(it.value())) lists.add(postingsAt(it.listOffset));
        }
        return Postings.merge(lists);
    }

    /** Offset of the postings list for value {@code v} of {@code e}, or -1. */
    private long findValue(NameEntry e, byte[] v) {
        int s = lastSampleAtOrBelow(e, v);
        if (s < 0) return -1;
        for (Entries it = new Entries(e, s); it.next(); ) {
            int c = compareAt(it.valueOff, it.valueLen, v);
            if (c == 0) return it.listOffset;
            if (c > 0) return -1;
        }
        return -1;
    }

    /**
     * Walks one label name's entries of the postings offset table (key count, the name again, the value, the list's
     * offset) from one of its sampled positions. A flyweight: the current value is addressed in place.
     */
    private final class Entries {
        private final Decbuf d;
        int valueOff;
        int valueLen;
        long listOffset;

        Entries(NameEntry e, int sample) {
            d = new Decbuf().wrap(buf, e.sampleOffsets[sample], e.end - e.sampleOffsets[sample]);
        }

        boolean next() {
            if (d.remaining() <= 0) return false;
            int at = d.position();
            d.getUvarint();
            d.skip(d.getUvarint32());
            valueLen = d.getUvarint32();
            valueOff = d.position();
            d.skip(valueLen);
            listOffset = d.getUvarint();
            if (!d.ok()) throw corrupt(at, "postings offset table entry: " + d.err());
            return true;
        }

        String value() {
            byte[] b = new byte[valueLen];
            buf.get(valueOff, b, 0, valueLen);
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Index of the last sampled value {@code <= v}, or -1 if {@code v} sorts before all. */
    private static int lastSampleAtOrBelow(NameEntry e, byte[] v) {
        int lo = 0;
        int hi = e.sampleValues.length - 1;
        int r = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Utf8.compare(e.sampleValues[mid], v) <= 0) {
                r = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return r;
    }

    private Postings postingsAt(long offset) {
        if (offset < postingsStart || offset > postingsEnd - 8) {
            throw corrupt(offset, "postings list offset outside the postings section [" + postingsStart + ", "
                    + postingsEnd + ")");
        }
        int off = (int) offset;
        long len = Integer.toUnsignedLong(buf.getInt(off));
        if (len < 4 || off + 4 + len + 4 > postingsEnd) {
            throw corrupt(off, "postings list length " + len + " overruns the postings section");
        }
        long n = Integer.toUnsignedLong(buf.getInt(off + 4));
        if (len != 4 + 4 * n) throw corrupt(off, "postings list length " + len + " does not match " + n + " entries");
        checkCrc(off + 4, (int) len, "postings list");
        return n == 0 ? Postings.EMPTY : new BigEndianPostings(buf, off + 8, (int) n);
    }

    // ---- series ---------------------------------------------------------------------------------------------

    /**
     * Decodes series {@code id}: labels to {@code labels} (names ascending), then chunk metas to {@code chunks};
     * either sink may be null to skip that part (skipping labels also skips the symbol lookups). On an exception
     * the sinks may have received a prefix of the entry.
     *
     * @throws IllegalArgumentException if {@code id} does not point into the series section
     * @throws IndexCorruptionException if the entry is damaged (bounds, CRC, symbol refs, unsorted names)
     */
    public void series(long id, LabelSink labels, ChunkSink chunks) {
        ensureOpen();
        long offset = id * IndexFormat.SERIES_ALIGN;
        if (id < 0 || offset < seriesStart || offset >= seriesEnd) {
            throw new IllegalArgumentException("series id " + id + " (offset " + offset + ") outside the series "
                    + "section [" + seriesStart + ", " + seriesEnd + ") of " + path);
        }
        int off = (int) offset;
        Decbuf d = new Decbuf().wrap(buf, off, seriesEnd - off);
        int len = d.getUvarint32();
        int bodyStart = d.position();
        if (!d.ok() || len > seriesEnd - bodyStart - 4 || len == 0) {
            throw corrupt(off, "series entry length " + (d.ok() ? len : d.err()) + " does not fit the series section");
        }
        checkCrc(bodyStart, len, "series entry", off);
        d.wrap(buf, bodyStart, len);
        int nLabels = d.getUvarint32();
        long prevName = -1;
        Decbuf sym = labels == null ? null : new Decbuf();
        for (int i = 0; i < nLabels && d.ok(); i++) {
            long name = d.getUvarint();
            long value = d.getUvarint();
            if (!d.ok()) break;
            if (name >= symbolCount || value >= symbolCount || name < 0 || value < 0) {
                throw corrupt(off, "series label " + i + " refers to symbol " + Long.toUnsignedString(
                        name >= symbolCount || name < 0 ? name : value) + " of " + symbolCount);
            }
            // Symbols are byte-sorted, so ascending names mean ascending refs.
            if (name <= prevName) throw corrupt(off, "series label names not strictly increasing at label " + i);
            prevName = name;
            if (labels != null) labels.accept(lookupSymbol((int) name, sym), lookupSymbol((int) value, sym));
        }
        int nChunks = d.getUvarint32();
        if (nChunks > 0 && d.ok()) {
            long mint = d.getVarint();
            long maxt = mint + d.getUvarint();
            long ref = d.getUvarint();
            if (d.ok() && chunks != null) chunks.accept(mint, maxt, ref);
            for (int c = 1; c < nChunks && d.ok(); c++) {
                // Wrapping adds undo Go's uint64 conversion of negative deltas (overlapping chunks).
                mint = maxt + d.getUvarint();
                maxt = mint + d.getUvarint();
                ref += d.getVarint();
                if (d.ok() && chunks != null) chunks.accept(mint, maxt, ref);
            }
        }
        if (!d.ok()) throw corrupt(off, "series entry: " + d.err());
        if (d.remaining() != 0) throw corrupt(off, d.remaining() + " trailing bytes in series entry");
    }

    /**
     * Closes the reader: later lookups throw {@link IllegalStateException}. Postings handed out earlier stay
     * readable (see the class comment). Idempotent.
     */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("index reader for " + path + " is closed");
    }

    // ---- opening --------------------------------------------------------------------------------------------

    private IndexFormat.Toc readToc() {
        int t = size - IndexFormat.TOC_LEN;
        checkCrc(t, 48, "TOC", t);
        IndexFormat.Toc toc = new IndexFormat.Toc(buf.getLong(t), buf.getLong(t + 8), buf.getLong(t + 16),
                buf.getLong(t + 24), buf.getLong(t + 32), buf.getLong(t + 40));
        long[] all = {toc.symbols(), toc.series(), toc.labelIndices(), toc.labelOffsetTable(), toc.postings(),
                toc.postingsOffsetTable()};
        for (long o : all) {
            if (o != 0 && (o < IndexFormat.HEADER_LEN || o > t)) {
                throw corrupt(t, "TOC offset " + o + " outside [" + IndexFormat.HEADER_LEN + ", " + t + "]");
            }
        }
        return toc;
    }

    private int section(long tocOffset, String what) {
        if (tocOffset == 0) throw corrupt(size - IndexFormat.TOC_LEN, "TOC has no " + what + " section");
        return (int) tocOffset;
    }

    /** The first TOC offset after {@code start}, or {@code limit}: where the section at {@code start} ends. */
    private int nextSection(int start, int limit) {
        long end = limit;
        long[] all = {toc.symbols(), toc.series(), toc.labelIndices(), toc.labelOffsetTable(), toc.postings(),
                toc.postingsOffsetTable()};
        for (long o : all) {
            if (o > start && o < end) end = o;
        }
        return (int) end;
    }

    /** Reads a section's BE32 length at {@code off}, checking that length and CRC fit before {@code limit}. */
    private int sectionLen(int off, int limit, String what) {
        if (off + 4 > limit) throw corrupt(off, what + " length field overruns the file");
        long len = Integer.toUnsignedLong(buf.getInt(off));
        if (len < 4 || off + 4 + len + 4 > limit) throw corrupt(off, what + " length " + len + " overruns the file");
        return (int) len;
    }

    private List<String> readPostingsOffsetTable(int off, int len) {
        Decbuf d = new Decbuf().wrap(buf, off + 4, len);
        long count = Integer.toUnsignedLong(d.getBE32());
        List<String> sortedNames = new ArrayList<>();
        int curNameOff = -1;
        int curNameLen = 0;
        String curName = null;
        int curCount = 0;
        List<byte[]> sampleValues = new ArrayList<>();
        IntList sampleOffsets = new IntList(16);
        for (long i = 0; i < count; i++) {
            int at = d.position();
            long keys = d.getUvarint();
            int nlen = d.getUvarint32();
            int noff = d.position();
            d.skip(nlen);
            int vlen = d.getUvarint32();
            int voff = d.position();
            d.skip(vlen);
            d.getUvarint();
            if (!d.ok()) throw corrupt(at, "postings offset table entry " + i + ": " + d.err());
            if (keys != 2) throw corrupt(at, "postings offset table entry " + i + " has " + keys + " keys, want 2");
            if (curName == null || !sameBytes(noff, nlen, curNameOff, curNameLen)) {
                if (curName != null) {
                    addName(curName, curCount, sampleValues, sampleOffsets, at, sortedNames);
                    sampleValues = new ArrayList<>();
                    sampleOffsets = new IntList(16);
                }
                curNameOff = noff;
                curNameLen = nlen;
                curName = string(noff, nlen);
                curCount = 0;
            }
            if (curCount % SAMPLE_EVERY == 0) {
                byte[] v = new byte[vlen];
                buf.get(voff, v);
                sampleValues.add(v);
                sampleOffsets.add(at);
            }
            curCount++;
        }
        if (curName != null) addName(curName, curCount, sampleValues, sampleOffsets, d.position(), sortedNames);
        if (d.remaining() != 0) throw corrupt(d.position(), "trailing bytes in the postings offset table");
        return Collections.unmodifiableList(sortedNames);
    }

    private void addName(String name, int count, List<byte[]> values, IntList offsets, int end, List<String> sorted) {
        int[] offs = new int[offsets.size()];
        for (int i = 0; i < offs.length; i++) offs[i] = offsets.get(i);
        if (names.put(name, new NameEntry(name, count, values.toArray(new byte[0][]), offs, end)) != null) {
            throw corrupt(offs[0], "label name " + name + " appears twice in the postings offset table");
        }
        if (!name.isEmpty()) sorted.add(name);
    }

    // ---- byte helpers ---------------------------------------------------------------------------------------

    private void checkCrc(int off, int len, String what) {
        checkCrc(off, len, what, off - 4);
    }

    /** Checks the CRC32C stored right after {@code [off, off+len)}; a mismatch is reported at {@code reportAt}. */
    private void checkCrc(int off, int len, String what, int reportAt) {
        CRC32C c = new CRC32C();
        c.update(buf.slice(off, len));
        int want = buf.getInt(off + len);
        if ((int) c.getValue() != want) {
            throw corrupt(reportAt, String.format("%s checksum mismatch: stored 0x%08X, computed 0x%08X", what, want,
                    (int) c.getValue()));
        }
    }

    private String string(int off, int len) {
        byte[] b = new byte[len];
        buf.get(off, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private boolean sameBytes(int a, int alen, int b, int blen) {
        if (alen != blen) return false;
        for (int i = 0; i < alen; i++) {
            if (buf.get(a + i) != buf.get(b + i)) return false;
        }
        return true;
    }

    /** Unsigned comparison of the buffer's bytes {@code [off, off+len)} with {@code v}. */
    private int compareAt(int off, int len, byte[] v) {
        int n = Math.min(len, v.length);
        for (int i = 0; i < n; i++) {
            int c = (buf.get(off + i) & 0xFF) - (v[i] & 0xFF);
            if (c != 0) return c;
        }
        return len - v.length;
    }

    private boolean startsWith(int off, int len, byte[] p) {
        if (len < p.length) return false;
        for (int i = 0; i < p.length; i++) {
            if (buf.get(off + i) != p[i]) return false;
        }
        return true;
    }

    private IndexCorruptionException corrupt(long offset, String msg) {
        return new IndexCorruptionException(path, offset, msg);
    }
}
