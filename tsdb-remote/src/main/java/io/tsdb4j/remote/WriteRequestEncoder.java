package io.tsdb4j.remote;

import com.google.protobuf.CodedOutputStream;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds a remote-write 1.0 {@code WriteRequest}: series with their samples and exemplars, plus metadata. Calls
 * append to the series most recently started:
 *
 * <pre>{@code
 * WriteRequestEncoder enc = new WriteRequestEncoder();
 * enc.startSeries(Labels.of("__name__", "up", "job", "api")).sample(1000, 1.0).sample(2000, 1.0);
 * byte[] body = Snappy.compress(enc.encode());
 * enc.reset();
 * }</pre>
 *
 * <p>Output is canonical proto3 as Prometheus (gogo-protobuf) writes it: fields in number order, zero-valued
 * scalars omitted (a value is omitted only when its bits are all zero, so {@code -0.0} and every NaN payload are
 * kept bit-exact), labels in the sorted order of {@link Labels}. Label values containing unpaired UTF-16
 * surrogates cannot be encoded as UTF-8 and make {@link #encode()} throw {@link IllegalArgumentException}.
 *
 * <p>Buffers are kept across {@link #reset()}; nothing is allocated per sample once they have grown. Not
 * thread-safe.
 */
public final class WriteRequestEncoder {
    private final List<Labels> series = new ArrayList<>();
    private int[] sampleEnd = new int[16];
    private int[] exemplarEnd = new int[16];
    private int[] seriesSize = new int[16];

    private long[] timestamps = new long[64];
    private double[] values = new double[64];
    private int sampleCount;

    private Labels[] exemplarLabels = new Labels[4];
    private long[] exemplarTimestamps = new long[4];
    private double[] exemplarValues = new double[4];
    private int exemplarCount;

    private final List<MetricMetadata> metadata = new ArrayList<>();

    /** Starts a new series; following {@link #sample} and {@link #exemplar} calls belong to it. */
    public WriteRequestEncoder startSeries(Labels labels) {
        Objects.requireNonNull(labels, "labels");
        int s = series.size();
        if (s == sampleEnd.length) {
            sampleEnd = Arrays.copyOf(sampleEnd, s * 2);
            exemplarEnd = Arrays.copyOf(exemplarEnd, s * 2);
            seriesSize = Arrays.copyOf(seriesSize, s * 2);
        }
        series.add(labels);
        sampleEnd[s] = sampleCount;
        exemplarEnd[s] = exemplarCount;
        return this;
    }

    /** Adds a sample to the current series. */
    public WriteRequestEncoder sample(long timestampMs, double value) {
        int s = current();
        if (sampleCount == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, sampleCount * 2);
            values = Arrays.copyOf(values, sampleCount * 2);
        }
        timestamps[sampleCount] = timestampMs;
        values[sampleCount] = value;
        sampleCount++;
        sampleEnd[s] = sampleCount;
        return this;
    }

    /** Adds {@code count} samples from the arrays, starting at {@code offset}, to the current series. */
    public WriteRequestEncoder samples(long[] timestampsMs, double[] vals, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, timestampsMs.length);
        Objects.checkFromIndexSize(offset, count, vals.length);
        for (int i = 0; i < count; i++) sample(timestampsMs[offset + i], vals[offset + i]);
        return this;
    }

    /** Adds an exemplar (labels may be empty) to the current series. */
    public WriteRequestEncoder exemplar(Labels labels, long timestampMs, double value) {
        Objects.requireNonNull(labels, "labels");
        int s = current();
        if (exemplarCount == exemplarTimestamps.length) {
            exemplarLabels = Arrays.copyOf(exemplarLabels, exemplarCount * 2);
            exemplarTimestamps = Arrays.copyOf(exemplarTimestamps, exemplarCount * 2);
            exemplarValues = Arrays.copyOf(exemplarValues, exemplarCount * 2);
        }
        exemplarLabels[exemplarCount] = labels;
        exemplarTimestamps[exemplarCount] = timestampMs;
        exemplarValues[exemplarCount] = value;
        exemplarCount++;
        exemplarEnd[s] = exemplarCount;
        return this;
    }

    /** Adds a metadata entry (written after all series, in field 3). */
    public WriteRequestEncoder metadata(MetricMetadata m) {
        metadata.add(Objects.requireNonNull(m, "metadata"));
        return this;
    }

    public int seriesCount() {
        return series.size();
    }

    public int sampleCount() {
        return sampleCount;
    }

    /** Forgets everything added, keeping buffers for reuse. */
    public WriteRequestEncoder reset() {
        series.clear();
        Arrays.fill(exemplarLabels, 0, exemplarCount, null);
        sampleCount = 0;
        exemplarCount = 0;
        metadata.clear();
        return this;
    }

    private int current() {
        if (series.isEmpty()) throw new IllegalStateException("startSeries must be called before adding samples or exemplars");
        return series.size() - 1;
    }

    /** The serialized {@code WriteRequest} (not compressed). */
    public byte[] encode() {
        int total = 0;
        for (int s = 0; s < series.size(); s++) {
            seriesSize[s] = timeSeriesSize(s);
            total += Wire.lenFieldSize(seriesSize[s]);
        }
        for (MetricMetadata m : metadata) total += Wire.lenFieldSize(metadataSize(m));
        byte[] out = new byte[total];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            for (int s = 0; s < series.size(); s++) writeTimeSeries(cos, s);
            for (MetricMetadata m : metadata) {
                Wire.writeLenTag(cos, 3, metadataSize(m));
                if (m.type().number() != 0) cos.writeEnum(1, m.type().number());
                Wire.writeString(cos, 2, m.metricFamilyName());
                Wire.writeString(cos, 4, m.help());
                Wire.writeString(cos, 5, m.unit());
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("size computation disagrees with output (bug)", e);
        }
        return out;
    }

    /** The serialized request compressed with snappy, ready to POST. */
    public byte[] encodeSnappy() {
        return Snappy.compress(encode());
    }

    private int sampleStart(int s) {
        return s == 0 ? 0 : sampleEnd[s - 1];
    }

    private int exemplarStart(int s) {
        return s == 0 ? 0 : exemplarEnd[s - 1];
    }

    private int timeSeriesSize(int s) {
        int size = LabelCollector.labelsFieldSize(series.get(s));
        for (int i = sampleStart(s); i < sampleEnd[s]; i++) size += Wire.lenFieldSize(sampleSize(timestamps[i], values[i]));
        for (int e = exemplarStart(s); e < exemplarEnd[s]; e++) size += Wire.lenFieldSize(exemplarSize(e));
        return size;
    }

    private static int sampleSize(long t, double v) {
        return Wire.doubleFieldSize(v) + Wire.int64FieldSize(t);
    }

    private int exemplarSize(int e) {
        return LabelCollector.labelsFieldSize(exemplarLabels[e]) + Wire.doubleFieldSize(exemplarValues[e])
                + Wire.int64FieldSize(exemplarTimestamps[e]);
    }

    private static int metadataSize(MetricMetadata m) {
        int n = m.type().number() == 0 ? 0 : 1 + CodedOutputStream.computeEnumSizeNoTag(m.type().number());
        return n + Wire.stringFieldSize(m.metricFamilyName()) + Wire.stringFieldSize(m.help()) + Wire.stringFieldSize(m.unit());
    }

    private void writeTimeSeries(CodedOutputStream cos, int s) throws IOException {
        Wire.writeLenTag(cos, 1, seriesSize[s]);
        LabelCollector.writeLabels(cos, 1, series.get(s));
        for (int i = sampleStart(s); i < sampleEnd[s]; i++) {
            Wire.writeLenTag(cos, 2, sampleSize(timestamps[i], values[i]));
            Wire.writeDouble(cos, 1, values[i]);
            Wire.writeInt64(cos, 2, timestamps[i]);
        }
        for (int e = exemplarStart(s); e < exemplarEnd[s]; e++) {
            Wire.writeLenTag(cos, 3, exemplarSize(e));
            LabelCollector.writeLabels(cos, 1, exemplarLabels[e]);
            Wire.writeDouble(cos, 2, exemplarValues[e]);
            Wire.writeInt64(cos, 3, exemplarTimestamps[e]);
        }
    }
}
