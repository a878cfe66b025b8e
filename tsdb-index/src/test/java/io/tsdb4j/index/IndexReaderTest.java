package io.tsdb4j.index;

import io.tsdb4j.encoding.Decbuf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reader behaviour beyond round trips: sampled lookups over many values, bad ids and refs, and corruption — every
 * single-byte flip and every truncation gives an {@link IndexCorruptionException} (or, unread legacy sections and
 * padding, identical results), never another exception.
 */
class IndexReaderTest {
    @TempDir
    static Path dir;
    static IndexModel model;
    static Path good;
    static byte[] bytes;
    static String goodDump;

    @BeforeAll
    static void writeIndex() throws IOException {
        List<Map<String, String>> sets = new ArrayList<>();
        List<long[]> chunks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // "many" has 40 values (2 samples of 32), "job" 3, "é"/"😀" only on some series.
            Map<String, String> m = new HashMap<>();
            m.put("__name__", i % 2 == 0 ? "up" : "requests_total");
            m.put("many", String.format("val%03d", i));
            m.put("job", "job" + (i % 3));
            if (i % 5 == 0) m.put("é", "\uFFFD" + i);
            if (i % 7 == 0) m.put("😀", "x");
            sets.add(m);
            chunks.add(new long[] {1000L * i, 1000L * i + 999, 8L * i, 1000L * i + 1000, 1000L * i + 1500, 8L * i + 40});
        }
        model = new IndexModel(sets, chunks, true);
        good = dir.resolve("good");
        model.write(good);
        bytes = Files.readAllBytes(good);
        try (IndexReader r = IndexReader.open(good)) {
            goodDump = IndexModel.dump(r);
        }
        assertEquals(model.expectedDump(), goodDump);
    }

    @Test
    void lookupsAcrossSampledValues() throws IOException {
        try (IndexReader r = IndexReader.open(good)) {
            List<String> values = r.labelValues("many");
            assertEquals(40, values.size());
            for (int i = 0; i < 40; i++) {
                long[] ids = Postings.toArray(r.postings("many", values.get(i)));
                assertEquals(1, ids.length, values.get(i));
                // Misses just before, just after, and between sampled values.
                assertEquals(0, Postings.toArray(r.postings("many", values.get(i) + "\u0000")).length);
                assertEquals(0, Postings.toArray(r.postings("many", values.get(i).substring(0, 5))).length);
            }
            assertEquals(0, Postings.toArray(r.postings("many", "")).length);
            assertEquals(0, Postings.toArray(r.postings("many", "zzz")).length);
            assertEquals(10, Postings.toArray(r.postingsForLabelPrefix("many", "val03")).length);
            assertEquals(40, Postings.toArray(r.postingsForLabelPrefix("many", "val")).length);
            assertEquals(0, Postings.toArray(r.postingsForLabelPrefix("many", "vam")).length);
        }
    }

    @Test
    void badIdsAndRefsAreArgumentErrors() throws IOException {
        try (IndexReader r = IndexReader.open(good)) {
            assertThrows(IllegalArgumentException.class, () -> r.series(0, null, null)); // inside the header
            assertThrows(IllegalArgumentException.class, () -> r.series(-1, null, null));
            assertThrows(IllegalArgumentException.class, () -> r.series(bytes.length, null, null));
            assertThrows(IllegalArgumentException.class, () -> r.symbol(r.symbolCount()));
            assertThrows(IllegalArgumentException.class, () -> r.symbol(-1));
        }
    }

    @Test
    void lookupsFailAfterCloseButEarlierPostingsStayReadable() throws IOException {
        IndexReader r = IndexReader.open(good);
        Postings all = r.allPostings();
        r.close();
        assertThrows(IllegalStateException.class, () -> r.postings("job", "job1"));
        assertThrows(IllegalStateException.class, () -> r.series(model.ids[0], null, null));
        assertArrayEquals(model.ids, Postings.toArray(all));
    }

    @Test
    void rejectsVersion1AndOtherFiles() throws IOException {
        byte[] v1 = bytes.clone();
        v1[4] = 1;
        Path p = dir.resolve("v1");
        Files.write(p, v1);
        IOException e = assertThrows(IOException.class, () -> IndexReader.open(p));
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());

        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {(byte) 0xBA, (byte) 0xAA});
        IndexCorruptionException c = assertThrows(IndexCorruptionException.class, () -> IndexReader.open(tiny));
        assertEquals(tiny, c.file());
        assertTrue(c.getMessage().contains(tiny.toString()), c.getMessage());
    }

    @Test
    void everySingleByteFlipIsDetectedOrHarmless() throws IOException {
        IndexFormat.Toc toc;
        try (IndexReader r = IndexReader.open(good)) {
            toc = r.toc();
        }
        BitSet mustDetect = bytesThatMatter(toc);
        Path p = dir.resolve("flipped"); // names the buffer in errors; reading a heap copy keeps this fast
        byte[] b = bytes.clone();
        int detected = 0;
        for (int i = 0; i < b.length; i++) {
            for (int mask : new int[] {1 << (i % 8), 0xFF}) {
                b[i] ^= (byte) mask;
                String what = "flip 0x" + Integer.toHexString(mask) + " at " + i;
                try (IndexReader r = IndexReader.open(p, ByteBuffer.wrap(b))) {
                    String dump = IndexModel.dump(r);
                    if (mustDetect.get(i)) fail(what + " went undetected");
                    assertEquals(goodDump, dump, what + " changed what the reader returns without an error");
                } catch (IndexCorruptionException e) {
                    detected++;
                    assertEquals(p, e.file());
                    assertTrue(e.offset() >= 0 && e.offset() < bytes.length, what + ": offset " + e.offset());
                } catch (Throwable t) {
                    throw new AssertionError(what + " raised an untyped " + t, t);
                } finally {
                    b[i] ^= (byte) mask;
                }
            }
        }
        assertTrue(detected >= 2 * mustDetect.cardinality(), "detected " + detected);
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        Path p = dir.resolve("truncated");
        for (int len = 0; len < bytes.length; len++) {
            ByteBuffer b = ByteBuffer.wrap(bytes, 0, len).slice();
            int n = len;
            IndexCorruptionException e = assertThrows(IndexCorruptionException.class, () -> {
                try (IndexReader r = IndexReader.open(p, b)) {
                    IndexModel.dump(r);
                }
            }, () -> "truncated to " + n);
            assertTrue(e.offset() >= 0 && e.offset() <= len);
        }
    }

    @Test
    void aCorruptSeriesEntryNamesItsOffset() throws IOException {
        long id = model.ids[3];
        byte[] b = bytes.clone();
        b[(int) (id * 16) + 2] ^= 0x40;
        Path p = dir.resolve("series");
        Files.write(p, b);
        try (IndexReader r = IndexReader.open(p)) {
            IndexCorruptionException e = assertThrows(IndexCorruptionException.class, () -> r.series(id, null, null));
            assertEquals(id * 16, e.offset());
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            // Other series are still readable.
            long[] chunks = new long[6];
            int[] k = {0};
            r.series(model.ids[4], null, (mint, maxt, ref) -> {
                chunks[k[0]++] = mint;
                chunks[k[0]++] = maxt;
                chunks[k[0]++] = ref;
            });
            assertArrayEquals(model.series.get(4).chunks(), chunks);
        }
    }

    /**
     * Bytes the reader reads and checks: header, symbols, series entries (not their padding), postings lists,
     * postings offset table, TOC. The legacy label indices and label offset table are not read.
     */
    private static BitSet bytesThatMatter(IndexFormat.Toc toc) {
        BitSet s = new BitSet();
        s.set(0, 5);
        s.set((int) toc.symbols(), (int) toc.series());
        Decbuf d = new Decbuf();
        for (long id : model.ids) {
            int off = (int) id * 16;
            d.wrap(bytes, off, bytes.length - off);
            int len = d.getUvarint32();
            s.set(off, d.position() + len + 4);
        }
        int firstList = (int) ((toc.postings() + 3) & ~3L);
        s.set(firstList, (int) toc.labelOffsetTable());
        s.set((int) toc.postingsOffsetTable(), bytes.length);
        return s;
    }
}
