package io.tsdb4j.block;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** Round trips and exact bytes of the small block codecs: ULID, meta.json, tombstones, chunk segment files. */
class CodecTest {

    // ---- ULID ----

    @Property(tries = 300)
    void ulidRoundTrips(@ForAll @LongRange(min = 0, max = Ulid.MAX_TIME) long ms) {
        Ulid u = Ulid.generate(ms);
        String s = u.toString();
        assertEquals(26, s.length());
        assertTrue(s.charAt(0) <= '7');
        assertEquals(u, Ulid.parse(s));
        assertEquals(u, Ulid.parse(s.toLowerCase()));
        assertEquals(ms, u.time());
    }

    @Property(tries = 300)
    void ulidOrderIsStringOrder(@ForAll long hi1, @ForAll long lo1, @ForAll long hi2, @ForAll long lo2) {
        Ulid a = Ulid.of(hi1, lo1), b = Ulid.of(hi2, lo2);
        assertEquals(Integer.signum(a.toString().compareTo(b.toString())), Integer.signum(a.compareTo(b)));
        assertEquals(a, Ulid.parse(a.toString()));
    }

    @Test
    void ulidKnownValueAndStrictParse() {
        Ulid u = Ulid.parse("01M805CPM5ZXEEVDMS8EH14RWB");
        assertEquals("01M805CPM5ZXEEVDMS8EH14RWB", u.toString());
        assertEquals(Ulid.of(0, 0), Ulid.parse("00000000000000000000000000"));
        assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", Ulid.of(-1, -1).toString());
        for (String bad : new String[]{"", "01M805CPM5ZXEEVDMS8EH14RW", "01M805CPM5ZXEEVDMS8EH14RWBB",
                "81M805CPM5ZXEEVDMS8EH14RWB", "01M805CPM5ZXEEVDMS8EH14RWI", "01M805CPM5ZXEEVDMS8EH14RWL",
                "01M805CPM5ZXEEVDMS8EH14RWO", "01M805CPM5ZXEEVDMS8EH14RWU", "01M805CPM5ZXEEVDMS8EH14RW-"}) {
            assertThrows(IllegalArgumentException.class, () -> Ulid.parse(bad), bad);
            assertFalse(Ulid.isValid(bad), bad);
        }
        assertTrue(Ulid.generate(1000).compareTo(Ulid.generate(1001)) < 0);
    }

    // ---- meta.json ----

    @Test
    void metaJsonMatchesPromtoolExample() {
        Ulid u = Ulid.parse("01M805CPM5ZXEEVDMS8EH14RWB");
        BlockMeta m = new BlockMeta(u, 1000000, 5485001, new BlockMeta.Stats(303, 2, 4, 0),
                BlockMeta.Compaction.level1(u), 1);
        String want = "{\n"
                + "\t\"ulid\": \"01M805CPM5ZXEEVDMS8EH14RWB\",\n"
                + "\t\"minTime\": 1000000,\n"
                + "\t\"maxTime\": 5485001,\n"
                + "\t\"stats\": {\n"
                + "\t\t\"numSamples\": 303,\n"
                + "\t\t\"numSeries\": 2,\n"
                + "\t\t\"numChunks\": 4\n"
                + "\t},\n"
                + "\t\"compaction\": {\n"
                + "\t\t\"level\": 1,\n"
                + "\t\t\"sources\": [\n"
                + "\t\t\t\"01M805CPM5ZXEEVDMS8EH14RWB\"\n"
                + "\t\t]\n"
                + "\t},\n"
                + "\t\"version\": 1\n"
                + "}";
        assertEquals(want, m.toJson());
        assertEquals(m, BlockMeta.parse(want.getBytes(), Path.of("meta.json")));
    }

    @Test
    void metaJsonAllFieldsAndEmptyStats() {
        Ulid a = Ulid.parse("01BX5ZZKBKACTAV9WEVGEMMVRZ"), b = Ulid.parse("01BX5ZZKBKACTAV9WEVGEMMVS0");
        BlockMeta m = new BlockMeta(b, -5, 10, BlockMeta.Stats.EMPTY,
                new BlockMeta.Compaction(2, List.of(a, b), true, List.of(new BlockMeta.Parent(a, -5, 3),
                        new BlockMeta.Parent(b, 3, 10)), true, List.of("from-out-of-order", "<&>\"")), 1);
        String want = "{\n"
                + "\t\"ulid\": \"01BX5ZZKBKACTAV9WEVGEMMVS0\",\n"
                + "\t\"minTime\": -5,\n"
                + "\t\"maxTime\": 10,\n"
                + "\t\"stats\": {},\n"
                + "\t\"compaction\": {\n"
                + "\t\t\"level\": 2,\n"
                + "\t\t\"sources\": [\n"
                + "\t\t\t\"01BX5ZZKBKACTAV9WEVGEMMVRZ\",\n"
                + "\t\t\t\"01BX5ZZKBKACTAV9WEVGEMMVS0\"\n"
                + "\t\t],\n"
                + "\t\t\"deletable\": true,\n"
                + "\t\t\"parents\": [\n"
                + "\t\t\t{\n"
                + "\t\t\t\t\"ulid\": \"01BX5ZZKBKACTAV9WEVGEMMVRZ\",\n"
                + "\t\t\t\t\"minTime\": -5,\n"
                + "\t\t\t\t\"maxTime\": 3\n"
                + "\t\t\t},\n"
                + "\t\t\t{\n"
                + "\t\t\t\t\"ulid\": \"01BX5ZZKBKACTAV9WEVGEMMVS0\",\n"
                + "\t\t\t\t\"minTime\": 3,\n"
                + "\t\t\t\t\"maxTime\": 10\n"
                + "\t\t\t}\n"
                + "\t\t],\n"
                + "\t\t\"failed\": true,\n"
                + "\t\t\"hints\": [\n"
                + "\t\t\t\"from-out-of-order\",\n"
                + "\t\t\t\"\\u003c\\u0026\\u003e\\\"\"\n"
                + "\t\t]\n"
                + "\t},\n"
                + "\t\"version\": 1\n"
                + "}";
        assertEquals(want, m.toJson());
        assertEquals(m, BlockMeta.parse(want.getBytes(), Path.of("meta.json")));
    }

    @Property(tries = 200)
    void metaRoundTrips(@ForAll long mint, @ForAll long maxt, @ForAll @LongRange(min = 0) long s1,
                        @ForAll @LongRange(min = 0) long s2, @ForAll @IntRange(min = 0, max = 3) int nParents,
                        @ForAll boolean del, @ForAll boolean failed, @ForAll @Size(max = 3) List<String> hints) {
        List<Ulid> srcs = new ArrayList<>();
        List<BlockMeta.Parent> ps = new ArrayList<>();
        for (int i = 0; i < nParents; i++) {
            Ulid u = Ulid.generate(i);
            srcs.add(u);
            ps.add(new BlockMeta.Parent(u, mint + i, maxt - i));
        }
        BlockMeta m = new BlockMeta(Ulid.generate(), mint, maxt, new BlockMeta.Stats(s1, s2, s1 % 7, s2 % 3),
                new BlockMeta.Compaction(nParents + 1, srcs, del, ps, failed, hints), 1);
        assertEquals(m, BlockMeta.parse(m.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8), Path.of("m")));
    }

    @Test
    void metaRejectsGarbageWithTypedError() {
        FileCorruptionException e = assertThrows(FileCorruptionException.class,
                () -> BlockMeta.parse("{\"ulid\": 5}".getBytes(), Path.of("x/meta.json")));
        assertTrue(e.getMessage().contains("x/meta.json"), e.getMessage());
        assertThrows(FileCorruptionException.class, () -> BlockMeta.parse("{\"ulid\": \"01M8".getBytes(), Path.of("m")));
    }

    // ---- tombstones ----

    @Test
    void emptyTombstonesFileBytes(@TempDir Path dir) throws IOException {
        new Tombstones().write(dir);
        assertEquals("0130ba300100000000", HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("tombstones"))));
        assertFalse(Files.exists(dir.resolve("tombstones.tmp")));
        assertTrue(Tombstones.read(dir).isEmpty());
    }

    @Test
    void tombstonesKnownEncoding() {
        Tombstones t = new Tombstones();
        t.add(3, 1, 2);
        // magic, version, uvarint 3, varint 1 (=2), varint 2 (=4), CRC32C of 03 02 04
        byte[] b = t.encode();
        assertEquals("0130ba3001030204", HexFormat.of().formatHex(b, 0, 8));
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(new byte[]{3, 2, 4});
        assertEquals((int) c.getValue(), java.nio.ByteBuffer.wrap(b, 8, 4).getInt());
    }

    @Property(tries = 300)
    void tombstonesMergeAndRoundTripAgainstPointModel(@ForAll("intervals") List<long[]> adds) {
        Tombstones t = new Tombstones();
        TreeMap<Long, TreeSet<Long>> model = new TreeMap<>();
        for (long[] a : adds) {
            t.add(a[0], a[1], a[2]);
            for (long x = a[1]; x <= a[2]; x++) model.computeIfAbsent(a[0], k -> new TreeSet<>()).add(x);
        }
        for (var e : model.entrySet()) {
            // Expected intervals: maximal runs of consecutive points.
            List<Tombstones.Interval> want = new ArrayList<>();
            long start = Long.MIN_VALUE, prev = Long.MIN_VALUE;
            for (long x : e.getValue()) {
                if (start == Long.MIN_VALUE) start = prev = x;
                else if (x == prev + 1) prev = x;
                else {
                    want.add(new Tombstones.Interval(start, prev));
                    start = prev = x;
                }
            }
            want.add(new Tombstones.Interval(start, prev));
            assertEquals(want, t.intervals(e.getKey()));
            for (long x = -25; x < 25; x++) assertEquals(e.getValue().contains(x), t.isDeleted(e.getKey(), x));
        }
        assertEquals(model.keySet().stream().toList(), t.seriesRefs());
        Tombstones back = Tombstones.decode(t.encode(), Path.of("tombstones"));
        assertEquals(t, back);
    }

    @Provide
    Arbitrary<List<long[]>> intervals() {
        Arbitrary<long[]> one = Arbitraries.longs().between(0, 4).flatMap(ref -> Arbitraries.longs().between(-20, 20)
                .flatMap(a -> Arbitraries.longs().between(0, 6).map(len -> new long[]{ref, a, a + len})));
        return one.list().ofMaxSize(12);
    }

    @Test
    void tombstonesExtremeIntervalsAndCorruption() {
        Tombstones t = new Tombstones();
        t.add(1, Long.MIN_VALUE, 5);
        t.add(1, 6, Long.MAX_VALUE);
        assertEquals(List.of(new Tombstones.Interval(Long.MIN_VALUE, Long.MAX_VALUE)), t.intervals(1));
        byte[] b = t.encode();
        assertEquals(t, Tombstones.decode(b, Path.of("t")));
        b[6] ^= 0x10;
        FileCorruptionException e = assertThrows(FileCorruptionException.class, () -> Tombstones.decode(b, Path.of("t")));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    // ---- chunk segment files ----

    @Property(tries = 40)
    void chunkFilesRoundTripAcrossSegments(@ForAll("chunkBlobs") List<byte[]> blobs, @ForAll @IntRange(min = 40, max = 400) int segSize)
            throws IOException {
        Path dir = Files.createTempDirectory("chunks");
        try {
            List<Long> refs = new ArrayList<>();
            try (ChunkWriter w = ChunkWriter.create(dir, segSize)) {
                for (byte[] b : blobs) refs.add(w.write(b));
                w.finish();
            }
            try (ChunkReader r = ChunkReader.open(dir)) {
                for (int i = 0; i < blobs.size(); i++) {
                    ChunkReader.Chunk c = r.read(refs.get(i));
                    assertEquals(1, c.encoding());
                    assertArrayEquals(blobs.get(i), c.data());
                }
                if (!blobs.isEmpty()) {
                    assertEquals(8, refs.get(0)); // first chunk of 000001 has ref 0x8
                    long files = refs.stream().mapToLong(x -> x >>> 32).distinct().count();
                    assertEquals(r.files(), files);
                }
                long total = 0;
                try (var s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        assertTrue(p.getFileName().toString().matches("\\d{6}"));
                        long sz = Files.size(p);
                        total += sz;
                    }
                }
                assertEquals(r.size(), total);
            }
            // The cut rule: a file only exceeds the limit when it holds a single chunk.
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    if (Files.size(p) > segSize) {
                        try (ChunkReader r = ChunkReader.open(dir)) {
                            int idx = Integer.parseInt(p.getFileName().toString()) - 1;
                            assertEquals(1, refs.stream().filter(x -> (x >>> 32) == idx).count());
                        }
                    }
                }
            }
        } finally {
            FileUtil.deleteRecursively(dir);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> chunkBlobs() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(2).ofMaxSize(300).list().ofMaxSize(20);
    }

    @Test
    void chunkFileLayoutAndCorruption(@TempDir Path dir) throws IOException {
        long ref;
        try (ChunkWriter w = ChunkWriter.create(dir)) {
            ref = w.write(new byte[]{0, 1, 2, 3});
            w.finish();
        }
        byte[] f = Files.readAllBytes(dir.resolve("000001"));
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(new byte[]{1, 0, 1, 2, 3});
        String crc = String.format("%08x", (int) c.getValue());
        assertEquals("85bd40dd01000000" + "04" + "01" + "00010203" + crc, HexFormat.of().formatHex(f));
        assertEquals(8, ref);
        f[12] ^= 1;
        Files.write(dir.resolve("000001"), f);
        try (ChunkReader r = ChunkReader.open(dir)) {
            FileCorruptionException e = assertThrows(FileCorruptionException.class, () -> r.read(8));
            assertTrue(e.getMessage().contains("000001") && e.offset() == 8, e.getMessage());
            assertThrows(FileCorruptionException.class, () -> r.read(1L << 32 | 8));
            assertThrows(FileCorruptionException.class, () -> r.read(1000));
        }
        f[0] = 0;
        Files.write(dir.resolve("000001"), f);
        assertThrows(FileCorruptionException.class, () -> ChunkReader.open(dir));
    }
}
