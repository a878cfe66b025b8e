package io.tsdb4j.remote;

import io.airlift.compress.snappy.SnappyDecompressor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class SnappyTest {
    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        // Repetitive data makes the compressor emit copies (including overlapping ones), not just literals.
        Arbitrary<byte[]> repetitive = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20)
                .flatMap(unit -> Arbitraries.integers().between(1, 5000).map(n -> {
                    byte[] out = new byte[n];
                    for (int i = 0; i < n; i++) out[i] = unit[i % unit.length];
                    return out;
                }));
        return Arbitraries.oneOf(random, repetitive);
    }

    @Property
    void roundTrips(@ForAll("payloads") byte[] data) throws Exception {
        byte[] compressed = Snappy.compress(data);
        assertArrayEquals(data, Snappy.decompress(compressed));
        assertEquals(data.length, Snappy.decodedLength(compressed, 0, compressed.length));
        // Cross-check the compressor's output against an independent decoder.
        byte[] viaAircompressor = new byte[data.length];
        int n = new SnappyDecompressor().decompress(compressed, 0, compressed.length, viaAircompressor, 0, data.length);
        assertEquals(data.length, n);
        assertArrayEquals(data, viaAircompressor);
    }

    @Property(tries = 200)
    void everyTruncationIsCorrupt(@ForAll("payloads") byte[] data) {
        byte[] compressed = Snappy.compress(data);
        // Every element produces at least one byte, so no strict prefix can decode to the declared length.
        for (int len = 0; len < compressed.length; len++) {
            int l = len;
            RemoteProtocolException e = assertThrows(RemoteProtocolException.class,
                    () -> Snappy.decompress(compressed, 0, l, 1 << 20), "prefix of " + len + " bytes");
            assertTrue(e.getMessage().startsWith("snappy: corrupt input"), e.getMessage());
        }
    }

    @Property
    void randomBytesFailOnlyWithProtocolException(@ForAll @Size(max = 200) byte[] garbage) {
        try {
            byte[] out = Snappy.decompress(garbage, 0, garbage.length, 1 << 16);
            assertTrue(out.length <= 1 << 16);
        } catch (RemoteProtocolException expected) {
            assertTrue(expected.getMessage().startsWith("snappy: "), expected.getMessage());
        }
    }

    @Property
    void bitFlipsFailOnlyWithProtocolException(@ForAll("payloads") byte[] data, @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                                                @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] compressed = Snappy.compress(data);
        if (compressed.length == 0) return;
        compressed[where % compressed.length] ^= (byte) (1 << bit);
        try {
            Snappy.decompress(compressed, 0, compressed.length, 1 << 20);
        } catch (RemoteProtocolException expected) {
            assertTrue(expected.getMessage().startsWith("snappy: "), expected.getMessage());
        }
    }

    @Test
    void decodesEveryElementKindIncludingOverlappingCopies() throws Exception {
        byte[] xs = new byte[61];
        Arrays.fill(xs, (byte) 'x');
        byte[] block = new RawProto()
                .varint(79 + 300 + 5)
                .raw((byte) 0x0C, (byte) 'a', (byte) 'b', (byte) 'c', (byte) 'd') // literal, length in tag
                .raw((byte) 0x05, (byte) 0x04)                                  // copy-1: length 5, offset 4 (overlaps)
                .raw((byte) 0x16, (byte) 0x02, (byte) 0x00)                     // copy-2: length 6, offset 2 (overlaps)
                .raw((byte) 0x0B, (byte) 0x0F, (byte) 0, (byte) 0, (byte) 0)    // copy-4: length 3, offset 15
                .raw((byte) 0xF0, (byte) 60).raw(xs)                            // literal, 1 extra length byte
                .raw((byte) 0xF4, (byte) 0x2B, (byte) 0x01).raw(new byte[300])  // literal, 2 extra length bytes
                .raw((byte) 0xFC, (byte) 4, (byte) 0, (byte) 0, (byte) 0).raw("hello".getBytes(StandardCharsets.US_ASCII)) // 4 extra bytes
                .bytes();
        String expected = "abcdabcda" + "dadada" + "abc" + "x".repeat(61) + "\0".repeat(300) + "hello";
        byte[] out = Snappy.decompress(block);
        assertEquals(expected, new String(out, StandardCharsets.ISO_8859_1));
        byte[] oracle = new byte[out.length];
        new SnappyDecompressor().decompress(block, 0, block.length, oracle, 0, oracle.length);
        assertArrayEquals(oracle, out);
    }

    @Test
    void emptyBlock() throws Exception {
        assertArrayEquals(new byte[] {0}, Snappy.compress(new byte[0]));
        assertEquals(0, Snappy.decompress(new byte[] {0}).length);
    }

    @Test
    void declaredLengthIsCheckedBeforeAllocating() {
        // Declares ~2 GiB: allocating it would throw OutOfMemoryError under the 2 GiB test heap.
        byte[] bomb = new RawProto().varint(Integer.MAX_VALUE - 8).raw((byte) 0x00, (byte) 1).bytes();
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, () -> Snappy.decompress(bomb));
        assertTrue(e.getMessage().contains("exceeds the limit of " + RemoteHeaders.DEFAULT_MAX_DECODED_BYTES), e.getMessage());
        byte[] tooLong = new RawProto().raw((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x01).bytes();
        assertThrows(RemoteProtocolException.class, () -> Snappy.decompress(tooLong));
    }

    @Test
    void rejectsMalformedElementsWithPrometheusWording() {
        assertCorrupt(new byte[0], "truncated length header");
        assertCorrupt(new byte[] {3, 0x01, 0x00}, "copy offset 0");                    // copy-1 with offset 0
        assertCorrupt(new byte[] {8, 0x00, 'a', 0x05, 0x02}, "copy offset 2");          // offset before output start
        assertCorrupt(new byte[] {4, 0x0C, 'a', 'b'}, "runs past the input");           // literal longer than input
        assertCorrupt(new byte[] {1, 0x04, 'a', 'b'}, "past the declared length");      // output longer than declared
        assertCorrupt(new byte[] {5, 0x00, 'a'}, "decoded 1 bytes but the header declared 5");
        assertCorrupt(new byte[] {5, 0x00, 'a', 0x02}, "truncated copy element");
        // The framed format's stream identifier is not a block.
        assertThrows(RemoteProtocolException.class, () -> Snappy.decompress(
                new byte[] {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'}));
    }

    private static void assertCorrupt(byte[] block, String detail) {
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, () -> Snappy.decompress(block));
        assertTrue(e.getMessage().startsWith("snappy: corrupt input"), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }
}
