package io.tsdb4j.promql.value;

import io.tsdb4j.labels.Labels;

/** One element of an instant vector: a label set with one value at time {@code t} (milliseconds). */
public record Sample(Labels metric, long t, double v) {
    /** Prometheus's formatting of floats in text output: shortest round-trip form, {@code +Inf}, {@code NaN}. */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    @Override
    public String toString() {
        return metric + " => " + formatValue(v) + " @[" + t + "]";
    }
}
