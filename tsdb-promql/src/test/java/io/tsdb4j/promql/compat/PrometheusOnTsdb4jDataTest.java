package io.tsdb4j.promql.compat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tsdb4j.Appender;
import io.tsdb4j.Tsdb;
import io.tsdb4j.TsdbOptions;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.testing.Dirs;
import io.tsdb4j.promql.engine.Engine;
import io.tsdb4j.promql.engine.QueryResult;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Series;
import io.tsdb4j.testing.PrometheusServer;
import io.tsdb4j.text.GoFloat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A data directory written by tsdb4j (persisted blocks, WAL and memory-mapped head chunks) is opened by the real
 * Prometheus 2.42, which must answer a battery of range queries exactly as tsdb4j's engine answers them on the
 * same directory.
 */
class PrometheusOnTsdb4jDataTest {
    @TempDir
    Path tmp;

    static final List<String> QUERIES = List.of(
            "http_requests_total",
            "rate(http_requests_total[5m])",
            "sum by (job) (rate(http_requests_total[5m]))",
            "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[10m])))",
            "max_over_time(temperature[15m]) - min_over_time(temperature[15m])",
            "topk(3, temperature)",
            "count by (job) (http_requests_total > 500)",
            "avg(temperature) + on() group_left sum(rate(http_requests_total[1m]))",
            "delta(temperature[30m])",
            "changes(temperature[1h])");

    @Test
    void prometheusAnswersLikeTsdb4jOnTsdb4jsDirectory() throws Exception {
        Path ours = tmp.resolve("data");
        long now = System.currentTimeMillis() / 15_000 * 15_000;
        long start = now - 5 * 3_600_000L;
        Random rnd = new Random(11);
        try (Tsdb db = Tsdb.open(ours, TsdbOptions.defaults().withBlockRange(Duration.ofHours(1)))) {
            double[] counters = new double[12];
            for (long t = start; t <= now; t += 15_000) {
                Appender a = db.appender();
                for (int i = 0; i < 12; i++) {
                    counters[i] += rnd.nextInt(10);
                    a.append(Labels.of("__name__", "http_requests_total", "job", "j" + i % 3, "instance", "i" + i), t, counters[i]);
                    a.append(Labels.of("__name__", "temperature", "room", "r" + i), t, 20 + rnd.nextGaussian());
                }
                for (String le : new String[] {"0.1", "0.5", "1", "+Inf"}) {
                    a.append(Labels.of("__name__", "latency_bucket", "le", le), t, (t - start) / 1000.0 * (le.equals("0.1") ? 1 : le.equals("0.5") ? 3 : le.equals("1") ? 4 : 5));
                }
                a.commit();
            }
            db.compact();
            assertFalse(db.blocks().isEmpty(), "the directory has blocks as well as a head");
        }
        Path theirs = tmp.resolve("prom");
        Dirs.copyDataDir(ours, theirs);

        Engine engine = new Engine();
        try (Tsdb db = Tsdb.openReadOnly(ours);
             PrometheusServer prom = PrometheusServer.start(tmp, "global:\n  scrape_interval: 1h\n",
                     "--storage.tsdb.retention.time=100y", "--storage.tsdb.path=" + theirs)) {
            String log = prom.log();
            assertTrue(log.contains("On-disk memory mappable chunks replay completed"), log);
            for (String bad : List.of("level=error", "level=warn", "corrupt", "Deleting")) {
                assertFalse(log.toLowerCase().contains(bad.toLowerCase()), "Prometheus complained (" + bad + ") about our files:\n" + log);
            }
            HttpClient http = HttpClient.newHttpClient();
            long qs = start + 3_600_000, qe = now, step = 60_000;
            for (String q : QUERIES) {
                Map<String, Map<Long, String>> expected = prometheus(http, prom.url(), q, qs, qe, step);
                QueryResult r = engine.rangeQuery(db::querier, q, qs, qe, step);
                Map<String, Map<Long, String>> actual = new TreeMap<>();
                for (Series s : ((Matrix) r.value()).series()) {
                    Map<Long, String> points = new TreeMap<>();
                    for (int i = 0; i < s.size(); i++) points.put(s.timestamp(i), GoFloat.formatF(s.value(i)));
                    actual.put(s.metric().toString(), points);
                }
                assertFalse(expected.isEmpty(), "Prometheus returned data for " + q);
                assertEquals(expected, actual, q);
            }
        }
    }

    /** Prometheus's /api/v1/query_range answer as metric → (time ms → value string). */
    static Map<String, Map<Long, String>> prometheus(HttpClient http, String base, String q, long start, long end, long step) throws Exception {
        String url = base + "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&start=" + start / 1000.0 + "&end=" + end / 1000.0 + "&step=" + step / 1000.0;
        String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Map<Long, String>> out = new TreeMap<>();
        try (JsonParser p = new JsonFactory().createParser(body)) {
            // {"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[t,"v"],...]},...]}}
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("result")) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Labels.Builder lb = Labels.builder();
                        Map<Long, String> points = new TreeMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("metric")) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String n = p.currentName();
                                    p.nextToken();
                                    lb.set(n, p.getText());
                                }
                            } else if (f.equals("values")) {
                                while (p.nextToken() == JsonToken.START_ARRAY) {
                                    p.nextToken();
                                    long t = Math.round(p.getDoubleValue() * 1000);
                                    p.nextToken();
                                    points.put(t, p.getText());
                                    p.nextToken();
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                        out.put(lb.build().toString(), points);
                    }
                }
            }
        }
        assertTrue(body.contains("\"status\":\"success\""), body);
        return out;
    }
}
