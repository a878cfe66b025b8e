package io.tsdb4j.remote;

import java.util.Objects;

/**
 * One {@code MetricMetadata} entry of a write request (experimental in the 1.0 spec; Prometheus 2.42 sends it
 * in separate requests). Strings are never null; absent ones are empty. Immutable.
 */
public record MetricMetadata(MetricType type, String metricFamilyName, String help, String unit) {
    public MetricMetadata {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(metricFamilyName, "metricFamilyName");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(unit, "unit");
    }
}
