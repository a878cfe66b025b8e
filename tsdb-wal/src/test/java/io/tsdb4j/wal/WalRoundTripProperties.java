package io.tsdb4j.wal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;
import static io.tsdb4j.wal.WalTestSupport.Layout;
import static io.tsdb4j.wal.WalTestSupport.ReadResult;
import static io.tsdb4j.wal.WalTestSupport.assertRecordsEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalRoundTripProperties {
    private static final int SEGMENT = 64 * 1024;

    /** Record sizes: mostly small, some over one page, some over several pages (up to 100k). */
    @Provide
    Arbitrary<List<byte[]>> records() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, 200)),
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(200, 33_000)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(33_000, 100_000)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 32_754, 32_755, 32_758, 32_761, 32_762,
                65_522, 65_529, 65_536)));
        Arbitrary<byte[]> record = Combinators.combine(size, Arbitraries.longs(), Arbitraries.of(true, false))
            .as((n, seed, compressible) -> {
                Random rnd = new Random(seed);
                return compressible ? WalTestSupport.compressibleBytes(rnd, n) : WalTestSupport.randomBytes(rnd, n);
            });
        return record.list().ofMaxSize(25);
    }

    @Property(tries = 120)
    void writtenRecordsReadBackEqual(@ForAll("records") List<byte[]> recs, @ForAll boolean compress)
        throws IOException {
        Path dir = WalTestSupport.tempDir();
        try {
            WalOptions opts = WalOptions.defaults().withSegmentSize(SEGMENT).withCompress(compress);
            long last = 0;
            try (Wal wal = Wal.open(dir, opts)) {
                for (byte[] r : recs) {
                    long p = wal.log(r, 0, r.length);
                    assertTrue(p >= last + 7, "each record advances the position by at least a header");
                    last = p;
                }
            }
            ReadResult res = WalTestSupport.readAll(dir);
            assertNull(res.err());
            assertRecordsEqual(recs, res.data());
            for (Segments.SegmentRef s : Segments.list(dir)) {
                assertEquals(0, s.size() % PAGE_SIZE, "closed segment " + s.index() + " is whole pages");
            }
            if (!compress) {
                assertMatchesModel(dir, recs, res);
            } else {
                // Offsets still advance and records stay inside their segment.
                for (int i = 1; i < res.records().size(); i++) {
                    var a = res.records().get(i - 1);
                    var b = res.records().get(i);
                    assertTrue(b.segment() > a.segment() || (b.segment() == a.segment() && b.offset() >= a.end()));
                }
            }
        } finally {
            WalTestSupport.deleteTree(dir);
        }
    }

    private static void assertMatchesModel(Path dir, List<byte[]> recs, ReadResult res) throws IOException {
        List<Integer> lengths = new ArrayList<>();
        for (byte[] r : recs) {
            lengths.add(r.length);
        }
        Layout model = new Layout(lengths, SEGMENT);
        for (int i = 0; i < recs.size(); i++) {
            var want = model.placements.get(i);
            var got = res.records().get(i);
            assertEquals(want.segment(), got.segment(), "segment of record " + i);
            assertEquals(want.start(), got.offset(), "start of record " + i);
            assertEquals(want.end(), got.end(), "end of record " + i);
        }
        List<Segments.SegmentRef> segs = Segments.list(dir);
        assertEquals(model.segmentSizes.size(), segs.size(), "segment count");
        for (int i = 0; i < segs.size(); i++) {
            assertEquals(i, segs.get(i).index());
            assertEquals(model.segmentSizes.get(i), segs.get(i).size(), "size of segment " + i);
        }
    }

    /** Batched logging and per-record logging differ only in write timing, never in file bytes. */
    @Property(tries = 40)
    void batchAndSingleLoggingProduceIdenticalFiles(@ForAll("records") List<byte[]> recs, @ForAll boolean compress)
        throws IOException {
        Path a = WalTestSupport.tempDir();
        Path b = WalTestSupport.tempDir();
        try {
            WalOptions opts = WalOptions.defaults().withSegmentSize(SEGMENT).withCompress(compress);
            try (Wal wal = Wal.open(a, opts)) {
                for (byte[] r : recs) {
                    wal.log(r, 0, r.length);
                }
            }
            try (Wal wal = Wal.open(b, opts)) {
                wal.log(recs);
            }
            List<Segments.SegmentRef> sa = Segments.list(a);
            List<Segments.SegmentRef> sb = Segments.list(b);
            assertEquals(sa.size(), sb.size());
            for (int i = 0; i < sa.size(); i++) {
                assertArrayEquals(Files.readAllBytes(sa.get(i).path()), Files.readAllBytes(sb.get(i).path()));
            }
        } finally {
            WalTestSupport.deleteTree(a);
            WalTestSupport.deleteTree(b);
        }
    }

    /** Reopening a directory appends in new segments; everything reads back in order. */
    @Property(tries = 40)
    void reopenAppendsAfterExistingSegments(@ForAll("records") List<byte[]> first,
                                            @ForAll("records") List<byte[]> second,
                                            @ForAll @IntRange(min = 1, max = 3) int pages) throws IOException {
        Path dir = WalTestSupport.tempDir();
        try {
            WalOptions opts = WalOptions.defaults().withSegmentSize(pages * PAGE_SIZE).withCompress(true);
            int lastBefore;
            try (Wal wal = Wal.open(dir, opts)) {
                wal.log(first);
                lastBefore = wal.currentSegment();
            }
            try (Wal wal = Wal.open(dir, opts)) {
                assertEquals(lastBefore + 1, wal.currentSegment());
                wal.log(second);
            }
            List<byte[]> all = new ArrayList<>(first);
            all.addAll(second);
            ReadResult res = WalTestSupport.readAll(dir);
            assertNull(res.err());
            assertRecordsEqual(all, res.data());
        } finally {
            WalTestSupport.deleteTree(dir);
        }
    }
}
