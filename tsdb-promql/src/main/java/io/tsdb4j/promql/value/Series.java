package io.tsdb4j.promql.value;

import io.tsdb4j.labels.Labels;

import java.util.Arrays;

/**
 * One series of a range result: a label set and its float points in increasing time order, held in two parallel
 * primitive arrays (no per-point objects). Immutable: the arrays are owned by this object and never exposed.
 */
public final class Series {
    private final Labels metric;
    private final long[] timestamps;
    private final double[] values;

    /** Takes ownership of the first {@code size} entries of both arrays. */
    public Series(Labels metric, long[] timestamps, double[] values, int size) {
        this.metric = metric;
        this.timestamps = size == timestamps.length ? timestamps : Arrays.copyOf(timestamps, size);
        this.values = size == values.length ? values : Arrays.copyOf(values, size);
    }

    public Labels metric() {
        return metric;
    }

    public int size() {
        return timestamps.length;
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** Index of the point at exactly {@code t}, or -1. */
    public int indexOf(long t) {
        int i = Arrays.binarySearch(timestamps, t);
        return i >= 0 ? i : -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(metric).append(" =>");
        for (int i = 0; i < timestamps.length; i++) {
            sb.append(' ').append(Sample.formatValue(values[i])).append(" @[").append(timestamps[i]).append(']');
        }
        return sb.toString();
    }
}
