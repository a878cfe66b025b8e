package io.tsdb4j.remote;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.Series;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Labels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReadResponseTest {
    @Provide
    Arbitrary<ReadResponse> responses() {
        Arbitrary<ReadResponse.TimeSeries> ts = Combinators.combine(Gen.seriesLabels(),
                Combinators.combine(Gen.timestamp(), Gen.value()).as(WriteModel.Sample::new).list().ofMaxSize(10))
                .as((l, samples) -> {
                    long[] t = new long[samples.size()];
                    double[] v = new double[samples.size()];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = samples.get(i).t();
                        v[i] = samples.get(i).v();
                    }
                    return new ReadResponse.TimeSeries(l, t, v);
                });
        return ts.list().ofMaxSize(4).map(ReadResponse.QueryResult::new).list().ofMaxSize(3).map(ReadResponse::new);
    }

    static ReadResponseEncoder encode(ReadResponse r, ReadResponseEncoder enc) {
        for (ReadResponse.QueryResult q : r.results()) enc.addQueryResult(seriesSet(q.timeseries()));
        return enc;
    }

    static SeriesSet seriesSet(List<ReadResponse.TimeSeries> list) {
        return new SeriesSet() {
            int i = -1;

            @Override
            public boolean next() {
                return ++i < list.size();
            }

            @Override
            public Series at() {
                ReadResponse.TimeSeries ts = list.get(i);
                return new Series() {
                    @Override
                    public Labels labels() {
                        return ts.labels();
                    }

                    @Override
                    public SampleIterator iterator() {
                        return arrayIterator(ts.timestamps(), ts.values());
                    }
                };
            }
        };
    }

    static SampleIterator arrayIterator(long[] t, double[] v) {
        return new SampleIterator() {
            int i = -1;

            @Override
            public boolean next() {
                return ++i < t.length;
            }

            @Override
            public boolean seek(long ts) {
                if (i < 0) i = 0;
                while (i < t.length && t[i] < ts) i++;
                return i < t.length;
            }

            @Override
            public long t() {
                return t[i];
            }

            @Override
            public double v() {
                return v[i];
            }
        };
    }

    @Property
    void roundTrips(@ForAll("responses") ReadResponse response) throws Exception {
        byte[] pb = encode(response, new ReadResponseEncoder()).encode();
        assertEquals(response, ReadResponse.parse(pb, 0, pb.length));
    }

    @Property(tries = 300)
    void snappyBodyRoundTrips(@ForAll("responses") ReadResponse response) throws Exception {
        byte[] body = encode(response, new ReadResponseEncoder()).encodeSnappy();
        assertEquals(response, ReadResponse.parseSnappy(body, 1 << 20));
    }

    @Property(tries = 300)
    void queryResultHasTheLayoutOfAWriteRequest(@ForAll("responses") ReadResponse response) {
        // QueryResult and WriteRequest both are "field 1: repeated TimeSeries", so the two encoders must agree.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (ReadResponse.QueryResult q : response.results()) {
            WriteRequestEncoder w = new WriteRequestEncoder();
            for (ReadResponse.TimeSeries ts : q.timeseries()) {
                w.startSeries(ts.labels()).samples(ts.timestamps(), ts.values(), 0, ts.timestamps().length);
            }
            byte[] inner = w.encode();
            expected.writeBytes(new RawProto().bytesField(1, inner).bytes());
        }
        assertArrayEquals(expected.toByteArray(), encode(response, new ReadResponseEncoder()).encode());
    }

    @Test
    void emptyResultsAreStillWrittenOnePerQuery() throws Exception {
        ReadResponseEncoder enc = new ReadResponseEncoder();
        enc.addQueryResult(SeriesSet.EMPTY).addQueryResult(SeriesSet.EMPTY);
        byte[] pb = enc.encode();
        assertArrayEquals(new byte[] {0x0A, 0x00, 0x0A, 0x00}, pb);
        assertEquals(2, ReadResponse.parse(pb, 0, pb.length).results().size());
    }

    @Test
    void sampleLimitIsEnforcedAcrossQueries() {
        ReadResponse.TimeSeries three = new ReadResponse.TimeSeries(Labels.of("a", "b"), new long[] {1, 2, 3}, new double[] {1, 2, 3});
        ReadResponseEncoder ok = new ReadResponseEncoder(6);
        ok.addQueryResult(seriesSet(List.of(three))).addQueryResult(seriesSet(List.of(three)));
        assertEquals(6, ok.sampleCount());
        ReadResponseEncoder tooMany = new ReadResponseEncoder(5).addQueryResult(seriesSet(List.of(three)));
        SampleLimitExceededException e = assertThrows(SampleLimitExceededException.class,
                () -> tooMany.addQueryResult(seriesSet(List.of(three))));
        assertEquals("exceeded sample limit (5)", e.getMessage());
    }

    @Property(tries = 200)
    void truncationsAndGarbageFailOnlyWithProtocolException(@ForAll("responses") ReadResponse response, @ForAll @Size(max = 100) byte[] garbage) {
        byte[] pb = encode(response, new ReadResponseEncoder()).encode();
        for (int len = 0; len < pb.length; len++) {
            try {
                ReadResponse.parse(pb, 0, len);
            } catch (RemoteProtocolException expected) {
                assertTrue(expected.getMessage().startsWith("malformed ReadResponse"), expected.getMessage());
            }
        }
        try {
            ReadResponse.parse(garbage, 0, garbage.length);
        } catch (RemoteProtocolException expected) {
            assertTrue(expected.getMessage().startsWith("malformed ReadResponse"));
        }
        try {
            ReadResponse.parseSnappy(garbage, 1 << 16);
        } catch (RemoteProtocolException expected) {
            assertNotNull(expected.getMessage());
        }
    }
}
