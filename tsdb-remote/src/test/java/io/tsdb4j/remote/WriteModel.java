package io.tsdb4j.remote;

import io.tsdb4j.labels.Labels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** A plain model of a write request, its generator, an independent raw encoder, and a comparison with decoded output. */
record WriteModel(List<Series> series, List<MetricMetadata> metadata) {
    record Sample(long t, double v) {
    }

    record Exemplar(Labels labels, long t, double v) {
    }

    record Series(Labels labels, List<Sample> samples, List<Exemplar> exemplars) {
    }

    static Arbitrary<WriteModel> arbitrary(int maxSeries) {
        Arbitrary<Sample> sample = Combinators.combine(Gen.timestamp(), Gen.value()).as(Sample::new);
        Arbitrary<Exemplar> exemplar = Combinators.combine(Gen.labels(0, 3), Gen.timestamp(), Gen.value()).as(Exemplar::new);
        Arbitrary<Series> series = Combinators.combine(Gen.seriesLabels(), sample.list().ofMaxSize(8), exemplar.list().ofMaxSize(2))
                .as(Series::new);
        Arbitrary<MetricMetadata> meta = Combinators.combine(Arbitraries.of(MetricType.class), Gen.anyText(), Gen.anyText(), Gen.anyText())
                .as(MetricMetadata::new);
        return Combinators.combine(series.list().ofMaxSize(maxSeries), meta.list().ofMaxSize(3)).as(WriteModel::new);
    }

    byte[] encode() {
        return encoder(series.size(), metadata.size()).encode();
    }

    /** Our encoder fed with the first {@code s} series and {@code m} metadata entries. */
    WriteRequestEncoder encoder(int s, int m) {
        WriteRequestEncoder enc = new WriteRequestEncoder();
        for (Series ser : series.subList(0, s)) {
            enc.startSeries(ser.labels());
            for (Sample x : ser.samples()) enc.sample(x.t(), x.v());
            for (Exemplar e : ser.exemplars()) enc.exemplar(e.labels(), e.t(), e.v());
        }
        for (MetricMetadata md : metadata.subList(0, m)) enc.metadata(md);
        return enc;
    }

    /**
     * The same request written by the naive test encoder in a legal but unusual way: metadata first, fields in
     * reverse order, labels shuffled, default values written explicitly, and unknown fields of every wire type at
     * every level.
     */
    byte[] encodeUnusually(Random rnd) {
        RawProto req = new RawProto();
        for (MetricMetadata md : metadata) {
            req.messageField(3, new RawProto().unknownFields().stringField(5, md.unit()).stringField(4, md.help())
                    .stringField(2, md.metricFamilyName()).varintField(1, md.type().number()));
        }
        req.unknownFields();
        for (Series s : series) {
            RawProto ts = new RawProto();
            List<Exemplar> ex = s.exemplars();
            for (Exemplar e : ex) {
                RawProto em = new RawProto().varintField(3, e.t()).doubleField(2, e.v()).unknownFields();
                addLabels(em, e.labels(), rnd);
                ts.messageField(3, em);
            }
            for (Sample x : s.samples()) {
                ts.messageField(2, new RawProto().varintField(2, x.t()).unknownFields().doubleField(1, x.v()));
            }
            ts.unknownFields();
            addLabels(ts, s.labels(), rnd);
            req.messageField(1, ts);
        }
        return req.bytes();
    }

    private static void addLabels(RawProto msg, Labels labels, Random rnd) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) order.add(i);
        Collections.shuffle(order, rnd);
        for (int i : order) {
            msg.messageField(1, new RawProto().stringField(2, labels.value(i)).unknownFields().stringField(1, labels.name(i)));
        }
    }

    void assertDecodedEquals(WriteRequest req) {
        assertEquals(series.size(), req.seriesCount(), "series count");
        for (int s = 0; s < series.size(); s++) {
            Series want = series.get(s);
            assertEquals(want.labels(), req.labels(s), "labels of series " + s);
            assertEquals(want.samples().size(), req.sampleEnd(s) - req.sampleStart(s), "samples of series " + s);
            for (int i = 0; i < want.samples().size(); i++) {
                Sample x = want.samples().get(i);
                int at = req.sampleStart(s) + i;
                assertEquals(x.t(), req.timestamp(at));
                assertEquals(Double.doubleToRawLongBits(x.v()), Double.doubleToRawLongBits(req.value(at)), "value bits");
            }
            assertEquals(want.exemplars().size(), req.exemplarEnd(s) - req.exemplarStart(s));
            for (int i = 0; i < want.exemplars().size(); i++) {
                Exemplar e = want.exemplars().get(i);
                int at = req.exemplarStart(s) + i;
                assertEquals(e.labels(), req.exemplarLabels(at));
                assertEquals(e.t(), req.exemplarTimestamp(at));
                assertEquals(Double.doubleToRawLongBits(e.v()), Double.doubleToRawLongBits(req.exemplarValue(at)));
            }
            assertEquals(0, req.histogramEnd(s) - req.histogramStart(s));
        }
        assertEquals(metadata, req.metadata());
    }
}
