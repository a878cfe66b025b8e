package io.tsdb4j.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tsdb4j.Querier;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.Tsdb;
import io.tsdb4j.head.Head;
import io.tsdb4j.head.SeriesSnapshot;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.promql.engine.Engine;
import io.tsdb4j.promql.engine.EngineOptions;
import io.tsdb4j.promql.engine.PromQLException;
import io.tsdb4j.promql.engine.QueryResult;
import io.tsdb4j.promql.parser.PromQLParser;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Sample;
import io.tsdb4j.promql.value.Scalar;
import io.tsdb4j.promql.value.Series;
import io.tsdb4j.promql.value.StringValue;
import io.tsdb4j.promql.value.Value;
import io.tsdb4j.promql.value.Vector;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The read side of Prometheus 2.42's HTTP API ({@code /api/v1/query}, {@code query_range}, {@code series},
 * {@code labels}, {@code label/<name>/values}, {@code metadata}, {@code status/*}), with the same parameters, JSON
 * shapes, error texts and status codes. Thread-safe.
 */
final class QueryApi {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Comparator<String> UTF8 = Labels::compareUtf8;

    private final Tsdb db;
    private final ServerConfig cfg;
    private final ServerMetrics metrics;
    private final MetadataStore metadata;
    private final EngineOptions engineOptions;
    private final Engine engine;
    private final Semaphore queryPermits;
    private final Instant startTime = Instant.now();

    QueryApi(Tsdb db, ServerConfig cfg, ServerMetrics metrics, MetadataStore metadata) {
        this.db = db;
        this.cfg = cfg;
        this.metrics = metrics;
        this.metadata = metadata;
        this.engineOptions = EngineOptions.DEFAULTS.withLookbackDelta(cfg.lookbackDelta())
                .withMaxSamples(cfg.queryMaxSamples()).withTimeout(cfg.queryTimeout());
        this.engine = new Engine(engineOptions);
        this.queryPermits = new Semaphore(cfg.queryMaxConcurrent(), true);
    }

    private Engine engineFor(Request r) throws IOException {
        String to = r.get("timeout");
        if (to.isEmpty()) return engine;
        long ns;
        try {
            ns = ApiParams.parseDurationNanos(to);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParam("timeout", e.getMessage());
        }
        Duration d = Duration.ofNanos(ns);
        Duration max = cfg.queryTimeout();
        if (!max.isZero() && d.compareTo(max) > 0) return engine;
        if (d.isNegative() || d.isZero()) d = Duration.ofNanos(1);
        return new Engine(engineOptions.withTimeout(d));
    }

    void query(Request r) throws IOException {
        long ts = ApiParams.timeParam(r, "time", System.currentTimeMillis());
        Engine eng = engineFor(r);
        Engine.Query q;
        try {
            q = eng.newInstantQuery(db::querier, r.get("query"), ts);
        } catch (PromQLException e) {
            throw ApiError.invalidParam("query", e.getMessage());
        }
        QueryResult res = execute(q, "instant");
        Responses.success(r.exchange, g -> writeQueryData(g, res.value()));
    }

    void queryRange(Request r) throws IOException {
        long start;
        long end;
        try {
            start = ApiParams.parseTime(r.get("start"));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParam("start", e.getMessage());
        }
        try {
            end = ApiParams.parseTime(r.get("end"));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParam("end", e.getMessage());
        }
        if (end < start) throw ApiError.invalidParam("end", "end timestamp must not be before start time");
        long stepNs;
        try {
            stepNs = ApiParams.parseDurationNanos(r.get("step"));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParam("step", e.getMessage());
        }
        if (stepNs <= 0) {
            throw ApiError.invalidParam("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        // Prometheus: end.Sub(start)/step > 11000, in nanoseconds.
        BigInteger points = BigInteger.valueOf(end).subtract(BigInteger.valueOf(start)).multiply(BigInteger.valueOf(1_000_000))
                .divide(BigInteger.valueOf(stepNs));
        if (points.compareTo(BigInteger.valueOf(11000)) > 0) {
            throw ApiError.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        Engine eng = engineFor(r);
        long stepMs = stepNs / 1_000_000;
        Engine.Query q;
        try {
            q = eng.newRangeQuery(db::querier, r.get("query"), start, end, stepMs);
        } catch (PromQLException e) {
            throw ApiError.badData(e.getMessage()); // Prometheus 2.42: no "invalid parameter" prefix here
        }
        QueryResult res = execute(q, "range");
        Responses.success(r.exchange, g -> writeQueryData(g, res.value()));
    }

    private QueryResult execute(Engine.Query q, String type) {
        long t0 = System.nanoTime();
        boolean acquired;
        try {
            long waitMs = cfg.queryTimeout().isZero() ? Long.MAX_VALUE : cfg.queryTimeout().toMillis();
            acquired = queryPermits.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError("canceled", "query was canceled while queued");
        }
        if (!acquired) throw new ApiError("timeout", "query timed out in query queue");
        try {
            return q.execute();
        } catch (PromQLException e) {
            throw new ApiError(e.type().wireName(), e.getMessage());
        } finally {
            queryPermits.release();
            metrics.queryDuration(type).observeNanos(System.nanoTime() - t0);
        }
    }

    static void writeQueryData(JsonGenerator g, Value v) throws IOException {
        g.writeStartObject();
        g.writeStringField("resultType", v.type().toString().toLowerCase(java.util.Locale.ROOT));
        g.writeFieldName("result");
        if (v instanceof Vector vec) {
            g.writeStartArray();
            for (Sample s : vec.samples()) {
                g.writeStartObject();
                g.writeFieldName("metric");
                ApiJson.writeLabels(g, s.metric());
                g.writeFieldName("value");
                ApiJson.writePoint(g, s.t(), s.v());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (v instanceof Matrix m) {
            g.writeStartArray();
            for (Series s : m.series()) {
                g.writeStartObject();
                g.writeFieldName("metric");
                ApiJson.writeLabels(g, s.metric());
                g.writeFieldName("values");
                g.writeStartArray();
                for (int i = 0; i < s.size(); i++) ApiJson.writePoint(g, s.timestamp(i), s.value(i));
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (v instanceof Scalar s) {
            ApiJson.writePoint(g, s.t(), s.v());
        } else if (v instanceof StringValue s) {
            g.writeStartArray();
            ApiJson.writeTimestamp(g, s.t());
            g.writeString(s.v());
            g.writeEndArray();
        } else {
            throw new IllegalStateException("unknown value type " + v.getClass());
        }
        g.writeEndObject();
    }

    /** The {@code match[]} parameters as matcher sets; a bad one is an invalid-parameter error. */
    static List<Matcher[]> matchSets(Request r) throws IOException {
        List<Matcher[]> sets = new ArrayList<>();
        for (String s : r.all("match[]")) {
            try {
                sets.add(PromQLParser.parseMetricSelector(s).toArray(new Matcher[0]));
            } catch (RuntimeException e) {
                throw ApiError.invalidParam("match[]", e.getMessage());
            }
        }
        return sets;
    }

    void series(Request r) throws IOException {
        if (r.all("match[]").isEmpty()) throw ApiError.badData("no match[] parameter provided");
        long start = ApiParams.timeParam(r, "start", ApiParams.MIN_TIME);
        long end = ApiParams.timeParam(r, "end", ApiParams.MAX_TIME);
        List<Matcher[]> sets = matchSets(r);
        for (Matcher[] ms : sets) {
            if (java.util.Arrays.stream(ms).allMatch(Matcher::matchesEmpty)) {
                throw ApiError.invalidParam("match[]", "match[] must contain at least one non-empty matcher");
            }
        }
        TreeSet<Labels> all = new TreeSet<>();
        try (Querier q = db.querier(start, end)) {
            for (Matcher[] ms : sets) {
                SeriesSet ss = q.select(ms);
                while (ss.next()) all.add(ss.at().labels());
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.badData(e.getMessage());
        }
        Responses.success(r.exchange, g -> {
            g.writeStartArray();
            for (Labels l : all) ApiJson.writeLabels(g, l);
            g.writeEndArray();
        });
    }

    void labelNames(Request r) throws IOException {
        long start = ApiParams.timeParam(r, "start", ApiParams.MIN_TIME);
        long end = ApiParams.timeParam(r, "end", ApiParams.MAX_TIME);
        List<Matcher[]> sets = matchSets(r);
        requireNonEmptyMatcher(sets);
        TreeSet<String> names = new TreeSet<>(UTF8);
        try (Querier q = db.querier(start, end)) {
            if (sets.isEmpty()) names.addAll(q.labelNames());
            for (Matcher[] ms : sets) names.addAll(q.labelNames(ms));
        } catch (IllegalArgumentException e) {
            throw ApiError.badData(e.getMessage());
        }
        Responses.success(r.exchange, g -> writeStrings(g, names));
    }

    void labelValues(Request r, String name) throws IOException {
        if (!LABEL_NAME.matcher(name).matches()) throw ApiError.badData("invalid label name: \"" + name + "\"");
        long start = ApiParams.timeParam(r, "start", ApiParams.MIN_TIME);
        long end = ApiParams.timeParam(r, "end", ApiParams.MAX_TIME);
        List<Matcher[]> sets = matchSets(r);
        requireNonEmptyMatcher(sets);
        TreeSet<String> values = new TreeSet<>(UTF8);
        try (Querier q = db.querier(start, end)) {
            if (sets.isEmpty()) values.addAll(q.labelValues(name));
            for (Matcher[] ms : sets) values.addAll(q.labelValues(name, ms));
        } catch (IllegalArgumentException e) {
            throw ApiError.badData(e.getMessage());
        }
        Responses.success(r.exchange, g -> writeStrings(g, values));
    }

    /** The labels and label-values endpoints check what series does, with a shorter message (as in 2.42). */
    private static void requireNonEmptyMatcher(List<Matcher[]> sets) {
        for (Matcher[] ms : sets) {
            if (java.util.Arrays.stream(ms).allMatch(Matcher::matchesEmpty)) {
                throw ApiError.badData("match[] must contain at least one non-empty matcher");
            }
        }
    }

    private static void writeStrings(JsonGenerator g, Iterable<String> values) throws IOException {
        g.writeStartArray();
        for (String s : values) g.writeString(s);
        g.writeEndArray();
    }

    void metadata(Request r) throws IOException {
        int limit = -1;
        String ls = r.get("limit");
        if (!ls.isEmpty()) {
            try {
                limit = Integer.parseInt(ls);
            } catch (NumberFormatException e) {
                throw ApiError.badData("limit must be a number");
            }
        }
        Map<String, List<MetadataStore.Entry>> snap = metadata.snapshot(r.get("metric"), limit);
        Responses.success(r.exchange, g -> {
            g.writeStartObject();
            for (Map.Entry<String, List<MetadataStore.Entry>> e : snap.entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeStartArray();
                for (MetadataStore.Entry m : e.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("type", m.type());
                    g.writeStringField("help", m.help());
                    g.writeStringField("unit", m.unit());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    void statusTsdb(Request r) throws IOException {
        Head head = db.head();
        Map<String, Long> byMetric = new HashMap<>();
        Map<String, Long> byPair = new HashMap<>();
        Map<String, Long> memByName = new HashMap<>();
        Map<String, java.util.Set<String>> valuesByName = new HashMap<>();
        head.forEachSeries((ref, labels) -> {
            for (int i = 0; i < labels.size(); i++) {
                String n = labels.name(i);
                String v = labels.value(i);
                if (n.equals(Labels.METRIC_NAME)) byMetric.merge(v, 1L, Long::sum);
                byPair.merge(n + "=" + v, 1L, Long::sum);
                if (valuesByName.computeIfAbsent(n, k -> new java.util.HashSet<>()).add(v)) {
                    memByName.merge(n, (long) v.length(), Long::sum);
                }
            }
        });
        Map<String, Long> valueCount = new HashMap<>();
        long pairs = 0;
        for (Map.Entry<String, java.util.Set<String>> e : valuesByName.entrySet()) {
            valueCount.put(e.getKey(), (long) e.getValue().size());
            pairs += e.getValue().size();
        }
        long chunks = 0;
        for (SeriesSnapshot s : head.snapshotAll()) chunks += s.numChunks();
        long numPairs = pairs;
        long numChunks = chunks;
        long numSeries = head.numSeries();
        long minT = numSeries == 0 ? Long.MAX_VALUE : head.minTime();
        long maxT = numSeries == 0 ? Long.MIN_VALUE : head.maxTime();
        Responses.success(r.exchange, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("headStats");
            g.writeNumberField("numSeries", numSeries);
            g.writeNumberField("numLabelPairs", numPairs);
            g.writeNumberField("chunkCount", numChunks);
            g.writeNumberField("minTime", minT);
            g.writeNumberField("maxTime", maxT);
            g.writeEndObject();
            writeTop(g, "seriesCountByMetricName", byMetric);
            writeTop(g, "labelValueCountByLabelName", valueCount);
            writeTop(g, "memoryInBytesByLabelName", memByName);
            writeTop(g, "seriesCountByLabelValuePair", byPair);
            g.writeEndObject();
        });
    }

    private static void writeTop(JsonGenerator g, String field, Map<String, Long> m) throws IOException {
        List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
        l.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        g.writeArrayFieldStart(field);
        for (int i = 0; i < Math.min(10, l.size()); i++) {
            g.writeStartObject();
            g.writeStringField("name", l.get(i).getKey());
            g.writeNumberField("value", l.get(i).getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    void buildInfo(Request r) throws IOException {
        Responses.success(r.exchange, g -> {
            g.writeStartObject();
            // Clients (Grafana) gate features on the Prometheus version; we report the API version we implement.
            g.writeStringField("version", BuildInfo.PROMETHEUS_COMPAT_VERSION);
            g.writeStringField("revision", "tsdb4j-" + BuildInfo.version());
            g.writeStringField("branch", "tsdb4j");
            g.writeStringField("buildUser", "tsdb4j");
            g.writeStringField("buildDate", "");
            g.writeStringField("goVersion", "java" + System.getProperty("java.version"));
            g.writeStringField("application", "tsdb4j");
            g.writeEndObject();
        });
    }

    void runtimeInfo(Request r) throws IOException {
        Responses.success(r.exchange, g -> {
            g.writeStartObject();
            g.writeStringField("startTime", DateTimeFormatter.ISO_INSTANT.format(startTime));
            g.writeStringField("CWD", Path.of("").toAbsolutePath().toString());
            g.writeBooleanField("reloadConfigSuccess", true);
            g.writeStringField("lastConfigTime", DateTimeFormatter.ISO_INSTANT.format(startTime));
            g.writeNumberField("corruptionCount", 0);
            g.writeNumberField("goroutineCount", Thread.activeCount());
            g.writeNumberField("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
            g.writeStringField("GOGC", "");
            g.writeStringField("GODEBUG", "");
            g.writeStringField("storageRetention", formatRetention(cfg.retention()));
            g.writeEndObject();
        });
    }

    private static String formatRetention(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        if (ms % 86_400_000L == 0) return (ms / 86_400_000L) + "d";
        if (ms % 3_600_000L == 0) return (ms / 3_600_000L) + "h";
        if (ms % 60_000L == 0) return (ms / 60_000L) + "m";
        if (ms % 1000L == 0) return (ms / 1000L) + "s";
        return ms + "ms";
    }

    void config(Request r) throws IOException {
        Responses.success(r.exchange, g -> {
            g.writeStartObject();
            g.writeStringField("yaml", cfg.toYaml());
            g.writeEndObject();
        });
    }

    void flags(Request r) throws IOException {
        Responses.success(r.exchange, g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : cfg.toMap().entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
        });
    }
}
