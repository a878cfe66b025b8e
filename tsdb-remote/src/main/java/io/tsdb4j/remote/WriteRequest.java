package io.tsdb4j.remote;

import io.tsdb4j.labels.Labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded remote-write {@code WriteRequest}, held in reusable primitive arrays so that decoding allocates
 * nothing per sample: fill it with {@link WriteRequestDecoder#decode}, read it, {@link #clear()} or decode into it
 * again. Series {@code s} owns samples {@code [sampleStart(s), sampleEnd(s))}, exemplars
 * {@code [exemplarStart(s), exemplarEnd(s))} and histograms {@code [histogramStart(s), histogramEnd(s))}.
 *
 * <pre>{@code
 * for (int s = 0; s < req.seriesCount(); s++) {
 *     Labels l = req.labels(s);
 *     for (int i = req.sampleStart(s); i < req.sampleEnd(s); i++) append(l, req.timestamp(i), req.value(i));
 * }
 * }</pre>
 *
 * <p>Values are kept bit-exact (stale markers stay {@code 0x7ff0000000000002}). Native histograms are validated
 * and counted, and only their timestamps are kept. Not thread-safe; the decoder fills it completely or leaves it
 * empty, so a request that fails to decode can never be half-applied.
 */
public final class WriteRequest {
    private Labels[] labels = new Labels[16];
    private int[] sampleEnd = new int[16];
    private int[] exemplarEnd = new int[16];
    private int[] histogramEnd = new int[16];
    private int seriesCount;

    private long[] timestamps = new long[64];
    private double[] values = new double[64];
    private int sampleCount;

    private Labels[] exemplarLabels = new Labels[4];
    private long[] exemplarTimestamps = new long[4];
    private double[] exemplarValues = new double[4];
    private int exemplarCount;

    private long[] histogramTimestamps = new long[4];
    private int histogramCount;

    private final List<MetricMetadata> metadata = new ArrayList<>();

    /** Empties the request, keeping its arrays for reuse. */
    public void clear() {
        Arrays.fill(labels, 0, seriesCount, null);
        Arrays.fill(exemplarLabels, 0, exemplarCount, null);
        seriesCount = 0;
        sampleCount = 0;
        exemplarCount = 0;
        histogramCount = 0;
        metadata.clear();
    }

    public int seriesCount() {
        return seriesCount;
    }

    /** The validated, sorted label set of series {@code s}. */
    public Labels labels(int s) {
        checkSeries(s);
        return labels[s];
    }

    public int sampleStart(int s) {
        checkSeries(s);
        return s == 0 ? 0 : sampleEnd[s - 1];
    }

    public int sampleEnd(int s) {
        checkSeries(s);
        return sampleEnd[s];
    }

    /** Total samples over all series. */
    public int sampleCount() {
        return sampleCount;
    }

    /** Timestamp (ms) of sample {@code i} (an index over all series). */
    public long timestamp(int i) {
        java.util.Objects.checkIndex(i, sampleCount);
        return timestamps[i];
    }

    /** Value of sample {@code i}, bit-exact as sent. */
    public double value(int i) {
        java.util.Objects.checkIndex(i, sampleCount);
        return values[i];
    }

    public int exemplarStart(int s) {
        checkSeries(s);
        return s == 0 ? 0 : exemplarEnd[s - 1];
    }

    public int exemplarEnd(int s) {
        checkSeries(s);
        return exemplarEnd[s];
    }

    public int exemplarCount() {
        return exemplarCount;
    }

    /** Labels of exemplar {@code e} (validated; may be empty). */
    public Labels exemplarLabels(int e) {
        java.util.Objects.checkIndex(e, exemplarCount);
        return exemplarLabels[e];
    }

    public long exemplarTimestamp(int e) {
        java.util.Objects.checkIndex(e, exemplarCount);
        return exemplarTimestamps[e];
    }

    public double exemplarValue(int e) {
        java.util.Objects.checkIndex(e, exemplarCount);
        return exemplarValues[e];
    }

    public int histogramStart(int s) {
        checkSeries(s);
        return s == 0 ? 0 : histogramEnd[s - 1];
    }

    public int histogramEnd(int s) {
        checkSeries(s);
        return histogramEnd[s];
    }

    public int histogramCount() {
        return histogramCount;
    }

    public long histogramTimestamp(int h) {
        java.util.Objects.checkIndex(h, histogramCount);
        return histogramTimestamps[h];
    }

    /** The metadata entries, in request order. The list is owned by this request: copy it to keep it. */
    public List<MetricMetadata> metadata() {
        return java.util.Collections.unmodifiableList(metadata);
    }

    private void checkSeries(int s) {
        java.util.Objects.checkIndex(s, seriesCount);
    }

    // ---- filled by WriteRequestDecoder ----

    void addSample(long t, double v) {
        if (sampleCount == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, sampleCount * 2);
            values = Arrays.copyOf(values, sampleCount * 2);
        }
        timestamps[sampleCount] = t;
        values[sampleCount] = v;
        sampleCount++;
    }

    void addExemplar(Labels l, long t, double v) {
        if (exemplarCount == exemplarTimestamps.length) {
            exemplarLabels = Arrays.copyOf(exemplarLabels, exemplarCount * 2);
            exemplarTimestamps = Arrays.copyOf(exemplarTimestamps, exemplarCount * 2);
            exemplarValues = Arrays.copyOf(exemplarValues, exemplarCount * 2);
        }
        exemplarLabels[exemplarCount] = l;
        exemplarTimestamps[exemplarCount] = t;
        exemplarValues[exemplarCount] = v;
        exemplarCount++;
    }

    void addHistogram(long t) {
        if (histogramCount == histogramTimestamps.length) histogramTimestamps = Arrays.copyOf(histogramTimestamps, histogramCount * 2);
        histogramTimestamps[histogramCount++] = t;
    }

    /** Closes the current series: everything added since the previous series belongs to it. */
    void endSeries(Labels l) {
        if (seriesCount == labels.length) {
            int n = seriesCount * 2;
            labels = Arrays.copyOf(labels, n);
            sampleEnd = Arrays.copyOf(sampleEnd, n);
            exemplarEnd = Arrays.copyOf(exemplarEnd, n);
            histogramEnd = Arrays.copyOf(histogramEnd, n);
        }
        labels[seriesCount] = l;
        sampleEnd[seriesCount] = sampleCount;
        exemplarEnd[seriesCount] = exemplarCount;
        histogramEnd[seriesCount] = histogramCount;
        seriesCount++;
    }

    void addMetadata(MetricMetadata m) {
        metadata.add(m);
    }

    @Override
    public String toString() {
        return "WriteRequest{series=" + seriesCount + ", samples=" + sampleCount + ", exemplars=" + exemplarCount
                + ", histograms=" + histogramCount + ", metadata=" + metadata.size() + "}";
    }
}
