package io.tsdb4j.index;

import io.tsdb4j.encoding.ByteOrderUtil;
import io.tsdb4j.encoding.Encbuf;
import io.tsdb4j.encoding.Utf8;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes a Prometheus v2 block index file, byte for byte as Prometheus 2.42 does for the same input (layout in
 * {@link IndexFormat}).
 *
 * <p>Call order: {@link #addSymbol} for every label name and value, in strictly increasing UTF-8 byte order (a
 * block cut from the head includes the empty string, which then becomes symbol 0); then {@link #addSeries} for
 * every series in strictly increasing label-set order; then {@link #finish()}, which derives and writes the label
 * indices, postings, both offset tables and the TOC, and syncs the file. {@link #close()} releases the file; closed
 * without a successful {@code finish()}, the incomplete file is deleted.
 *
 * <p>Memory: symbol strings and a string-to-ref map, and every postings list (4 bytes per label of every series,
 * plus a map entry per distinct label pair) are kept until {@code finish()}; series bodies are streamed to the
 * file through a 64 KiB buffer.
 *
 * <p>Errors: caller mistakes (order, unknown symbol, malformed labels) throw {@link IllegalArgumentException} or
 * {@link IllegalStateException} before anything is written and leave the writer usable. An {@link IOException}
 * fails the writer: every later call throws {@link IllegalStateException}. Not thread-safe.
 */
public final class IndexWriter implements Closeable {
    private enum Stage { NONE, SYMBOLS, SERIES, DONE }

    private static final int BUF_SIZE = 1 << 16;

    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer wbuf = ByteBuffer.allocate(BUF_SIZE);
    /** Absolute file position of the next byte written (flushed bytes plus buffered ones). */
    private long pos;
    private final CRC32C crc = new CRC32C();
    private final Encbuf eb = new Encbuf(1 << 12);
    private final Encbuf body = new Encbuf(1 << 10);

    private Stage stage = Stage.NONE;
    private IOException failure;
    private boolean closed;

    private long tocSymbols;
    private long tocSeries;

    private final List<String> symbols = new ArrayList<>();
    private final HashMap<String, Integer> symbolRefs = new HashMap<>();
    private byte[] lastSymbol;

    /** (nameRef, valueRef) pairs of the previous series, for the order check. */
    private int[] lastRefs = new int[0];
    private int[] refs = new int[32];
    private boolean anySeries;
    private final IntList allSeries = new IntList(1024);
    /** Key: nameRef << 32 | valueRef. Refs are < 2^31 (the table's count is a BE32 we keep non-negative). */
    private final HashMap<Long, IntList> postings = new HashMap<>();

    private IndexWriter(Path path, FileChannel ch) {
        this.path = path;
        this.ch = ch;
    }

    /** Creates (or truncates) the index file at {@code path} and writes the header. */
    public static IndexWriter create(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        IndexWriter w = new IndexWriter(path, ch);
        try {
            w.wbuf.putInt(IndexFormat.MAGIC).put((byte) IndexFormat.FORMAT_V2);
            w.pos = IndexFormat.HEADER_LEN;
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
        return w;
    }

    /** The file being written. */
    public Path path() {
        return path;
    }

    /**
     * Adds the next symbol. Symbols must be strictly increasing by UTF-8 bytes (Go order, see {@link Utf8}); the
     * first symbol gets ref 0.
     */
    public void addSymbol(String symbol) throws IOException {
        Objects.requireNonNull(symbol, "symbol");
        checkUsable();
        if (stage.compareTo(Stage.SYMBOLS) > 0) throw new IllegalStateException("symbols must be added before series");
        byte[] b = Utf8.encode(symbol);
        if (lastSymbol != null && Utf8.compare(b, lastSymbol) <= 0) {
            throw new IllegalArgumentException("symbol " + quote(symbol) + " is not after " + quote(symbols.get(
                    symbols.size() - 1)) + " in UTF-8 byte order");
        }
        if (symbols.size() == Integer.MAX_VALUE - 8) throw new IllegalStateException("too many symbols");
        try {
            if (stage == Stage.NONE) startSymbols();
            eb.reset().putUvarint(b.length).putBytes(b);
            write(eb.array(), 0, eb.len());
        } catch (IOException e) {
            throw fail(e);
        }
        lastSymbol = b;
        symbolRefs.put(symbol, symbols.size());
        symbols.add(symbol);
    }

    /**
     * Adds the next series; see {@link #addSeries(String[], long[], int)}.
     *
     * @return the series id (entry offset / 16)
     */
    public long addSeries(String[] labels, List<ChunkMeta> chunks) throws IOException {
        long[] metas = new long[chunks.size() * 3];
        int i = 0;
        for (ChunkMeta c : chunks) {
            metas[i++] = c.minTime();
            metas[i++] = c.maxTime();
            metas[i++] = c.ref();
        }
        return addSeries(labels, metas, chunks.size());
    }

    /**
     * Adds the next series.
     *
     * @param labels     name/value pairs flattened ({@code n0, v0, n1, v1, ...}), names non-empty and strictly
     *                   increasing by UTF-8 bytes, every string previously added as a symbol; the label set must
     *                   sort strictly after the previous series' (label by label, name then value, a prefix first)
     * @param chunkMetas {@code chunkCount} triples {@code (minTime, maxTime, ref)} in time order; not validated
     *                   (overlapping chunks are encoded with wrapping deltas, as Prometheus does)
     * @return the series id (entry offset / 16), used in postings
     */
    public long addSeries(String[] labels, long[] chunkMetas, int chunkCount) throws IOException {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(chunkMetas, "chunkMetas");
        checkUsable();
        if (stage == Stage.DONE) throw new IllegalStateException("index already finished");
        if ((labels.length & 1) != 0) throw new IllegalArgumentException("labels must be name/value pairs, got "
                + labels.length + " strings");
        if (chunkCount < 0 || (long) chunkCount * 3 > chunkMetas.length) {
            throw new IllegalArgumentException("chunkCount " + chunkCount + " but " + chunkMetas.length + " longs");
        }
        int n = labels.length;
        if (n == 0) throw new IllegalArgumentException("a series needs at least one label");
        if (refs.length < n) refs = new int[n];
        for (int i = 0; i < n; i += 2) {
            if (labels[i].isEmpty()) throw new IllegalArgumentException("empty label name in " + describe(labels));
            refs[i] = symbolRef(labels[i], labels);
            refs[i + 1] = symbolRef(labels[i + 1], labels);
            // Symbols are in byte order, so comparing refs compares bytes.
            if (i > 0 && refs[i] <= refs[i - 2]) {
                throw new IllegalArgumentException("label names not strictly increasing in " + describe(labels));
            }
        }
        if (anySeries && compareRefs(refs, n, lastRefs) <= 0) {
            throw new IllegalArgumentException("series " + describe(labels) + " is not after the previous series");
        }
        try {
            if (stage != Stage.SERIES) toSeriesStage();
            long id = addPadding(IndexFormat.SERIES_ALIGN) / IndexFormat.SERIES_ALIGN;
            if (id > IndexFormat.MAX_SERIES_ID) {
                throw new IOException("index " + path + " exceeds 64 GiB: series ids no longer fit 32 bits");
            }
            encodeSeries(n, chunkMetas, chunkCount);
            eb.reset().putUvarint(body.len());
            crc.reset();
            crc.update(body.array(), 0, body.len());
            body.putBE32((int) crc.getValue());
            write(eb.array(), 0, eb.len());
            write(body.array(), 0, body.len());

            int sid = (int) id;
            allSeries.add(sid);
            for (int i = 0; i < n; i += 2) {
                long key = ((long) refs[i] << 32) | refs[i + 1];
                postings.computeIfAbsent(key, k -> new IntList(4)).add(sid);
            }
            if (lastRefs.length != n) lastRefs = new int[n];
            System.arraycopy(refs, 0, lastRefs, 0, n);
            anySeries = true;
            return id;
        } catch (IOException e) {
            throw fail(e);
        }
    }

    private void encodeSeries(int n, long[] m, int chunkCount) {
        Encbuf b = body.reset();
        b.putUvarint(n / 2);
        for (int i = 0; i < n; i++) b.putUvarint(refs[i]);
        b.putUvarint(chunkCount);
        if (chunkCount == 0) return;
        long mint = m[0];
        long maxt = m[1];
        long ref = m[2];
        b.putVarint(mint);
        b.putUvarint(maxt - mint);
        b.putUvarint(ref);
        for (int c = 1; c < chunkCount; c++) {
            long cmin = m[3 * c];
            long cmax = m[3 * c + 1];
            long cref = m[3 * c + 2];
            // Negative deltas (overlapping chunks) become 10-byte uvarints, as in Go; the reader wraps them back.
            b.putUvarint(cmin - maxt);
            b.putUvarint(cmax - cmin);
            b.putVarint(cref - ref);
            maxt = cmax;
            ref = cref;
        }
    }

    /**
     * Writes label indices, postings, the label offset table, the postings offset table and the TOC, then flushes
     * and syncs the file. After this only {@link #close()} may be called.
     */
    public void finish() throws IOException {
        checkUsable();
        if (stage == Stage.DONE) throw new IllegalStateException("index already finished");
        try {
            if (stage != Stage.SERIES) toSeriesStage();
            long tocLabelIndices = pos;

            long[] keys = new long[postings.size()];
            int k = 0;
            for (Long key : postings.keySet()) keys[k++] = key;
            Arrays.sort(keys); // name ref, then value ref: byte order of names, then of values

            // Label indices, one per name (all keys have non-empty names: the all-series list is separate).
            IntList nameRefs = new IntList(64);
            List<Long> labelIndexOffsets = new ArrayList<>();
            for (int i = 0; i < keys.length; ) {
                int name = (int) (keys[i] >>> 32);
                int j = i;
                while (j < keys.length && (int) (keys[j] >>> 32) == name) j++;
                addPadding(IndexFormat.POSTINGS_ALIGN);
                nameRefs.add(name);
                labelIndexOffsets.add(pos);
                long start = beginSection();
                eb.reset().putBE32(1).putBE32(j - i);
                for (int x = i; x < j; x++) eb.putBE32((int) keys[x]);
                writeHashed(eb);
                endSection(start);
                i = j;
            }

            long tocPostings = pos;
            long[] postingsOffsets = new long[keys.length + 1];
            addPadding(IndexFormat.POSTINGS_ALIGN);
            postingsOffsets[0] = pos;
            writePostingsList(allSeries);
            for (int i = 0; i < keys.length; i++) {
                addPadding(IndexFormat.POSTINGS_ALIGN);
                postingsOffsets[i + 1] = pos;
                writePostingsList(postings.get(keys[i]));
            }

            long tocLabelOffsetTable = pos;
            long start = beginSection();
            eb.reset().putBE32(nameRefs.size());
            writeHashed(eb);
            for (int i = 0; i < nameRefs.size(); i++) {
                eb.reset().putUvarint(1).putUvarintStr(symbols.get(nameRefs.get(i))).putUvarint(labelIndexOffsets.get(i));
                writeHashed(eb);
            }
            endSection(start);

            long tocPostingsOffsetTable = pos;
            start = beginSection();
            eb.reset().putBE32(keys.length + 1);
            writeHashed(eb);
            eb.reset().putUvarint(2).putUvarintStr(IndexFormat.ALL_POSTINGS_NAME)
                    .putUvarintStr(IndexFormat.ALL_POSTINGS_VALUE).putUvarint(postingsOffsets[0]);
            writeHashed(eb);
            for (int i = 0; i < keys.length; i++) {
                eb.reset().putUvarint(2).putUvarintStr(symbols.get((int) (keys[i] >>> 32)))
                        .putUvarintStr(symbols.get((int) keys[i])).putUvarint(postingsOffsets[i + 1]);
                writeHashed(eb);
            }
            endSection(start);

            eb.reset().putBE64(tocSymbols).putBE64(tocSeries).putBE64(tocLabelIndices).putBE64(tocLabelOffsetTable)
                    .putBE64(tocPostings).putBE64(tocPostingsOffsetTable);
            crc.reset();
            crc.update(eb.array(), 0, eb.len());
            eb.putBE32((int) crc.getValue());
            write(eb.array(), 0, eb.len());
            flush();
            ch.force(true);
            stage = Stage.DONE;
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /**
     * Closes the file. If {@link #finish()} did not complete, the incomplete file is deleted (an index without its
     * TOC is unreadable anyway). Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            ch.close();
        } finally {
            if (stage != Stage.DONE) Files.deleteIfExists(path);
        }
    }

    // ---- sections -------------------------------------------------------------------------------------------

    private void startSymbols() throws IOException {
        tocSymbols = pos;
        // len and count are patched in when the symbols are done.
        eb.reset().putBE32(0).putBE32(0);
        write(eb.array(), 0, eb.len());
        stage = Stage.SYMBOLS;
    }

    private void toSeriesStage() throws IOException {
        if (stage == Stage.NONE) startSymbols();
        long len = pos - tocSymbols - 4;
        if (len > 0xFFFF_FFFFL) throw new IOException("symbol table of " + path + " exceeds 4 GiB");
        byte[] head = new byte[8];
        ByteOrderUtil.putBE32(head, 0, (int) len);
        ByteOrderUtil.putBE32(head, 4, symbols.size());
        writeAt(tocSymbols, head);
        // The CRC covers the count, known only now: read the section back rather than buffer all of it.
        crc.reset();
        ByteBuffer rb = ByteBuffer.allocate(BUF_SIZE);
        for (long p = tocSymbols + 4, end = pos; p < end; ) {
            rb.clear().limit((int) Math.min(BUF_SIZE, end - p));
            int r = ch.read(rb, p);
            if (r < 0) throw new IOException("unexpected end of " + path + " at " + p + " while checksumming symbols");
            rb.flip();
            crc.update(rb);
            p += r;
        }
        eb.reset().putBE32((int) crc.getValue());
        write(eb.array(), 0, eb.len());
        tocSeries = pos;
        stage = Stage.SERIES;
    }

    private void writePostingsList(IntList ids) throws IOException {
        long start = beginSection();
        eb.reset().putBE32(ids.size());
        for (int i = 0; i < ids.size(); i++) eb.putBE32(ids.get(i));
        writeHashed(eb);
        endSection(start);
    }

    /** Writes a placeholder for a section's length and resets the CRC; returns the section's offset. */
    private long beginSection() throws IOException {
        long start = pos;
        eb.reset().putBE32(0);
        write(eb.array(), 0, eb.len());
        crc.reset();
        return start;
    }

    private void writeHashed(Encbuf b) throws IOException {
        crc.update(b.array(), 0, b.len());
        write(b.array(), 0, b.len());
    }

    /** Patches the section's length and appends its CRC. */
    private void endSection(long start) throws IOException {
        long len = pos - start - 4;
        if (len > 0xFFFF_FFFFL) throw new IOException("section at " + start + " of " + path + " exceeds 4 GiB");
        byte[] l = new byte[4];
        ByteOrderUtil.putBE32(l, 0, (int) len);
        writeAt(start, l);
        eb.reset().putBE32((int) crc.getValue());
        write(eb.array(), 0, eb.len());
    }

    // ---- buffered file I/O ----------------------------------------------------------------------------------

    private void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!wbuf.hasRemaining()) flush();
            int n = Math.min(len, wbuf.remaining());
            wbuf.put(b, off, n);
            off += n;
            len -= n;
            pos += n;
        }
    }

    /** Zero bytes up to the next multiple of {@code align}; returns the new position. */
    private long addPadding(int align) throws IOException {
        int p = (int) (pos % align);
        if (p != 0) {
            eb.reset();
            for (int i = p; i < align; i++) eb.putByte(0);
            write(eb.array(), 0, eb.len());
        }
        return pos;
    }

    private void flush() throws IOException {
        wbuf.flip();
        long at = pos - wbuf.remaining();
        while (wbuf.hasRemaining()) at += ch.write(wbuf, at);
        wbuf.clear();
    }

    private void writeAt(long at, byte[] b) throws IOException {
        flush();
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) at += ch.write(bb, at);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private int symbolRef(String s, String[] labels) {
        Integer r = symbolRefs.get(Objects.requireNonNull(s, "label string"));
        if (r == null) throw new IllegalArgumentException("symbol " + quote(s) + " of series " + describe(labels)
                + " was not added");
        return r;
    }

    private static int compareRefs(int[] a, int n, int[] b) {
        int m = Math.min(n, b.length);
        for (int i = 0; i < m; i++) {
            if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
        }
        return Integer.compare(n, b.length);
    }

    private void checkUsable() {
        if (closed) throw new IllegalStateException("index writer for " + path + " is closed");
        if (failure != null) throw new IllegalStateException("index writer for " + path + " failed earlier", failure);
    }

    private IOException fail(IOException e) {
        failure = e;
        return e;
    }

    private static String describe(String[] labels) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (i > 0) sb.append(", ");
            sb.append(labels[i]).append('=').append(quote(labels[i + 1]));
        }
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
