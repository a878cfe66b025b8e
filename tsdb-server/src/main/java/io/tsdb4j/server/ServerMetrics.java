package io.tsdb4j.server;

import io.tsdb4j.Tsdb;
import io.tsdb4j.head.HeadStats;
import io.tsdb4j.text.GoFloat;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's own metrics, exposed on {@code /metrics} in the Prometheus text format 0.0.4. Thread-safe; counters
 * are {@link LongAdder}s so the write path never contends on them.
 */
final class ServerMetrics {
    /** Latency buckets in seconds (Prometheus's default histogram buckets plus finer ones for fsync). */
    private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    final LongAdder writeSamplesReceived = new LongAdder();
    final LongAdder writeSamplesRejected = new LongAdder();
    final LongAdder writeExemplarsIgnored = new LongAdder();
    final LongAdder writeHistogramsIgnored = new LongAdder();
    final LongAdder writeMetadataReceived = new LongAdder();
    private final Map<String, LongAdder> writeRequestsRefused = new ConcurrentHashMap<>();
    final Histogram commitDuration = new Histogram();
    private final Map<String, Histogram> queryDuration = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> httpRequests = new ConcurrentHashMap<>();
    private final long startMillis = System.currentTimeMillis();

    void refusedWrite(String reason) {
        writeRequestsRefused.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    Histogram queryDuration(String type) {
        return queryDuration.computeIfAbsent(type, k -> new Histogram());
    }

    void httpRequest(String handler, int code) {
        httpRequests.computeIfAbsent(handler + "\u0000" + code, k -> new LongAdder()).increment();
    }

    /** A cumulative latency histogram in seconds. */
    static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void observeNanos(long nanos) {
            double s = nanos / 1e9;
            for (int i = 0; i < BUCKETS.length; i++) {
                if (s <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(s);
        }

        void write(StringBuilder sb, String name, String labels) {
            long cum = 0;
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < BUCKETS.length; i++) {
                cum += counts[i].sum();
                sb.append(name).append("_bucket{").append(sep).append("le=\"").append(GoFloat.formatG(BUCKETS[i])).append("\"} ").append(cum).append('\n');
            }
            long total = count.sum();
            sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(total).append('\n');
            String l = labels.isEmpty() ? "" : "{" + labels + "}";
            sb.append(name).append("_sum").append(l).append(' ').append(GoFloat.formatG(sum.sum())).append('\n');
            sb.append(name).append("_count").append(l).append(' ').append(total).append('\n');
        }
    }

    /** The exposition text. */
    String render(Tsdb db, int inFlightWrites) {
        StringBuilder sb = new StringBuilder(4096);
        HeadStats s = db.headStats();
        family(sb, "tsdb4j_build_info", "gauge", "tsdb4j build information.");
        sb.append("tsdb4j_build_info{version=\"").append(BuildInfo.version()).append("\",java_version=\"").append(System.getProperty("java.version")).append("\"} 1\n");
        metric(sb, "tsdb4j_start_time_seconds", "gauge", "Start time of the server in seconds since the epoch.", ApiJson.timestamp(startMillis));
        metric(sb, "tsdb4j_head_series", "gauge", "Series in the head block.", db.head().numSeries());
        metric(sb, "tsdb4j_head_series_created_total", "counter", "Series created in the head.", s.seriesCreated());
        metric(sb, "tsdb4j_head_samples_appended_total", "counter", "Samples stored in the head (all sources).", s.samplesAppended());
        family(sb, "tsdb4j_head_samples_rejected_total", "counter", "Samples the head refused, by reason.");
        sb.append("tsdb4j_head_samples_rejected_total{reason=\"duplicate_timestamp\"} ").append(s.duplicateSamples()).append('\n');
        sb.append("tsdb4j_head_samples_rejected_total{reason=\"out_of_order\"} ").append(s.outOfOrderSamples()).append('\n');
        sb.append("tsdb4j_head_samples_rejected_total{reason=\"too_old\"} ").append(s.tooOldSamples()).append('\n');
        metric(sb, "tsdb4j_head_commits_total", "counter", "Appender commits.", s.commits());
        metric(sb, "tsdb4j_storage_writes_refused", "gauge",
                "1 when the database refuses writes after a storage failure (a WAL write or fsync failed); restart to recover.",
                db.writeFailure().isPresent() ? 1 : 0);
        metric(sb, "tsdb4j_remote_write_samples_received_total", "counter", "Samples received in decoded remote-write requests.", writeSamplesReceived.sum());
        metric(sb, "tsdb4j_remote_write_samples_rejected_total", "counter", "Remote-write samples not stored (out of order, too old, duplicate, invalid series).", writeSamplesRejected.sum());
        metric(sb, "tsdb4j_remote_write_exemplars_ignored_total", "counter", "Exemplars received and not stored (exemplar storage is not implemented).", writeExemplarsIgnored.sum());
        metric(sb, "tsdb4j_remote_write_histograms_ignored_total", "counter", "Native histogram samples received and not stored.", writeHistogramsIgnored.sum());
        metric(sb, "tsdb4j_remote_write_metadata_received_total", "counter", "Metric metadata entries received.", writeMetadataReceived.sum());
        family(sb, "tsdb4j_remote_write_requests_refused_total", "counter", "Remote-write requests refused before appending, by reason.");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(writeRequestsRefused).entrySet()) {
            sb.append("tsdb4j_remote_write_requests_refused_total{reason=\"").append(e.getKey()).append("\"} ").append(e.getValue().sum()).append('\n');
        }
        metric(sb, "tsdb4j_remote_write_in_flight_requests", "gauge", "Remote-write requests being processed.", inFlightWrites);
        family(sb, "tsdb4j_commit_duration_seconds", "histogram",
                "Latency of appender commits on the write path, WAL write and fsync included (with storage.sync_policy=commit this is the fsync latency seen by writers).");
        commitDuration.write(sb, "tsdb4j_commit_duration_seconds", "");
        family(sb, "tsdb4j_query_duration_seconds", "histogram", "PromQL query latency, by query type.");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(queryDuration).entrySet()) {
            e.getValue().write(sb, "tsdb4j_query_duration_seconds", "type=\"" + e.getKey() + "\"");
        }
        family(sb, "tsdb4j_http_requests_total", "counter", "HTTP requests by handler and response code.");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(httpRequests).entrySet()) {
            String[] hc = e.getKey().split("\u0000", 2);
            sb.append("tsdb4j_http_requests_total{code=\"").append(hc[1]).append("\",handler=\"").append(hc[0]).append("\"} ").append(e.getValue().sum()).append('\n');
        }
        Runtime rt = Runtime.getRuntime();
        metric(sb, "tsdb4j_jvm_heap_used_bytes", "gauge", "JVM heap in use.", rt.totalMemory() - rt.freeMemory());
        metric(sb, "tsdb4j_jvm_heap_max_bytes", "gauge", "JVM maximum heap.", rt.maxMemory());
        return sb.toString();
    }

    /** A family of one unlabelled sample. */
    private static void metric(StringBuilder sb, String name, String type, String help, long value) {
        metric(sb, name, type, help, Long.toString(value));
    }

    private static void metric(StringBuilder sb, String name, String type, String help, String value) {
        family(sb, name, type, help);
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void family(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
