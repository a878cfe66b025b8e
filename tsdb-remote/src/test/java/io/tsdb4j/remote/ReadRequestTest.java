package io.tsdb4j.remote;

import io.tsdb4j.labels.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ReadRequestTest {
    @Provide
    Arbitrary<ReadRequest> requests() {
        Arbitrary<Matcher> equality = Combinators.combine(Arbitraries.of(Matcher.Type.EQUAL, Matcher.Type.NOT_EQUAL),
                Gen.labelName(), Gen.anyText()).as(Matcher::of);
        Arbitrary<Matcher> regex = Combinators.combine(Arbitraries.of(Matcher.Type.REGEX, Matcher.Type.NOT_REGEX),
                Gen.labelName(), Arbitraries.of("", ".*", ".+", "api|web", "foo.*", "[0-9]+", "ü+|☃", "(?i)x")).as(Matcher::of);
        Arbitrary<ReadHints> hints = Combinators.combine(Gen.timestamp(), Gen.anyText(), Gen.timestamp(), Gen.timestamp(),
                Gen.labelName().list().ofMaxSize(3), Arbitraries.of(true, false), Gen.timestamp()).as(ReadHints::new);
        Arbitrary<ReadRequest.Query> query = Combinators.combine(Gen.timestamp(), Gen.timestamp(),
                Arbitraries.oneOf(equality, regex).list().ofMaxSize(4), Arbitraries.oneOf(Arbitraries.just(null), hints))
                .as(ReadRequest.Query::new);
        Arbitrary<Integer> type = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, Arbitraries.of(0, 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
        return Combinators.combine(query.list().ofMaxSize(3), type.list().ofMaxSize(3)).as(ReadRequest::new);
    }

    @Property
    void roundTrips(@ForAll("requests") ReadRequest request) throws Exception {
        assertEquals(request, ReadRequest.parse(request.toByteArray()));
    }

    @Property
    void snappyBodyRoundTrips(@ForAll("requests") ReadRequest request) throws Exception {
        assertEquals(request, ReadRequest.parse(Snappy.decompress(Snappy.compress(request.toByteArray()))));
    }

    @Property
    void packedAndUnpackedResponseTypesDecodeAlike(@ForAll @Size(max = 5) List<@IntRange(min = 0, max = 300) Integer> types) throws Exception {
        RawProto packedList = new RawProto();
        for (int t : types) packedList.varint(t);
        RawProto unpacked = new RawProto();
        for (int t : types) unpacked.varintField(2, t);
        byte[] packed = new RawProto().messageField(2, packedList).bytes();
        assertEquals(types, ReadRequest.parse(packed).acceptedResponseTypes());
        assertEquals(types, ReadRequest.parse(unpacked.bytes()).acceptedResponseTypes());
        // Both encodings may even be mixed in one message; order is kept.
        List<Integer> twice = new ArrayList<>(types);
        twice.addAll(types);
        assertEquals(twice, ReadRequest.parse(new RawProto().raw(packed).raw(unpacked.bytes()).bytes()).acceptedResponseTypes());
    }

    @Test
    void decodesHandWrittenQueryWithAllMatcherTypes() throws Exception {
        RawProto q = new RawProto().varintField(1, 1000).varintField(2, -1)
                .messageField(3, new RawProto().stringField(2, "__name__").stringField(3, "up"))                 // EQ (0, default)
                .messageField(3, new RawProto().varintField(1, 1).stringField(2, "job").stringField(3, "x"))    // NEQ
                .messageField(3, new RawProto().varintField(1, 2).stringField(2, "i").stringField(3, "a.*"))    // RE
                .messageField(3, new RawProto().varintField(1, 3).stringField(2, "z").stringField(3, "b|c"))    // NRE
                .messageField(4, new RawProto().varintField(1, 15000).stringField(2, "rate").varintField(6, 1)
                        .stringField(5, "job").stringField(5, "le").varintField(7, 300000).unknownFields())
                .unknownFields();
        ReadRequest r = ReadRequest.parse(new RawProto().messageField(1, q).bytes());
        assertEquals(List.of(), r.acceptedResponseTypes());
        ReadRequest.Query query = r.queries().get(0);
        assertEquals(1000, query.startTimestampMs());
        assertEquals(-1, query.endTimestampMs());
        assertEquals(List.of(Matcher.equal("__name__", "up"), Matcher.notEqual("job", "x"), Matcher.regex("i", "a.*"),
                Matcher.notRegex("z", "b|c")), query.matchers());
        assertEquals(new ReadHints(15000, "rate", 0, 0, List.of("job", "le"), true, 300000), query.hints());
    }

    @Test
    void negotiatesFirstSupportedType() {
        Set<ResponseType> both = EnumSet.allOf(ResponseType.class);
        assertEquals(ResponseType.SAMPLES, new ReadRequest(List.of(), List.of()).negotiate(both));
        assertEquals(ResponseType.STREAMED_XOR_CHUNKS, new ReadRequest(List.of(), List.of(1, 0)).negotiate(both));
        assertEquals(ResponseType.SAMPLES, new ReadRequest(List.of(), List.of(7, 0, 1)).negotiate(both));
        assertNull(new ReadRequest(List.of(), List.of(7)).negotiate(both));
        assertNull(new ReadRequest(List.of(), List.of(1)).negotiate(EnumSet.of(ResponseType.SAMPLES)));
    }

    @Test
    void badMatchersAreRejectedNamingQueryAndMatcher() {
        byte[] badRegex = new RawProto().messageField(1, new RawProto()
                .messageField(3, new RawProto().stringField(2, "a").stringField(3, "b"))
                .messageField(3, new RawProto().varintField(1, 2).stringField(2, "a").stringField(3, "("))).bytes();
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, () -> ReadRequest.parse(badRegex));
        assertTrue(e.getMessage().contains("query 0 matcher 1: invalid regular expression"), e.getMessage());
        byte[] badType = new RawProto().messageField(1, new RawProto().varintField(1, 5))
                .messageField(1, new RawProto().messageField(3, new RawProto().varintField(1, 4))).bytes();
        e = assertThrows(RemoteProtocolException.class, () -> ReadRequest.parse(badType));
        assertTrue(e.getMessage().contains("query 1 matcher 0: unknown matcher type 4"), e.getMessage());
        byte[] badUtf8 = new RawProto().messageField(1, new RawProto().messageField(3, new RawProto().bytesField(3, new byte[] {(byte) 0x80}))).bytes();
        e = assertThrows(RemoteProtocolException.class, () -> ReadRequest.parse(badUtf8));
        assertTrue(e.getMessage().contains("matcher value is not valid UTF-8"), e.getMessage());
    }

    @Property(tries = 200)
    void truncationsFailOnlyWithProtocolException(@ForAll("requests") ReadRequest request) {
        byte[] body = request.toByteArray();
        for (int len = 0; len < body.length; len++) {
            try {
                ReadRequest.parse(body, 0, len);
            } catch (RemoteProtocolException expected) {
                assertTrue(expected.offset() >= 0 && expected.offset() <= len);
            }
        }
    }

    @Property
    void randomBytesFailOnlyWithProtocolException(@ForAll @Size(max = 200) byte[] garbage) {
        try {
            ReadRequest.parse(garbage);
        } catch (RemoteProtocolException expected) {
            assertTrue(expected.getMessage().startsWith("malformed ReadRequest"), expected.getMessage());
        }
    }
}
