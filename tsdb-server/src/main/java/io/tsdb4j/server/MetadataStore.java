package io.tsdb4j.server;

import io.tsdb4j.remote.MetricMetadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Metric metadata received by remote write, kept in memory only (lost on restart, as Prometheus's metadata is
 * scraped again) for {@code /api/v1/metadata}. Per metric family the distinct (type, help, unit) triples are kept,
 * newest last, at most {@link #MAX_PER_METRIC}; at most {@link #MAX_METRICS} families. Thread-safe.
 */
final class MetadataStore {
    static final int MAX_PER_METRIC = 10;
    static final int MAX_METRICS = 100_000;

    record Entry(String type, String help, String unit) {}

    private final Map<String, Set<Entry>> byMetric = new TreeMap<>();

    synchronized void add(MetricMetadata m) {
        if (m.metricFamilyName().isEmpty()) return;
        Set<Entry> set = byMetric.get(m.metricFamilyName());
        if (set == null) {
            if (byMetric.size() >= MAX_METRICS) return;
            set = new LinkedHashSet<>();
            byMetric.put(m.metricFamilyName(), set);
        }
        Entry e = new Entry(m.type().name().toLowerCase(java.util.Locale.ROOT), m.help(), m.unit());
        set.remove(e);
        set.add(e);
        while (set.size() > MAX_PER_METRIC) {
            set.remove(set.iterator().next());
        }
    }

    /** A sorted copy: metric name to its entries (only {@code metric} if not empty), at most {@code limit} metrics if {@code limit >= 0}. */
    synchronized Map<String, List<Entry>> snapshot(String metric, int limit) {
        Map<String, List<Entry>> out = new TreeMap<>();
        for (Map.Entry<String, Set<Entry>> e : byMetric.entrySet()) {
            if (!metric.isEmpty() && !metric.equals(e.getKey())) continue;
            if (limit >= 0 && out.size() >= limit) break;
            out.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        return out;
    }
}
