package io.tsdb4j.remote;

import com.google.protobuf.CodedOutputStream;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.Series;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a {@code SAMPLES} remote-read answer ({@code ReadResponse}) straight from query results: one
 * {@link #startQueryResult()} per query, in request order, then its series.
 *
 * <pre>{@code
 * ReadResponseEncoder enc = new ReadResponseEncoder(50_000_000);
 * for (ReadRequest.Query q : request.queries()) enc.addQueryResult(querier.select(...));
 * byte[] body = enc.encodeSnappy();
 * }</pre>
 *
 * <p>Samples are drained into reusable scratch arrays, so nothing is allocated per sample. Exceeding the sample
 * limit throws {@link SampleLimitExceededException} as soon as it happens. Not thread-safe; reusable after
 * {@link #reset()}.
 */
public final class ReadResponseEncoder {
    private final long sampleLimit;
    private final GrowableBuffer body = new GrowableBuffer(1024);
    private final GrowableBuffer result = new GrowableBuffer(1024);
    private boolean resultOpen;
    private long samples;
    private long[] ts = new long[256];
    private double[] vs = new double[256];

    /** An encoder without sample limit. */
    public ReadResponseEncoder() {
        this(Long.MAX_VALUE);
    }

    /** An encoder that refuses to carry more than {@code sampleLimit} samples in total. */
    public ReadResponseEncoder(long sampleLimit) {
        if (sampleLimit < 0) throw new IllegalArgumentException("negative sample limit " + sampleLimit);
        this.sampleLimit = sampleLimit;
    }

    /** Begins the result of the next query (an empty result is still written: one result per query). */
    public ReadResponseEncoder startQueryResult() {
        finishResult();
        resultOpen = true;
        return this;
    }

    /** Adds a result holding every series of {@code set}. */
    public ReadResponseEncoder addQueryResult(SeriesSet set) {
        startQueryResult();
        while (set.next()) {
            Series s = set.at();
            addSeries(s.labels(), s.iterator());
        }
        return this;
    }

    /** Adds a series with all samples of {@code it} to the current result. */
    public ReadResponseEncoder addSeries(Labels labels, SampleIterator it) {
        Objects.requireNonNull(labels, "labels");
        if (!resultOpen) throw new IllegalStateException("startQueryResult must be called before addSeries");
        int n = 0;
        while (it.next()) {
            if (++samples > sampleLimit) throw new SampleLimitExceededException(sampleLimit);
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                vs = Arrays.copyOf(vs, n * 2);
            }
            ts[n] = it.t();
            vs[n] = it.v();
            n++;
        }
        int size = LabelCollector.labelsFieldSize(labels);
        for (int i = 0; i < n; i++) size += Wire.lenFieldSize(sampleSize(ts[i], vs[i]));
        CodedOutputStream out = result.reserve(Wire.lenFieldSize(size));
        try {
            Wire.writeLenTag(out, 1, size);
            LabelCollector.writeLabels(out, 1, labels);
            for (int i = 0; i < n; i++) {
                Wire.writeLenTag(out, 2, sampleSize(ts[i], vs[i]));
                Wire.writeDouble(out, 1, vs[i]);
                Wire.writeInt64(out, 2, ts[i]);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("size computation disagrees with output (bug)", e);
        }
        return this;
    }

    private static int sampleSize(long t, double v) {
        return Wire.doubleFieldSize(v) + Wire.int64FieldSize(t);
    }

    private void finishResult() {
        if (!resultOpen) return;
        CodedOutputStream out = body.reserve(Wire.lenFieldSize(result.size()) - result.size());
        try {
            Wire.writeLenTag(out, 1, result.size());
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.write(result.array(), 0, result.size());
        result.reset();
        resultOpen = false;
    }

    /** Samples added so far over all results. */
    public long sampleCount() {
        return samples;
    }

    /** The serialized {@code ReadResponse} (not compressed). Ends the current result. */
    public byte[] encode() {
        finishResult();
        return body.toByteArray();
    }

    /** The snappy-compressed response body. Ends the current result. */
    public byte[] encodeSnappy() {
        finishResult();
        return Snappy.compress(body.array(), 0, body.size());
    }

    public ReadResponseEncoder reset() {
        body.reset();
        result.reset();
        resultOpen = false;
        samples = 0;
        return this;
    }
}
