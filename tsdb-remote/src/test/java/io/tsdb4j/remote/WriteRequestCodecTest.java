package io.tsdb4j.remote;

import io.tsdb4j.labels.Labels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class WriteRequestCodecTest {
    private final WriteRequestDecoder decoder = new WriteRequestDecoder();
    private final WriteRequestDecoder cached = new WriteRequestDecoder(new LabelSetCache(() -> 0));

    @Provide
    Arbitrary<WriteModel> requests() {
        return WriteModel.arbitrary(6);
    }

    // ---- golden ----

    @Test
    void goldenBytesOfOneSeriesOneSample() throws Exception {
        // WriteRequest{timeseries: [{labels: [{name: "__name__", value: "up"}], samples: [{value: 1.0, timestamp: 1000}]}]}
        byte[] expected = {
                0x0A, 0x1E,                                    // field 1 (timeseries), 30 bytes
                0x0A, 0x0E,                                    //   field 1 (labels), 14 bytes
                0x0A, 0x08, '_', '_', 'n', 'a', 'm', 'e', '_', '_', //     name = "__name__"
                0x12, 0x02, 'u', 'p',                          //     value = "up"
                0x12, 0x0C,                                    //   field 2 (samples), 12 bytes
                0x09, 0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F,     //     value = 1.0 (fixed64, little-endian)
                0x10, (byte) 0xE8, 0x07,                       //     timestamp = 1000 (varint)
        };
        byte[] actual = new WriteRequestEncoder().startSeries(Labels.of("__name__", "up")).sample(1000, 1.0).encode();
        assertArrayEquals(expected, actual);

        WriteRequest req = new WriteRequest();
        decoder.decode(expected, req);
        assertEquals(1, req.seriesCount());
        assertEquals(Labels.of("__name__", "up"), req.labels(0));
        assertEquals(1, req.sampleCount());
        assertEquals(1000, req.timestamp(0));
        assertEquals(1.0, req.value(0));
    }

    @Test
    void zeroValuesAreOmittedButNegativeZeroAndStaleNaNAreKeptBitExact() throws Exception {
        byte[] zero = new WriteRequestEncoder().startSeries(Labels.of("a", "b")).sample(0, 0.0).encode();
        // timeseries tag+len (2) + label field (2 + 6) + empty sample message (2): no value, no timestamp bytes
        assertEquals(12, zero.length);
        assertArrayEquals(new byte[] {0x12, 0x00}, java.util.Arrays.copyOfRange(zero, 10, 12));
        byte[] special = new WriteRequestEncoder().startSeries(Labels.of("a", "b")).sample(-1, -0.0).sample(-5, Gen.STALE_NAN).encode();
        WriteRequest req = new WriteRequest();
        decoder.decode(special, req);
        assertEquals(-1, req.timestamp(0));
        assertEquals(0x8000000000000000L, Double.doubleToRawLongBits(req.value(0)));
        assertEquals(0x7FF0000000000002L, Double.doubleToRawLongBits(req.value(1)));
        assertEquals(-5, req.timestamp(1));
    }

    // ---- round trips ----

    @Property
    void encodeThenDecodeIsIdentity(@ForAll("requests") WriteModel model) throws Exception {
        WriteRequest req = new WriteRequest();
        decoder.decode(model.encode(), req);
        model.assertDecodedEquals(req);
    }

    @Property
    void decodesUnusualButLegalEncodingsTheSame(@ForAll("requests") WriteModel model, @ForAll long seed) throws Exception {
        WriteRequest req = new WriteRequest();
        decoder.decode(model.encodeUnusually(new Random(seed)), req);
        model.assertDecodedEquals(req);
    }

    @Property
    void aLabelSetCacheChangesNothingButTheInstances(@ForAll("requests") WriteModel model, @ForAll long seed) throws Exception {
        WriteRequest first = new WriteRequest();
        WriteRequest again = new WriteRequest();
        byte[] usual = model.encode();
        byte[] unusual = model.encodeUnusually(new Random(seed));
        for (byte[] body : List.of(usual, unusual)) {
            cached.decode(body, first);
            model.assertDecodedEquals(first);
            cached.decode(body, again);
            model.assertDecodedEquals(again);
        }
        cached.decode(usual, first);
        cached.decode(usual, again);
        for (int s = 0; s < first.seriesCount(); s++) assertSame(first.labels(s), again.labels(s), "series " + s + " from the cache");
    }

    @Test
    void labelsAfterACachedRunAreAddedToIt() throws Exception {
        RawProto sample = new RawProto().doubleField(1, 1).varintField(2, 5);
        byte[] plain = new RawProto().messageField(1, new RawProto().label(1, "__name__", "up").messageField(2, sample)).bytes();
        byte[] split = new RawProto().messageField(1, new RawProto().label(1, "__name__", "up").messageField(2, sample)
                .label(1, "job", "api")).bytes();
        WriteRequest req = new WriteRequest();
        for (int i = 0; i < 2; i++) {
            cached.decode(plain, req);
            assertEquals(Labels.of("__name__", "up"), req.labels(0));
            cached.decode(split, req);
            assertEquals(Labels.of("__name__", "up", "job", "api"), req.labels(0));
            assertEquals(5, req.timestamp(0));
        }
    }

    @Test
    void labelSetCacheKeepsSetsInUseAndDropsTheRest() {
        long[] series = {30_000};
        LabelSetCache c = new LabelSetCache(() -> series[0]);
        byte[][] keys = new byte[25_000][];
        for (int i = 0; i < keys.length; i++) keys[i] = ("series-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Labels[] labels = new Labels[keys.length];
        for (int i = 0; i < keys.length; i++) c.put(keys[i], 0, keys[i].length, labels[i] = Labels.of("i", Integer.toString(i)));
        for (int i = 0; i < keys.length; i++) assertSame(labels[i], c.get(keys[i], 0, keys[i].length), "all sets cached, however many");
        series[0] = 100; // most series are gone: the next trim keeps only what was used since the last one
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 1000; i++) {
                byte[] k = ("cold-" + round + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                c.put(k, 0, k.length, Labels.of("a", "cold"));
            }
            assertSame(labels[0], c.get(keys[0], 0, keys[0].length), "a set in use survives trims");
        }
        assertTrue(c.size() < 10_000, "size " + c.size());
        byte[] shifted = new byte[keys[0].length + 2];
        System.arraycopy(keys[0], 0, shifted, 2, keys[0].length);
        assertSame(labels[0], c.get(shifted, 2, keys[0].length), "looked up by content, wherever it sits");
    }

    @Property(tries = 200)
    void reusedTargetHoldsOnlyTheLatestRequest(@ForAll("requests") WriteModel a, @ForAll("requests") WriteModel b) throws Exception {
        WriteRequest req = new WriteRequest();
        decoder.decode(a.encode(), req);
        decoder.decode(b.encode(), req);
        b.assertDecodedEquals(req);
    }

    @Property(tries = 200)
    void snappyBodyRoundTrips(@ForAll("requests") WriteModel model) throws Exception {
        byte[] body = model.encoder(model.series().size(), model.metadata().size()).encodeSnappy();
        WriteRequest req = new WriteRequest();
        decoder.decodeSnappy(body, 1 << 20, req);
        model.assertDecodedEquals(req);
    }

    // ---- histograms: validated, counted, packed and unpacked ----

    @Property(tries = 300)
    void histogramsPackedAndUnpackedDecodeAlike(@ForAll @Size(max = 6) List<Long> deltas, @ForAll @Size(max = 6) List<Double> counts,
                                                 @ForAll long timestamp) throws Exception {
        WriteRequest packed = new WriteRequest();
        WriteRequest unpacked = new WriteRequest();
        decoder.decode(histogramRequest(deltas, counts, timestamp, true), packed);
        decoder.decode(histogramRequest(deltas, counts, timestamp, false), unpacked);
        for (WriteRequest r : List.of(packed, unpacked)) {
            assertEquals(1, r.seriesCount());
            assertEquals(Labels.of("__name__", "h"), r.labels(0));
            assertEquals(2, r.histogramEnd(0) - r.histogramStart(0));
            assertEquals(timestamp, r.histogramTimestamp(0));
            assertEquals(timestamp + 1, r.histogramTimestamp(1));
            assertEquals(1, r.sampleCount());
        }
    }

    private static byte[] histogramRequest(List<Long> deltas, List<Double> counts, long t, boolean packed) {
        RawProto ts = new RawProto().label(1, "__name__", "h");
        for (int h = 0; h < 2; h++) {
            RawProto hist = new RawProto().varintField(1, 5).doubleField(3, 1.5).varintField(4, RawProto.zigzag(-3))
                    .doubleField(5, 1e-128).varintField(6, 2)
                    .messageField(8, new RawProto().varintField(1, RawProto.zigzag(-2)).varintField(2, 3))
                    .messageField(11, new RawProto().varintField(1, 0).varintField(2, 1));
            for (int field : new int[] {9, 12}) {
                if (packed) {
                    RawProto p = new RawProto();
                    for (long d : deltas) p.varint(RawProto.zigzag(d));
                    hist.messageField(field, p);
                } else {
                    for (long d : deltas) hist.varintField(field, RawProto.zigzag(d));
                }
            }
            for (int field : new int[] {10, 13}) {
                if (packed) {
                    RawProto p = new RawProto();
                    for (double c : counts) p.fixed64(Double.doubleToRawLongBits(c));
                    hist.messageField(field, p);
                } else {
                    for (double c : counts) hist.doubleField(field, c);
                }
            }
            hist.varintField(14, 2).varintField(15, t + h).unknownFields();
            ts.messageField(4, hist);
        }
        ts.messageField(2, new RawProto().doubleField(1, 2).varintField(2, t));
        return new RawProto().messageField(1, ts).bytes();
    }

    @Test
    void packedDoublesMustBeWholeValues() {
        RawProto hist = new RawProto().bytesField(10, new byte[7]);
        byte[] body = new RawProto().messageField(1, new RawProto().label(1, "a", "b").messageField(4, hist)).bytes();
        assertRejected(body, "packed double field 10 of Histogram has length 7");
    }

    // ---- validation ----

    @Test
    void unsortedLabelsAreAcceptedAndSorted() throws Exception {
        byte[] body = new RawProto().messageField(1, new RawProto().label(1, "job", "api").label(1, "__name__", "up")
                .label(1, "empty", "")).bytes();
        WriteRequest req = new WriteRequest();
        decoder.decode(body, req);
        assertEquals(Labels.of("__name__", "up", "job", "api"), req.labels(0));
    }

    @Test
    void duplicateLabelNamesAreRejectedNamingTheSeries() {
        byte[] body = new RawProto()
                .messageField(1, new RawProto().label(1, "a", "1"))
                .messageField(1, new RawProto().label(1, "a", "1").label(1, "b", "2").label(1, "a", "3")).bytes();
        RemoteProtocolException e = assertRejected(body, "in timeseries 1");
        assertTrue(e.getMessage().contains("duplicate label name \"a\""), e.getMessage());
        // A duplicate hidden by an empty value is still a duplicate.
        assertRejected(new RawProto().messageField(1, new RawProto().label(1, "a", "").label(1, "a", "x")).bytes(),
                "duplicate label name \"a\"");
    }

    @Test
    void invalidLabelNamesAreRejected() {
        for (String bad : new String[] {"1abc", "a-b", "", "é", "a.b"}) {
            byte[] body = new RawProto().messageField(1, new RawProto().label(1, bad, "v")).bytes();
            assertRejected(body, "invalid label name \"" + bad + "\"");
        }
        byte[] exemplar = new RawProto().messageField(1, new RawProto().label(1, "a", "b")
                .messageField(3, new RawProto().label(1, "trace-id", "x"))).bytes();
        assertRejected(exemplar, "exemplar 0 labels: invalid label name \"trace-id\"");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80} /* surrogate */, {(byte) 0xC0, (byte) 0x80} /* overlong */,
                {(byte) 0xFF}};
        for (byte[] value : bad) {
            byte[] body = new RawProto().messageField(1, new RawProto()
                    .messageField(1, new RawProto().stringField(1, "a").bytesField(2, value))).bytes();
            assertRejected(body, "label value is not valid UTF-8");
        }
        byte[] meta = new RawProto().messageField(3, new RawProto().bytesField(4, new byte[] {(byte) 0xC3})).bytes();
        assertRejected(meta, "in metadata 0: help is not valid UTF-8");
    }

    @Test
    void seriesWithoutLabelsIsRejected() {
        assertRejected(new RawProto().messageField(1, new RawProto().messageField(2, new RawProto().doubleField(1, 1))).bytes(),
                "empty label set");
        assertRejected(new RawProto().messageField(1, new RawProto().label(1, "a", "")).bytes(), "empty label set");
    }

    @Test
    void wrongWireTypesForKnownFieldsAreRejected() {
        assertRejected(new RawProto().varintField(1, 5).bytes(), "field 1 of WriteRequest has wire type varint, expected length-delimited");
        assertRejected(new RawProto().messageField(1, new RawProto().label(1, "a", "b")
                .messageField(2, new RawProto().varintField(1, 1))).bytes(), "field 1 of Sample has wire type varint, expected fixed64");
        assertRejected(new RawProto().messageField(1, new RawProto().label(1, "a", "b")
                .messageField(2, new RawProto().doubleField(2, 1))).bytes(), "field 2 of Sample has wire type fixed64, expected varint");
        assertRejected(new RawProto().messageField(1, new RawProto().messageField(1, new RawProto().varintField(2, 1))).bytes(),
                "field 2 of Label has wire type varint");
    }

    @Test
    void malformedFramingIsRejected() {
        assertRejected(new byte[] {0x0A, 0x05, 0x0A}, "in timeseries 0");                 // length past the end
        assertRejected(new byte[] {0x0E}, "field 1 of WriteRequest has wire type 6");      // field 1, wire type 6
        assertRejected(new byte[] {(byte) 0xA6, 0x06}, "invalid wire type 6");             // unknown field 100, wire type 6
        assertRejected(new byte[] {(byte) 0xA4, 0x06}, "end-group tag for field 100 without a start");
        assertRejected(new byte[] {0x00}, "malformed WriteRequest");                       // tag 0
        assertRejected(new byte[] {(byte) 0xA3, 0x06, 0x08, 0x01}, "group of field 100 is not closed");
        assertRejected(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, "malformed WriteRequest");
        // Deeply nested groups in an unknown field must not overflow the stack.
        RawProto deep = new RawProto();
        for (int i = 0; i < 100_000; i++) deep.tag(100, 3);
        assertRejected(deep.bytes(), "groups nested more than");
    }

    @Test
    void failedDecodeLeavesTargetEmptyAndReportsOffset() throws Exception {
        WriteRequest req = new WriteRequest();
        byte[] good = new WriteRequestEncoder().startSeries(Labels.of("a", "b")).sample(1, 1).encode();
        decoder.decode(good, req);
        assertEquals(1, req.seriesCount());
        byte[] bad = new RawProto().raw(good).raw(good).messageField(1, new RawProto().label(1, "0", "x")).bytes();
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, () -> decoder.decode(bad, req));
        assertTrue(e.getMessage().contains("in timeseries 2"), e.getMessage());
        assertTrue(e.offset() > 2L * good.length && e.offset() <= bad.length, "offset " + e.offset());
        assertEquals(0, req.seriesCount());
        assertEquals(0, req.sampleCount());
        // Offsets count from the given start.
        byte[] shifted = new RawProto().raw(new byte[10]).raw(bad).bytes();
        RemoteProtocolException e2 = assertThrows(RemoteProtocolException.class, () -> decoder.decode(shifted, 10, bad.length, req));
        assertEquals(e.offset(), e2.offset());
    }

    // ---- fuzz ----

    @Property(tries = 150)
    void everyTruncationFailsUnlessItEndsOnAMessageBoundary(@ForAll("requests") WriteModel model) {
        byte[] body = model.encode();
        // Cutting exactly after the j-th top-level field leaves a valid, shorter request.
        Set<Integer> boundaries = new HashSet<>();
        for (int s = 0; s <= model.series().size(); s++) boundaries.add(model.encoder(s, 0).encode().length);
        for (int m = 0; m <= model.metadata().size(); m++) boundaries.add(model.encoder(model.series().size(), m).encode().length);
        WriteRequest req = new WriteRequest();
        for (int len = 0; len < body.length; len++) {
            try {
                decoder.decode(body, 0, len, req);
                assertTrue(boundaries.contains(len), "prefix of " + len + " bytes decoded but is not a message boundary");
            } catch (RemoteProtocolException e) {
                assertFalse(boundaries.contains(len), "prefix of " + len + " bytes is a boundary: " + e.getMessage());
                assertEquals(0, req.seriesCount());
            }
        }
    }

    @Property
    void randomBytesFailOnlyWithProtocolException(@ForAll @Size(max = 300) byte[] garbage) {
        WriteRequest req = new WriteRequest();
        try {
            decoder.decode(garbage, req);
        } catch (RemoteProtocolException expected) {
            assertEquals(0, req.seriesCount());
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedBodies() {
        return net.jqwik.api.Combinators.combine(WriteModel.arbitrary(3), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 2)).as((m, where, b, op) -> {
            byte[] body = m.encode();
            if (body.length == 0) return body;
            int at = where % body.length;
            switch (op) {
                case 0: body[at] = (byte) (int) b; return body;
                case 1: { // delete one byte
                    byte[] out = new byte[body.length - 1];
                    System.arraycopy(body, 0, out, 0, at);
                    System.arraycopy(body, at + 1, out, at, body.length - at - 1);
                    return out;
                }
                default: { // insert one byte
                    byte[] out = new byte[body.length + 1];
                    System.arraycopy(body, 0, out, 0, at);
                    out[at] = (byte) (int) b;
                    System.arraycopy(body, at, out, at + 1, body.length - at);
                    return out;
                }
            }
        });
    }

    @Property
    void mutatedBodiesFailOnlyWithProtocolException(@ForAll("mutatedBodies") byte[] body) {
        WriteRequest req = new WriteRequest();
        try {
            decoder.decode(body, req);
            for (int s = 0; s < req.seriesCount(); s++) assertFalse(req.labels(s).isEmpty());
        } catch (RemoteProtocolException expected) {
            assertEquals(0, req.seriesCount());
        }
    }

    @Property(tries = 300)
    void snappyThenProtobufPipelineFailsOnlyWithProtocolException(@ForAll("requests") WriteModel model,
                                                                  @ForAll @IntRange(min = 0, max = 1 << 20) int cut) {
        byte[] body = model.encoder(model.series().size(), model.metadata().size()).encodeSnappy();
        int len = cut % (body.length + 1);
        WriteRequest req = new WriteRequest();
        try {
            decoder.decodeSnappy(java.util.Arrays.copyOf(body, len), 1 << 20, req);
            assertEquals(body.length, len, "only the whole body decodes");
        } catch (RemoteProtocolException expected) {
            assertTrue(len < body.length);
            assertEquals(0, req.seriesCount());
        }
    }

    private RemoteProtocolException assertRejected(byte[] body, String expectedText) {
        WriteRequest req = new WriteRequest();
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, () -> decoder.decode(body, req));
        assertTrue(e.getMessage().contains(expectedText), "expected \"" + expectedText + "\" in: " + e.getMessage());
        for (int i = 0; i < 2; i++) { // a rejected label set is never cached
            RemoteProtocolException c = assertThrows(RemoteProtocolException.class, () -> cached.decode(body, req));
            assertEquals(e.getMessage(), c.getMessage());
            assertEquals(e.offset(), c.offset());
        }
        assertTrue(e.offset() >= 0 && e.offset() <= body.length, "offset " + e.offset());
        assertEquals(0, req.seriesCount());
        return e;
    }
}
