package io.tsdb4j.wal;

import io.airlift.compress.snappy.SnappyCompressor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reader behaviour on hand-built segments: what is accepted and what each kind of damage reports. */
class WalReaderTest {
    @TempDir
    Path dir;

    /** Builds raw segment bytes fragment by fragment. */
    private static final class Seg {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Seg frag(int header, byte[] payload) {
            return frag(header, payload, payload.length, crc(payload));
        }

        Seg frag(int header, byte[] payload, int len, int crc) {
            out.write(header);
            out.write(len >>> 8);
            out.write(len);
            out.write(crc >>> 24);
            out.write(crc >>> 16);
            out.write(crc >>> 8);
            out.write(crc);
            out.writeBytes(payload);
            return this;
        }

        Seg raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Seg padToPage() {
            while (out.size() % PAGE_SIZE != 0) {
                out.write(0);
            }
            return this;
        }

        void writeTo(Path file) throws IOException {
            Files.write(file, out.toByteArray());
        }
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private WalTestSupport.ReadResult read() throws IOException {
        return WalTestSupport.readAll(dir);
    }

    private WalCorruptionException corruption(Seg s, int wantRecords) throws IOException {
        s.writeTo(dir.resolve("00000000"));
        WalTestSupport.ReadResult res = read();
        assertEquals(wantRecords, res.records().size());
        assertNotNull(res.err(), "corruption expected");
        assertEquals(0, res.err().segment());
        assertTrue(res.err().getMessage().contains(dir.toString()), res.err().getMessage());
        return res.err();
    }

    @Test
    void activeSegmentEndingMidPageIsFine() throws IOException {
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.log(bytes("a"), 0, 1);
            wal.log(new byte[40_000], 0, 40_000);
            wal.log(bytes("bc"), 0, 2);
            long size = Files.size(dir.resolve("00000000"));
            assertTrue(size % PAGE_SIZE != 0, "segment really ends mid-page");
            WalTestSupport.ReadResult res = read();
            assertNull(res.err());
            assertEquals(3, res.records().size());
            assertArrayEquals(bytes("bc"), res.records().get(2).data());
        }
    }

    @Test
    void fragmentsAreReassembledAndPaddingSkipped() throws IOException {
        byte[] a = bytes("first-part-");
        byte[] b = bytes("middle-");
        byte[] c = bytes("end");
        new Seg().frag(WalFormat.TYPE_FIRST, a).frag(WalFormat.TYPE_MIDDLE, b).frag(WalFormat.TYPE_LAST, c)
            .raw(0, 0, 0).padToPage().frag(WalFormat.TYPE_FULL, bytes("x")).writeTo(dir.resolve("00000000"));
        WalTestSupport.ReadResult res = read();
        assertNull(res.err());
        assertEquals(2, res.records().size());
        assertArrayEquals(bytes("first-part-middle-end"), res.records().get(0).data());
        assertEquals(PAGE_SIZE, res.records().get(1).offset());
    }

    @Test
    void compressedRecordSplitAcrossFragmentsIsDecompressed() throws IOException {
        byte[] rec = new byte[5000];
        Arrays.fill(rec, (byte) 'z');
        SnappyCompressor c = new SnappyCompressor();
        byte[] comp = new byte[c.maxCompressedLength(rec.length)];
        int n = c.compress(rec, 0, rec.length, comp, 0, comp.length);
        int half = n / 2;
        new Seg().frag(WalFormat.TYPE_FIRST | WalFormat.SNAPPY_FLAG, Arrays.copyOfRange(comp, 0, half))
            .frag(WalFormat.TYPE_LAST | WalFormat.SNAPPY_FLAG, Arrays.copyOfRange(comp, half, n))
            .writeTo(dir.resolve("00000000"));
        WalTestSupport.ReadResult res = read();
        assertNull(res.err());
        assertArrayEquals(rec, res.records().get(0).data());
    }

    @Test
    void crcMismatch() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(1, bytes("ok"))
            .frag(1, bytes("bad"), 3, 12345), 1);
        assertEquals(9, e.offset());
        assertTrue(e.reason().contains("CRC32C mismatch"), e.reason());
    }

    @Test
    void invalidType() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(6, bytes("x")), 0);
        assertTrue(e.reason().contains("invalid fragment type 6"), e.reason());
    }

    @Test
    void unknownFlagBits() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(0x11, bytes("x")), 0);
        assertTrue(e.reason().contains("unknown flag bits"), e.reason());
    }

    @Test
    void paddingByteWithSnappyFlag() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(1, bytes("a")).raw(0x08, 0, 0, 0, 0, 0, 0), 1);
        assertTrue(e.reason().contains("padding byte 0x08 at offset 8 has flag bits set"), e.reason());
    }

    @Test
    void middleWithoutFirst() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(1, bytes("a")).frag(WalFormat.TYPE_MIDDLE, bytes("b")), 1);
        assertEquals(8, e.offset());
        assertTrue(e.reason().contains("MIDDLE fragment at offset 8 without a preceding FIRST"), e.reason());
    }

    @Test
    void fullInsideARecord() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(WalFormat.TYPE_FIRST, bytes("a"))
            .frag(WalFormat.TYPE_FULL, bytes("b")), 0);
        assertEquals(0, e.offset(), "the cut point is the start of the unfinished record");
        assertTrue(e.reason().contains("unexpected FULL fragment"), e.reason());
    }

    @Test
    void tornLastRecord() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(1, bytes("a")).frag(WalFormat.TYPE_FIRST, bytes("b"))
            .frag(WalFormat.TYPE_MIDDLE, bytes("c")), 1);
        assertEquals(8, e.offset());
        assertTrue(e.reason().contains("last record is torn"), e.reason());
    }

    @Test
    void nonZeroPadding() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(1, bytes("a")).raw(0, 0, 7), 1);
        assertEquals(8, e.offset());
        assertTrue(e.reason().contains("non-zero byte 0x07 at offset 10 in page padding"), e.reason());
    }

    @Test
    void lengthBeyondThePage() throws IOException {
        WalCorruptionException e = corruption(new Seg().raw(1, 0xff, 0xff, 0, 0, 0, 0), 0);
        assertTrue(e.reason().contains("fragment length 65535"), e.reason());
    }

    @Test
    void headerInTheLastSixBytesOfAPage() throws IOException {
        Seg s = new Seg().frag(1, new byte[PAGE_SIZE - 7 - 3]); // leaves 3 bytes
        s.raw(1, 0, 0);
        WalCorruptionException e = corruption(s, 1);
        assertTrue(e.reason().contains("crosses the page boundary"), e.reason());
    }

    @Test
    void badSnappyData() throws IOException {
        byte[] junk = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1, 2, 3};
        WalCorruptionException e = corruption(new Seg().frag(1 | WalFormat.SNAPPY_FLAG, junk), 0);
        assertTrue(e.reason().contains("snappy"), e.reason());
        WalCorruptionException e2 = corruption(new Seg().frag(1 | WalFormat.SNAPPY_FLAG, new byte[] {10, 0x7f, 1}), 0);
        assertTrue(e2.reason().contains("snappy"), e2.reason());
    }

    @Test
    void mixedSnappyFlagsInOneRecord() throws IOException {
        WalCorruptionException e = corruption(new Seg().frag(WalFormat.TYPE_FIRST | WalFormat.SNAPPY_FLAG, bytes("a"))
            .frag(WalFormat.TYPE_LAST, bytes("b")), 0);
        assertTrue(e.reason().contains("snappy flag"), e.reason());
    }

    @Test
    void gapBetweenSegmentsIsAnErrorNamingTheMissingIndex() throws IOException {
        new Seg().frag(1, bytes("a")).padToPage().writeTo(dir.resolve("00000003"));
        new Seg().frag(1, bytes("b")).padToPage().writeTo(dir.resolve("00000005"));
        IOException e = assertThrows(IOException.class, () -> WalReader.open(dir));
        assertTrue(e.getMessage().contains("00000004"), e.getMessage());
        // Ranges that avoid the gap are fine.
        WalTestSupport.ReadResult only5 = WalTestSupport.readAll(WalReader.open(dir, 4, Integer.MAX_VALUE));
        assertEquals(1, only5.records().size());
        assertEquals(5, only5.records().get(0).segment());
        WalTestSupport.ReadResult only3 = WalTestSupport.readAll(WalReader.open(dir, -1, 3));
        assertArrayEquals(bytes("a"), only3.records().get(0).data());
    }

    @Test
    void otherFileNamesAreIgnored() throws IOException {
        new Seg().frag(1, bytes("a")).writeTo(dir.resolve("00000000"));
        Files.write(dir.resolve("00000001.tmp"), new byte[] {5});
        Files.write(dir.resolve("123"), new byte[] {5});
        Files.createDirectories(dir.resolve("checkpoint.00000000"));
        assertEquals(List.of(0), Segments.list(dir).stream().map(Segments.SegmentRef::index).toList());
        assertNull(read().err());
    }

    @Test
    void emptyOrMissingDirectoryHasNoRecords() throws IOException {
        assertNull(read().err());
        assertEquals(0, read().records().size());
        try (WalReader r = WalReader.open(dir.resolve("nope"))) {
            assertFalse(r.next());
            assertNull(r.err());
        }
        Files.write(dir.resolve("00000000"), new byte[0]);
        assertEquals(0, read().records().size());
    }
}
