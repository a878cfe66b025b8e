package io.tsdb4j.remote;

/** {@code MetricMetadata.MetricType} of prompb/types.proto, with its wire numbers. */
public enum MetricType {
    UNKNOWN(0), COUNTER(1), GAUGE(2), HISTOGRAM(3), GAUGEHISTOGRAM(4), SUMMARY(5), INFO(6), STATESET(7);

    private static final MetricType[] BY_NUMBER = values();

    private final int number;

    MetricType(int number) {
        this.number = number;
    }

    /** The protobuf enum number. */
    public int number() {
        return number;
    }

    /** The type with wire number {@code n}; numbers this version does not know map to {@link #UNKNOWN}. */
    public static MetricType forNumber(int n) {
        return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[n] : UNKNOWN;
    }
}
