package io.tsdb4j.wal;

import io.airlift.compress.snappy.SnappyDecompressor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact bytes on disk, checked against the Prometheus 2.42 framing rules. */
class WalFramingTest {
    @TempDir
    Path dir;

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int be16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static long be32(byte[] b, int i) {
        return ((long) u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private byte[] segment(int i) throws IOException {
        return Files.readAllBytes(dir.resolve(WalFormat.segmentName(i)));
    }

    @Test
    void smallRecordIsOneFullFragmentAndCloseZeroFillsThePage() throws IOException {
        byte[] rec = "123456789".getBytes(StandardCharsets.US_ASCII);
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            assertEquals(0, wal.currentSegment());
            assertEquals(16, wal.log(rec, 0, rec.length));
            // Written out (not padded) after the log call, like Prometheus's per-Log page flush.
            assertArrayEquals(new byte[] {0x01, 0x00, 0x09, (byte) 0xE3, 0x06, (byte) 0x92, (byte) 0x83,
                '1', '2', '3', '4', '5', '6', '7', '8', '9'}, segment(0));
        }
        byte[] f = segment(0);
        assertEquals(PAGE_SIZE, f.length);
        assertTrue(allZero(f, 16, PAGE_SIZE));
    }

    @Test
    void zeroLengthRecordIsFullFragmentWithZeroLengthAndCrc() throws IOException {
        try (Wal wal = Wal.open(dir, WalOptions.defaults().withCompress(true))) {
            wal.log(new byte[0], 0, 0);
            assertArrayEquals(new byte[] {0x01, 0, 0, 0, 0, 0, 0}, segment(0));
        }
        WalTestSupport.ReadResult res = WalTestSupport.readAll(dir);
        assertNull(res.err());
        assertEquals(1, res.records().size());
        assertEquals(0, res.records().get(0).data().length);
    }

    @Test
    void recordCrossingAPageIsSplitIntoFirstAndLast() throws IOException {
        byte[] rec = WalTestSupport.randomBytes(new Random(1), 40_000);
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.log(rec, 0, rec.length);
        }
        byte[] f = segment(0);
        assertEquals(2 * PAGE_SIZE, f.length);
        int first = PAGE_SIZE - 7;
        assertEquals(WalFormat.TYPE_FIRST, u8(f, 0));
        assertEquals(first, be16(f, 1));
        assertEquals(crc(rec, 0, first), be32(f, 3));
        assertArrayEquals(Arrays.copyOfRange(rec, 0, first), Arrays.copyOfRange(f, 7, PAGE_SIZE));
        int last = rec.length - first;
        assertEquals(WalFormat.TYPE_LAST, u8(f, PAGE_SIZE));
        assertEquals(last, be16(f, PAGE_SIZE + 1));
        assertEquals(crc(rec, first, last), be32(f, PAGE_SIZE + 3));
        assertArrayEquals(Arrays.copyOfRange(rec, first, rec.length),
            Arrays.copyOfRange(f, PAGE_SIZE + 7, PAGE_SIZE + 7 + last));
        assertTrue(allZero(f, PAGE_SIZE + 7 + last, f.length));
    }

    @Test
    void recordSpanningThreePagesHasAMiddleFragment() throws IOException {
        byte[] rec = WalTestSupport.randomBytes(new Random(2), 70_000);
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.log(rec, 0, rec.length);
        }
        byte[] f = segment(0);
        int p = PAGE_SIZE - 7;
        assertEquals(WalFormat.TYPE_FIRST, u8(f, 0));
        assertEquals(WalFormat.TYPE_MIDDLE, u8(f, PAGE_SIZE));
        assertEquals(p, be16(f, PAGE_SIZE + 1));
        assertEquals(crc(rec, p, p), be32(f, PAGE_SIZE + 3));
        assertEquals(WalFormat.TYPE_LAST, u8(f, 2 * PAGE_SIZE));
        assertEquals(70_000 - 2 * p, be16(f, 2 * PAGE_SIZE + 1));
    }

    @Test
    void fewerThanSevenBytesLeftPadsToTheNextPage() throws IOException {
        // 7 + 32758 = 32765: three bytes left, too few for a header.
        byte[] a = new byte[32_758];
        Arrays.fill(a, (byte) 0x55);
        byte[] b = {42};
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            long pa = wal.log(a, 0, a.length);
            assertEquals(PAGE_SIZE, pa, "position includes the page padding");
            assertEquals(PAGE_SIZE, segment(0).length, "padded page written out at once");
            wal.log(b, 0, 1);
        }
        byte[] f = segment(0);
        assertEquals(WalFormat.TYPE_FULL, u8(f, 0));
        assertTrue(allZero(f, 32_765, PAGE_SIZE));
        assertEquals(WalFormat.TYPE_FULL, u8(f, PAGE_SIZE));
        assertEquals(1, be16(f, PAGE_SIZE + 1));
        assertEquals(42, u8(f, PAGE_SIZE + 7));
    }

    @Test
    void exactlySevenBytesLeftGetsAZeroLengthFirstFragment() throws IOException {
        // Prometheus does not pad when a header still fits: the next record starts with an empty FIRST.
        byte[] a = new byte[32_754]; // 7 + 32754 = 32761, seven bytes left
        byte[] b = WalTestSupport.randomBytes(new Random(3), 10);
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.log(a, 0, a.length);
            wal.log(b, 0, b.length);
        }
        byte[] f = segment(0);
        assertArrayEquals(new byte[] {WalFormat.TYPE_FIRST, 0, 0, 0, 0, 0, 0},
            Arrays.copyOfRange(f, 32_761, PAGE_SIZE));
        assertEquals(WalFormat.TYPE_LAST, u8(f, PAGE_SIZE));
        assertEquals(10, be16(f, PAGE_SIZE + 1));
        assertEquals(crc(b, 0, 10), be32(f, PAGE_SIZE + 3));
        WalTestSupport.ReadResult res = WalTestSupport.readAll(dir);
        assertNull(res.err());
        assertArrayEquals(b, res.records().get(1).data());
        assertEquals(32_761, res.records().get(1).offset());
    }

    @Test
    void compressedRecordSetsSnappyFlagOnlyWhenSmaller() throws IOException {
        byte[] compressible = new byte[1000];
        Arrays.fill(compressible, (byte) 'a');
        byte[] incompressible = WalTestSupport.randomBytes(new Random(4), 20);
        try (Wal wal = Wal.open(dir, WalOptions.defaults().withCompress(true))) {
            wal.log(compressible, 0, compressible.length);
            wal.log(incompressible, 0, incompressible.length);
        }
        byte[] f = segment(0);
        assertEquals(WalFormat.TYPE_FULL | WalFormat.SNAPPY_FLAG, u8(f, 0));
        int clen = be16(f, 1);
        assertTrue(clen < 1000);
        assertEquals(crc(f, 7, clen), be32(f, 3), "CRC covers the compressed bytes");
        byte[] out = new byte[1000];
        assertEquals(1000, new SnappyDecompressor().decompress(f, 7, clen, out, 0, out.length));
        assertArrayEquals(compressible, out, "payload is a snappy block");
        int second = 7 + clen;
        assertEquals(WalFormat.TYPE_FULL, u8(f, second), "random bytes stay uncompressed");
        assertArrayEquals(incompressible, Arrays.copyOfRange(f, second + 7, second + 27));

        WalTestSupport.ReadResult res = WalTestSupport.readAll(dir);
        assertNull(res.err());
        assertArrayEquals(compressible, res.records().get(0).data());
        assertArrayEquals(incompressible, res.records().get(1).data());
    }

    @Test
    void recordThatDoesNotFitTheSegmentStartsTheNextOnePaddedAndFsyncedInTheBackground() throws IOException {
        WalOptions opts = WalOptions.defaults().withSegmentSize(2 * PAGE_SIZE);
        byte[] a = new byte[40_000];
        byte[] b = new byte[30_000]; // needs 30007 bytes; 2*32761 - 40014... only 25508 left
        try (Wal wal = Wal.open(dir, opts)) {
            wal.log(a, 0, a.length);
            assertEquals(0, wal.currentSegment());
            wal.log(b, 0, b.length);
            assertEquals(1, wal.currentSegment());
            assertEquals(2 * PAGE_SIZE, Files.size(dir.resolve("00000000")), "closed segment zero-filled");
            // The finished segment is fsynced and closed in the background, as in Prometheus.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (wal.syncedPosition() < 2L * PAGE_SIZE && System.nanoTime() < deadline) Thread.onSpinWait();
            assertTrue(wal.syncedPosition() >= 2L * PAGE_SIZE, "finished segment was fsynced");
        }
        List<WalTestSupport.Read> recs = WalTestSupport.readAll(dir).records();
        assertEquals(0, recs.get(0).segment());
        assertEquals(1, recs.get(1).segment());
        assertEquals(0, recs.get(1).offset());
    }

    @Test
    void recordLargerThanASegmentGrowsTheFreshSegment() throws IOException {
        WalOptions opts = WalOptions.defaults().withSegmentSize(PAGE_SIZE);
        byte[] small = {1, 2, 3};
        byte[] big = WalTestSupport.randomBytes(new Random(5), 100_000);
        try (Wal wal = Wal.open(dir, opts)) {
            wal.log(small, 0, 3);
            wal.log(big, 0, big.length);
            wal.log(small, 0, 3);
        }
        List<Segments.SegmentRef> segs = Segments.list(dir);
        assertEquals(3, segs.size());
        assertEquals(PAGE_SIZE, segs.get(0).size());
        assertEquals(4L * PAGE_SIZE, segs.get(1).size(), "100000 bytes need four pages of 32761");
        WalTestSupport.ReadResult res = WalTestSupport.readAll(dir);
        assertNull(res.err());
        assertArrayEquals(big, res.records().get(1).data());
        assertEquals(2, res.records().get(2).segment());
    }

    @Test
    void openingAnExistingDirectoryStartsANewSegment() throws IOException {
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.log(new byte[] {1}, 0, 1);
        }
        Files.write(dir.resolve("00000000.repair"), new byte[] {9}); // not a segment name
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            assertEquals(1, wal.currentSegment());
            assertEquals(0, Files.size(dir.resolve("00000001")), "segments are not preallocated");
            assertEquals(1, wal.nextSegment());
            assertEquals(2, wal.currentSegment());
            wal.log(new byte[] {2}, 0, 1);
        }
        assertEquals(List.of(0, 1, 2), Segments.list(dir).stream().map(Segments.SegmentRef::index).toList());
        assertEquals(0, Files.size(dir.resolve("00000001")), "an empty page is never padded");
        WalTestSupport.ReadResult res = WalTestSupport.readAll(dir);
        assertNull(res.err());
        assertEquals(2, res.records().size());
    }

    @Test
    void appendBuffersUntilFlush() throws IOException {
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.append(new byte[] {7, 7}, 0, 2);
            assertEquals(0, segment(0).length, "partial page still in memory");
            wal.flush();
            assertEquals(9, segment(0).length);
            wal.flush();
            assertEquals(9, segment(0).length, "flush writes each byte once");
        }
    }

    @Test
    void optionsValidateTheSegmentSize() {
        assertThrows(IllegalArgumentException.class, () -> WalOptions.defaults().withSegmentSize(1000));
        assertThrows(IllegalArgumentException.class, () -> WalOptions.builder().segmentSize(0).build());
        WalOptions o = WalOptions.builder().segmentSize(3 * PAGE_SIZE).compress(true).build();
        assertEquals(3 * PAGE_SIZE, o.segmentSize());
        assertTrue(o.compress());
        assertEquals(128 * 1024 * 1024, WalOptions.defaults().segmentSize());
        assertFalse(WalOptions.defaults().compress());
    }

    @Test
    void closedWalRejectsWritesButCloseIsIdempotent() throws IOException {
        Wal wal = Wal.open(dir, WalOptions.defaults());
        long p = wal.log(new byte[] {1}, 0, 1);
        wal.close();
        wal.close();
        wal.syncUpTo(p); // already durable: fine
        assertThrows(IOException.class, () -> wal.log(new byte[] {1}, 0, 1));
    }
}
