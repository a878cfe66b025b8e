package io.tsdb4j.record;

import io.tsdb4j.encoding.Encbuf;
import io.tsdb4j.labels.Labels;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** WAL record encodings round-trip for arbitrary content, and match Prometheus's bytes on a known example. */
class RecordCodecProperties {
    record S(long ref, long t, double v) {}

    record Series(long ref, Labels labels) {}

    /** Samples as the encoder takes them: parallel arrays. */
    static final class Columns {
        final long[] refs, ts;
        final double[] vs;

        Columns(List<S> in) {
            int n = in.size();
            refs = new long[n];
            ts = new long[n];
            vs = new double[n];
            for (int i = 0; i < n; i++) {
                refs[i] = in.get(i).ref();
                ts[i] = in.get(i).t();
                vs[i] = in.get(i).v();
            }
        }
    }

    @Provide
    Arbitrary<List<S>> samples() {
        return Combinators.combine(
                Arbitraries.longs().between(0, Long.MAX_VALUE / 4),
                Arbitraries.longs().between(Long.MIN_VALUE / 4, Long.MAX_VALUE / 4),
                Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.longs().map(Double::longBitsToDouble),
                        Arbitraries.of(Double.NaN, -0.0, Double.longBitsToDouble(0x7FF0000000000002L), Double.NEGATIVE_INFINITY)))
                .as(S::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void samplesRoundTrip(@ForAll("samples") List<S> in) {
        int n = in.size();
        Columns c = new Columns(in);
        long[] refs = c.refs, ts = c.ts;
        double[] vs = c.vs;
        Encbuf e = new Encbuf(16);
        RecordEncoder.samples(e, refs, ts, vs, n);
        assertEquals(RecordType.SAMPLES, RecordType.of(e.array(), e.len()));
        RecordDecoder.Samples out = new RecordDecoder().samples(e.array(), e.len(), new RecordDecoder.Samples());
        assertEquals(n, out.n);
        for (int i = 0; i < n; i++) {
            assertEquals(refs[i], out.refs[i]);
            assertEquals(ts[i], out.ts[i]);
            assertEquals(Double.doubleToRawLongBits(vs[i]), Double.doubleToRawLongBits(out.vs[i]));
        }
    }

    @Provide
    Arbitrary<List<Series>> series() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> values = Arbitraries.strings().ofMinLength(1).ofMaxLength(8).filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        Arbitrary<Labels> labels = Arbitraries.maps(names, values).ofMaxSize(6).map(Labels::of);
        return Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), labels).as(Series::new).list().ofMaxSize(50);
    }

    @Property(tries = 200)
    void samplesBytesEqualValueByValueEncoding(@ForAll("samples") List<S> in) {
        int n = in.size();
        Columns c = new Columns(in);
        long[] refs = c.refs, ts = c.ts;
        double[] vs = c.vs;
        Encbuf fast = new Encbuf(16);
        RecordEncoder.samples(fast, refs, ts, vs, n);
        // Prometheus's layout written one value at a time.
        Encbuf slow = new Encbuf(16).putByte(RecordType.SAMPLES);
        if (n > 0) slow.putBE64(refs[0]).putBE64(ts[0]);
        for (int i = 0; i < n; i++) {
            slow.putVarint(refs[i] - refs[0]).putVarint(ts[i] - ts[0]).putBE64(Double.doubleToRawLongBits(vs[i]));
        }
        assertArrayEquals(slow.toByteArray(), fast.toByteArray());
    }

    @Property(tries = 200)
    void seriesRoundTrip(@ForAll("series") List<Series> in) {
        Encbuf e = new Encbuf();
        RecordEncoder.beginSeries(e);
        for (Series s : in) RecordEncoder.seriesEntry(e, s.ref(), s.labels());
        List<Series> out = new ArrayList<>();
        new RecordDecoder().series(e.array(), e.len(), (ref, l) -> out.add(new Series(ref, l)));
        assertEquals(in, out);
    }

    @Property(tries = 200)
    void tombstonesRoundTrip(@ForAll("samples") List<S> in) {
        int n = in.size();
        long[] refs = new long[n], mints = new long[n], maxts = new long[n];
        for (int i = 0; i < n; i++) {
            refs[i] = in.get(i).ref();
            mints[i] = in.get(i).t();
            maxts[i] = in.get(i).t() + (long) Math.abs(in.get(i).v() % 1000);
        }
        Encbuf e = new Encbuf();
        RecordEncoder.tombstones(e, refs, mints, maxts, n);
        RecordDecoder.Tombstones out = new RecordDecoder().tombstones(e.array(), e.len(), new RecordDecoder.Tombstones());
        assertEquals(n, out.n);
        for (int i = 0; i < n; i++) {
            assertEquals(refs[i], out.refs[i]);
            assertEquals(mints[i], out.mints[i]);
            assertEquals(maxts[i], out.maxts[i]);
        }
    }

    @Test
    void knownBytesOfPrometheusLayout() {
        Encbuf e = new Encbuf();
        RecordEncoder.beginSeries(e);
        RecordEncoder.seriesEntry(e, 1, Labels.of("__name__", "up"));
        // type 1, BE64 ref 1, 1 label, "__name__", "up"
        assertEquals("01" + "0000000000000001" + "01" + "08" + HexFormat.of().formatHex("__name__".getBytes()) + "02" + "7570",
                HexFormat.of().formatHex(e.toByteArray()));
        e.reset();
        RecordEncoder.samples(e, new long[] {1, 2}, new long[] {1000, 999}, new double[] {1.0, 0.5}, 2);
        // type 2, base ref 1, base t 1000, then per sample varint dref, varint dt, BE64 value (deltas are signed)
        assertEquals("02" + "0000000000000001" + "00000000000003e8"
                        + "00" + "00" + "3ff0000000000000"
                        + "02" + "01" + "3fe0000000000000",
                HexFormat.of().formatHex(e.toByteArray()));
        e.reset();
        RecordEncoder.samples(e, new long[0], new long[0], new double[0], 0);
        assertEquals("02", HexFormat.of().formatHex(e.toByteArray()), "an empty samples record is its type byte");
    }

    @Test
    void metadataRoundTripAndUnknownFieldsSkipped() {
        Encbuf e = new Encbuf();
        RecordEncoder.beginMetadata(e);
        RecordEncoder.metadataEntry(e, 7, 1, "seconds", "help text");
        Map<Long, String>[] got = new Map[1];
        new RecordDecoder().metadata(e.array(), e.len(), (ref, type, unit, help) -> got[0] = Map.of(ref, type + "|" + unit + "|" + help));
        assertEquals(Map.of(7L, "1|seconds|help text"), got[0]);
    }

    @Test
    void truncatedRecordsFailWithTheirKind() {
        Encbuf e = new Encbuf();
        RecordEncoder.samples(e, new long[] {1}, new long[] {5}, new double[] {1}, 1);
        for (int cut = 2; cut < e.len(); cut++) {
            // A cut right after the 17-byte base header is a valid record with no entries (as in Prometheus);
            // every cut inside the header or inside an entry must fail.
            if (cut == 17) {
                assertEquals(0, new RecordDecoder().samples(e.array(), cut, new RecordDecoder.Samples()).n);
                continue;
            }
            int c = cut;
            RecordFormatException ex = assertThrows(RecordFormatException.class,
                    () -> new RecordDecoder().samples(e.array(), c, new RecordDecoder.Samples()));
            assertTrue(ex.getMessage().startsWith("samples record"), ex.getMessage());
        }
    }
}
