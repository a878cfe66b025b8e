package io.tsdb4j.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact bytes of a tiny index, and the writer's call-order and input checks. */
class IndexWriterTest {

    /** Builds expected bytes; {@code crcFrom(pos)} appends the CRC32C of everything written since {@code pos}. */
    private static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes hex(String h) {
            out.writeBytes(HexFormat.of().parseHex(h.replace(" ", "")));
            return this;
        }

        int pos() {
            return out.size();
        }

        Bytes crcFrom(int from) {
            byte[] b = out.toByteArray();
            CRC32C c = new CRC32C();
            c.update(b, from, b.length - from);
            return hex(String.format("%08x", (int) c.getValue()));
        }

        Bytes zeros(int n) {
            out.writeBytes(new byte[n]);
            return this;
        }
    }

    @Test
    void tinyIndexExactBytes(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(p)) {
            w.addSymbol("");
            w.addSymbol("a");
            w.addSymbol("b");
            assertEquals(2, w.addSeries(new String[] {"a", "b"}, List.of(new ChunkMeta(1000, 2000, 8))));
            w.finish();
        }
        Bytes e = new Bytes();
        e.hex("BAAAD700 02");                                   // 0: magic, version 2
        e.hex("00000009");                                      // 5: symbols len = count + 3 strings
        e.hex("00000003 00 0161 0162").crcFrom(9);              //    count 3: "", "a", "b"; CRC from count
        assertEquals(22, e.pos());                              // TOC.series = 22
        e.zeros(10);                                            //    pad to 32 -> series id 2
        e.hex("09");                                            // 32: body length 9
        int body = e.pos();
        e.hex("01 01 02 01 D00F E807 08").crcFrom(body);        //    1 label (a=b), 1 chunk: varint 1000, 1000, ref 8
        assertEquals(46, e.pos());                              // TOC.labelIndices = 46
        e.zeros(2);                                             //    pad to 48
        e.hex("0000000C");                                      // 48: label index "a": len 12
        e.hex("00000001 00000001 00000002").crcFrom(52);        //    1 name, 1 value: ref 2 ("b")
        assertEquals(68, e.pos());                              // TOC.postings = 68, already aligned
        e.hex("00000008 00000001 00000002").crcFrom(72);        // 68: all series: [2]
        e.hex("00000008 00000001 00000002").crcFrom(88);        // 84: a=b: [2]
        assertEquals(100, e.pos());                             // TOC.labelOffsetTable = 100
        e.hex("00000008 00000001 01 0161 30").crcFrom(104);     //    1 entry: 1 name "a" -> 48
        assertEquals(116, e.pos());                             // TOC.postingsOffsetTable = 116
        e.hex("0000000E 00000002 02 00 00 44 02 0161 0162 54").crcFrom(120); // ("","")->68, (a,b)->84
        int toc = e.pos();
        e.hex("0000000000000005 0000000000000016 000000000000002E 0000000000000064 0000000000000044"
                + " 0000000000000074").crcFrom(toc);
        assertArrayEquals(e.out.toByteArray(), Files.readAllBytes(p), () -> HexFormat.of().formatHex(readAll(p)));
    }

    @Test
    void emptyIndexHasAnEmptyAllSeriesList(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(p)) {
            w.finish();
        }
        Bytes e = new Bytes();
        e.hex("BAAAD700 02");
        e.hex("00000004 00000000").crcFrom(9);                  // 5: no symbols
        e.hex("000000");                                        // 17: series = label indices = postings; pad to 20
        e.hex("00000004 00000000").crcFrom(24);                 // 20: all series: []
        e.hex("00000004 00000000").crcFrom(36);                 // 32: label offset table: no entries
        e.hex("00000008 00000001 02 00 00 14").crcFrom(48);     // 44: postings offset table: ("","") -> 20
        int toc = e.pos();
        e.hex("0000000000000005 0000000000000011 0000000000000011 0000000000000020 0000000000000011"
                + " 000000000000002C").crcFrom(toc);
        assertArrayEquals(e.out.toByteArray(), Files.readAllBytes(p), () -> HexFormat.of().formatHex(readAll(p)));
        try (IndexReader r = IndexReader.open(p)) {
            assertEquals(List.of(), r.labelNames());
            assertFalse(r.allPostings().next());
            assertEquals(0, r.symbolCount());
        }
    }

    @Test
    void overlappingChunksUseWrappingDeltas(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("index");
        long[] metas = {100, 500, 1L << 40, 300, 900, 7, Long.MIN_VALUE, Long.MAX_VALUE, 0};
        try (IndexWriter w = IndexWriter.create(p)) {
            w.addSymbol("n");
            w.addSymbol("v");
            long id = w.addSeries(new String[] {"n", "v"}, metas, 3);
            w.finish();
            try (IndexReader r = IndexReader.open(p)) {
                long[] got = new long[9];
                int[] i = {0};
                r.series(id, null, (mint, maxt, ref) -> {
                    got[i[0]++] = mint;
                    got[i[0]++] = maxt;
                    got[i[0]++] = ref;
                });
                assertArrayEquals(metas, got);
            }
        }
    }

    @Test
    void symbolsMustIncreaseInUtf8ByteOrder(@TempDir Path dir) throws IOException {
        try (IndexWriter w = IndexWriter.create(dir.resolve("index"))) {
            w.addSymbol("a");
            assertThrows(IllegalArgumentException.class, () -> w.addSymbol("a"));
            assertThrows(IllegalArgumentException.class, () -> w.addSymbol(""));
            w.addSymbol("\uFFFD");
            // String.compareTo says U+1F600 < U+FFFD (surrogates are D800..DFFF); UTF-8 bytes say the opposite.
            w.addSymbol("😀");
            assertThrows(IllegalArgumentException.class, () -> w.addSymbol("\uE000"));
        }
    }

    @Test
    void seriesChecks(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(p)) {
            for (String s : new String[] {"", "a", "b", "c"}) w.addSymbol(s);
            List<ChunkMeta> none = List.of();
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[0], none));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"a"}, none));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"a", "zz"}, none));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"", "a"}, none));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"b", "a", "a", "a"}, none));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"a", "a", "a", "b"}, none));
            w.addSeries(new String[] {"a", "b"}, none);
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"a", "b"}, none));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"a", "a"}, none));
            w.addSeries(new String[] {"a", "b", "c", ""}, none); // prefix sorts first, so this is after {a=b}
            w.addSeries(new String[] {"a", "c"}, none);
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(new String[] {"a", "b", "c", "c"}, none));
            assertThrows(IllegalStateException.class, () -> w.addSymbol("d"));
            w.finish();
            assertThrows(IllegalStateException.class, w::finish);
            assertThrows(IllegalStateException.class, () -> w.addSeries(new String[] {"c", "c"}, none));
        }
        try (IndexReader r = IndexReader.open(p)) {
            assertEquals(List.of("a", "c"), r.labelNames());
            assertEquals(List.of("b", "c"), r.labelValues("a"));
            assertEquals(List.of(""), r.labelValues("c"));
            assertEquals(3, Postings.toArray(r.allPostings()).length);
        }
    }

    @Test
    void closeWithoutFinishDeletesTheIncompleteFile(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(p)) {
            w.addSymbol("a");
            assertTrue(Files.exists(p));
        }
        assertFalse(Files.exists(p));
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
