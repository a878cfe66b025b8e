package io.tsdb4j.chunk;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class XorChunkTest {
    record Sample(long t, double v) {}

    @Test
    void oneSampleChunkHasPrometheusTrailingZeroByte() {
        XorChunk c = new XorChunk();
        c.append(0, 0.0);
        // Prometheus 2.42 writes exactly these 12 bytes (count, varint t, 8 value bytes, trailing byte).
        assertEquals("000100000000000000000000", HexFormat.of().formatHex(c.bytes()));
    }

    @Test
    void knownSmallChunk() {
        XorChunk c = new XorChunk();
        c.append(1000, 1.0);
        c.append(2000, 1.0);
        c.append(3000, 2.0);
        XorChunk.Iterator it = c.iterator();
        assertTrue(it.next());
        assertEquals(1000, it.t());
        assertEquals(1.0, it.v());
        assertTrue(it.next());
        assertEquals(2000, it.t());
        assertTrue(it.next());
        assertEquals(3000, it.t());
        assertEquals(2.0, it.v());
        assertFalse(it.next());
        assertEquals(3, XorChunk.numSamples(c.bytes(), 0));
    }

    @Test
    void staleMarkerKeptBitExact() {
        long stale = 0x7FF0000000000002L;
        XorChunk c = new XorChunk();
        c.append(1, 1.5);
        c.append(2, Double.longBitsToDouble(stale));
        c.append(3, Double.longBitsToDouble(0x7FF8000000000001L));
        XorChunk.Iterator it = c.iterator();
        it.next();
        it.next();
        assertEquals(stale, Double.doubleToRawLongBits(it.v()));
        it.next();
        assertEquals(0x7FF8000000000001L, Double.doubleToRawLongBits(it.v()));
    }

    @Test
    void seekStaysOrAdvances() {
        XorChunk c = new XorChunk();
        for (int i = 0; i < 50; i++) c.append(i * 10L, i);
        XorChunk.Iterator it = c.iterator();
        assertTrue(it.seek(95));
        assertEquals(100, it.t());
        assertTrue(it.seek(50));
        assertEquals(100, it.t(), "seek never moves backwards");
        assertFalse(it.seek(10_000));
    }

    @Test
    void truncatedBytesAreReportedCorruptNotThrown() {
        XorChunk c = new XorChunk();
        for (int i = 0; i < 100; i++) c.append(i * 15_000L + (i % 7), Math.sin(i));
        byte[] all = c.bytes();
        for (int cut = 2; cut < all.length - 1; cut++) {
            XorChunk.Iterator it = new XorChunk.Iterator().reset(all, 0, cut, 100);
            int n = 0;
            while (it.next()) n++;
            assertTrue(n < 100, "cut at " + cut + " must not yield all samples");
            assertTrue(it.corrupt());
        }
    }

    @Provide
    Arbitrary<List<Sample>> series() {
        Arbitrary<Long> deltas = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 20),
                Arbitraries.longs().between(1, 100_000),
                Arbitraries.longs().between(1, 1L << 40),
                Arbitraries.just(15_000L));
        Arbitrary<Double> values = Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                        Double.MIN_VALUE, Double.MAX_VALUE, Double.longBitsToDouble(0x7FF0000000000002L)),
                Arbitraries.integers().between(-5, 5).map(i -> (double) i),
                Arbitraries.longs().map(Double::longBitsToDouble));
        Arbitrary<Long> start = Arbitraries.longs().between(Long.MIN_VALUE / 4, Long.MAX_VALUE / 4);
        return Combinators.combine(start, Combinators.combine(deltas, values).as(Sample::new).list().ofMaxSize(300))
                .as((t0, steps) -> {
                    List<Sample> out = new ArrayList<>();
                    long t = t0;
                    for (Sample s : steps) {
                        t += s.t();
                        out.add(new Sample(t, s.v()));
                    }
                    return out;
                });
    }

    @Property(tries = 500)
    void roundTripsArbitrarySamples(@ForAll("series") List<Sample> samples) {
        XorChunk c = new XorChunk(16);
        for (Sample s : samples) c.append(s.t(), s.v());
        assertEquals(samples.size(), c.numSamples());
        byte[] bytes = c.bytes();
        XorChunk.Iterator it = XorChunk.iterator(bytes, Integer.MAX_VALUE);
        for (Sample s : samples) {
            assertTrue(it.next());
            assertEquals(s.t(), it.t());
            assertEquals(Double.doubleToRawLongBits(s.v()), Double.doubleToRawLongBits(it.v()));
        }
        assertFalse(it.next());
        assertFalse(it.corrupt());
    }

    @Property(tries = 500)
    void bytesEqualABitByBitModelOfPrometheusEncoder(@ForAll("series") List<Sample> samples) {
        XorChunk c = new XorChunk(16);
        PrometheusXorModel model = new PrometheusXorModel();
        for (Sample s : samples) {
            c.append(s.t(), s.v());
            model.append(s.t(), s.v());
            assertArrayEquals(model.bytes(), c.bytes(), "after " + c.numSamples() + " samples");
        }
    }

    /**
     * Prometheus 2.42's chunkenc XOR appender over its bstream, transcribed one bit and one byte at a time
     * (slow and obvious), as the oracle for the word-at-a-time writer.
     */
    static final class PrometheusXorModel {
        private final List<Byte> stream = new ArrayList<>(List.of((byte) 0, (byte) 0));
        private int count; // free bits in the last byte
        private int num;
        private long t, tDelta, v;
        private int leading = 0xFF, trailing;

        byte[] bytes() {
            byte[] out = new byte[stream.size()];
            for (int i = 0; i < out.length; i++) out[i] = stream.get(i);
            out[0] = (byte) (num >>> 8);
            out[1] = (byte) num;
            return out;
        }

        private void writeBit(boolean bit) {
            if (count == 0) {
                stream.add((byte) 0);
                count = 8;
            }
            int i = stream.size() - 1;
            if (bit) stream.set(i, (byte) (stream.get(i) | (1 << (count - 1))));
            count--;
        }

        private void writeByte(int byt) {
            if (count == 0) {
                stream.add((byte) 0);
                count = 8;
            }
            int i = stream.size() - 1;
            stream.set(i, (byte) (stream.get(i) | ((byt & 0xFF) >>> (8 - count))));
            stream.add((byte) ((byt & 0xFF) << count));
        }

        private void writeBits(long u, int nbits) {
            u <<= 64 - nbits;
            while (nbits >= 8) {
                writeByte((int) (u >>> 56));
                u <<= 8;
                nbits -= 8;
            }
            while (nbits > 0) {
                writeBit((u >>> 63) == 1);
                u <<= 1;
                nbits--;
            }
        }

        private void writeUvarint(long x) {
            while ((x & ~0x7FL) != 0) {
                writeByte((int) ((x & 0x7F) | 0x80));
                x >>>= 7;
            }
            writeByte((int) x);
        }

        void append(long ts, double value) {
            long vb = Double.doubleToRawLongBits(value);
            long delta = 0;
            if (num == 0) {
                writeUvarint((ts << 1) ^ (ts >> 63));
                writeBits(vb, 64);
            } else if (num == 1) {
                delta = ts - t;
                writeUvarint(delta);
                writeValue(vb);
            } else {
                delta = ts - t;
                long dod = delta - tDelta;
                if (dod == 0) {
                    writeBit(false);
                } else if (-8191 <= dod && dod <= 8192) {
                    writeBits(0b10, 2);
                    writeBits(dod, 14);
                } else if (-65535 <= dod && dod <= 65536) {
                    writeBits(0b110, 3);
                    writeBits(dod, 17);
                } else if (-524287 <= dod && dod <= 524288) {
                    writeBits(0b1110, 4);
                    writeBits(dod, 20);
                } else {
                    writeBits(0b1111, 4);
                    writeBits(dod, 64);
                }
                writeValue(vb);
            }
            t = ts;
            v = vb;
            tDelta = delta;
            num++;
        }

        private void writeValue(long vb) {
            long x = vb ^ v;
            if (x == 0) {
                writeBit(false);
                return;
            }
            writeBit(true);
            int lz = Long.numberOfLeadingZeros(x);
            int tz = Long.numberOfTrailingZeros(x);
            if (lz >= 32) lz = 31;
            if (leading != 0xFF && lz >= leading && tz >= trailing) {
                writeBit(false);
                writeBits(x >>> trailing, 64 - leading - trailing);
                return;
            }
            leading = lz;
            trailing = tz;
            writeBit(true);
            writeBits(lz, 5);
            int sig = 64 - lz - tz;
            writeBits(sig, 6);
            writeBits(x >>> tz, sig);
        }
    }
}
