package io.tsdb4j.wal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;
import static io.tsdb4j.wal.WalTestSupport.Placement;
import static io.tsdb4j.wal.WalTestSupport.ReadResult;
import static io.tsdb4j.wal.WalTestSupport.assertRecordsEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage at many offsets of a three-segment WAL: the reader must return exactly the records wholly before the
 * damage, report it in the right segment, and repair must leave a WAL that reads cleanly with those records
 * and accepts appends. Expected placements come from the independent layout model, not from the reader.
 */
class WalCorruptionTest {
    private static final int SEGMENT = 4 * PAGE_SIZE;

    @TempDir
    Path tmp;
    private Path original;
    private final List<byte[]> recs = new ArrayList<>();
    private WalTestSupport.Layout layout;
    private int caseNo;

    @BeforeEach
    void writeWal() throws IOException {
        Random rnd = new Random(42);
        // Sizes chosen to hit single-fragment, page-crossing, multi-page records and page-end padding;
        // no zero-length records (their 7 zero-ish header bytes can turn into valid padding).
        int[] sizes = {10, 300, 32_000, 5, 40_000, 1, 1_000, 32_754, 12, 70_000, 500, 20_000, 33, 45_000, 7, 100,
            31_000, 2_000, 64, 9_000, 77_000, 3};
        List<Integer> lengths = new ArrayList<>();
        for (int s : sizes) {
            recs.add(WalTestSupport.randomBytes(rnd, s));
            lengths.add(s);
        }
        layout = new WalTestSupport.Layout(lengths, SEGMENT);
        original = tmp.resolve("orig");
        try (Wal wal = Wal.open(original, WalOptions.defaults().withSegmentSize(SEGMENT))) {
            wal.log(recs);
        }
        assertTrue(Segments.list(original).size() >= 3, "test needs several segments");
        ReadResult clean = WalTestSupport.readAll(original);
        assertNull(clean.err());
        assertRecordsEqual(recs, clean.data());
    }

    private Path copy() throws IOException {
        Path d = tmp.resolve("case" + (caseNo++));
        Files.createDirectories(d);
        for (Segments.SegmentRef s : Segments.list(original)) {
            Files.copy(s.path(), d.resolve(s.path().getFileName()));
        }
        return d;
    }

    /** Offsets worth damaging in segment {@code seg}: around every record and page boundary, plus random ones. */
    private TreeSet<Long> interestingOffsets(int seg, long size, Random rnd) {
        TreeSet<Long> offs = new TreeSet<>();
        List<Long> anchors = new ArrayList<>();
        for (Placement p : layout.placements) {
            if (p.segment() == seg) {
                anchors.add(p.start());
                anchors.add(p.end());
            }
        }
        for (long pg = 0; pg <= size; pg += PAGE_SIZE) {
            anchors.add(pg);
        }
        for (long a : anchors) {
            for (long d : new long[] {-1, 0, 1, 6, 7}) {
                if (a + d >= 0 && a + d < size) {
                    offs.add(a + d);
                }
            }
        }
        for (int i = 0; i < 20; i++) {
            offs.add((long) rnd.nextInt((int) size));
        }
        return offs;
    }

    private List<byte[]> expectedBefore(int seg, long offset) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < recs.size(); i++) {
            Placement p = layout.placements.get(i);
            if (p.segment() < seg || (p.segment() == seg && p.end() <= offset)) {
                out.add(recs.get(i));
            }
        }
        return out;
    }

    @Test
    void flippedByteAnywhereIsDetectedAndRepaired() throws IOException {
        Random rnd = new Random(7);
        List<Segments.SegmentRef> segs = Segments.list(original);
        for (Segments.SegmentRef seg : segs) {
            for (long off : interestingOffsets(seg.index(), seg.size(), rnd)) {
                Path d = copy();
                Path file = d.resolve(seg.path().getFileName());
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.seek(off);
                    int b = f.read();
                    int mask = 1 << rnd.nextInt(8);
                    if (b == 0 && mask == 1) {
                        // 0x00 -> 0x01 in padding followed by zeros is a valid empty record (FULL, length 0,
                        // CRC 0): undetectable by the format, in Prometheus too.
                        mask = 0x10;
                    }
                    f.seek(off);
                    f.write(b ^ mask);
                }
                String what = "flip at segment " + seg.index() + " offset " + off;
                ReadResult res = WalTestSupport.readAll(d);
                List<byte[]> want = expectedBefore(seg.index(), off);
                assertRecordsEqual(want, res.data());
                assertNotNull(res.err(), what);
                assertEquals(seg.index(), res.err().segment(), what);
                assertEquals(d, res.err().dir());
                assertTrue(res.err().offset() <= off, what + ": " + res.err().getMessage());
                assertTrue(res.err().getMessage().contains("segment " + WalFormat.segmentName(seg.index())));
                repairAndAppend(d, res.err(), seg, want, off);
                WalTestSupport.deleteTree(d);
            }
        }
    }

    @Test
    void truncatedSegmentReadsUpToTheCutAndIsRepaired() throws IOException {
        Random rnd = new Random(8);
        for (Segments.SegmentRef seg : Segments.list(original)) {
            for (long off : interestingOffsets(seg.index(), seg.size(), rnd)) {
                Path d = copy();
                try (RandomAccessFile f = new RandomAccessFile(d.resolve(seg.path().getFileName()).toFile(), "rw")) {
                    f.setLength(off);
                }
                String what = "truncation of segment " + seg.index() + " at " + off;
                boolean cutsRecord = false;
                List<byte[]> want = new ArrayList<>();
                for (int i = 0; i < recs.size(); i++) {
                    Placement p = layout.placements.get(i);
                    if (p.segment() == seg.index() && p.start() < off && off < p.end()) {
                        cutsRecord = true;
                    }
                    if (p.segment() != seg.index() || p.end() <= off) {
                        want.add(recs.get(i));
                    }
                }
                ReadResult res = WalTestSupport.readAll(d);
                if (cutsRecord) {
                    // Torn record: stop at it, later segments are not read.
                    List<byte[]> before = expectedBefore(seg.index(), off);
                    assertRecordsEqual(before, res.data());
                    assertNotNull(res.err(), what);
                    assertEquals(seg.index(), res.err().segment(), what);
                    assertTrue(res.err().getMessage().contains("torn"), res.err().getMessage());
                    repairAndAppend(d, res.err(), seg, before, off);
                } else {
                    // A segment ending between records, even mid-page, is fine.
                    assertNull(res.err(), what);
                    assertRecordsEqual(want, res.data());
                }
                WalTestSupport.deleteTree(d);
            }
        }
    }

    private void repairAndAppend(Path d, WalCorruptionException err, Segments.SegmentRef seg, List<byte[]> want,
                                 long damage) throws IOException {
        List<Segments.SegmentRef> before = Segments.list(d);
        WalRepair.RepairResult rr = WalRepair.repair(d, err);

        int keptInSeg = 0;
        long cut = 0;
        for (int i = 0; i < recs.size(); i++) {
            Placement p = layout.placements.get(i);
            if (p.segment() == seg.index() && p.end() <= damage) {
                keptInSeg++;
                cut = p.end();
            }
        }
        long dropped = 0;
        int deleted = 0;
        for (Segments.SegmentRef s : before) {
            if (s.index() > seg.index()) {
                dropped += s.size();
                deleted++;
            } else if (s.index() == seg.index()) {
                dropped += s.size() - cut;
            }
        }
        assertEquals(new WalRepair.RepairResult(keptInSeg, dropped, deleted), rr);

        List<Segments.SegmentRef> after = Segments.list(d);
        assertEquals(seg.index(), after.get(after.size() - 1).index(), "later segments deleted");
        assertEquals(0, after.get(after.size() - 1).size() % PAGE_SIZE, "repaired segment is whole pages");
        ReadResult res = WalTestSupport.readAll(d);
        assertNull(res.err(), () -> "after repair: " + res.err());
        assertRecordsEqual(want, res.data());

        byte[] extra = {1, 2, 3, 4};
        try (Wal wal = Wal.open(d, WalOptions.defaults().withSegmentSize(SEGMENT))) {
            assertEquals(seg.index() + 1, wal.currentSegment());
            wal.log(extra, 0, extra.length);
        }
        ReadResult again = WalTestSupport.readAll(d);
        assertNull(again.err());
        List<byte[]> wantAll = new ArrayList<>(want);
        wantAll.add(extra);
        assertRecordsEqual(wantAll, again.data());
    }

    @Test
    void repairOfAlreadyRepairedOrMissingSegmentIsHarmless() throws IOException {
        Path d = copy();
        WalCorruptionException fake = new WalCorruptionException(d, 99, 0, "stale report");
        WalRepair.RepairResult rr = WalRepair.repair(d, fake);
        assertEquals(new WalRepair.RepairResult(0, 0, 0), rr);
        ReadResult res = WalTestSupport.readAll(d);
        assertNull(res.err());
        assertRecordsEqual(recs, res.data());
    }

    @Test
    void garbageSegmentRepairsToEmpty() throws IOException {
        Path d = copy();
        byte[] junk = WalTestSupport.randomBytes(new Random(9), 5000);
        junk[0] = (byte) 0x05; // invalid fragment type
        Files.write(d.resolve("00000000"), junk);
        ReadResult res = WalTestSupport.readAll(d);
        assertEquals(0, res.records().size());
        assertEquals(0, res.err().segment());
        assertEquals(0, res.err().offset());
        assertTrue(res.err().reason().contains("invalid fragment type 5"), res.err().reason());
        WalRepair.RepairResult rr = WalRepair.repair(d, res.err());
        assertEquals(0, rr.recordsKept());
        assertEquals(Segments.list(original).size() - 1, rr.segmentsDeleted());
        assertEquals(0, Files.size(d.resolve("00000000")));
        assertNull(WalTestSupport.readAll(d).err());
        assertArrayEquals(new byte[0], Files.readAllBytes(d.resolve("00000000")));
    }
}
