package io.tsdb4j.server;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.remote.WriteRequestEncoder;
import io.tsdb4j.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tsdb4j.server.ServerFixture.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same data remote-written into a real Prometheus 2.42 (with its remote-write receiver) and into us; then the
 * same API calls against both must give byte-identical JSON bodies and the same status codes: query, query_range,
 * series, labels, label values, including error answers.
 */
class PrometheusJsonCompatibilityTest {
    @TempDir
    static Path tmp;
    static PrometheusServer prom;
    static ServerFixture ours;
    static long t0;
    static long tEnd;

    @BeforeAll
    static void load() throws Exception {
        prom = PrometheusServer.start(tmp, "global:\n  scrape_interval: 1h\n", "--web.enable-remote-write-receiver");
        ours = new ServerFixture(tmp.resolve("ours"));
        // 20 minutes of 15 s samples ending a minute ago; the odd millisecond offset exercises fractional timestamps.
        t0 = (System.currentTimeMillis() / 60_000 - 21) * 60_000 + 123;
        WriteRequestEncoder enc = new WriteRequestEncoder();
        String[][] series = {
                {"__name__", "http_requests_total", "job", "api", "instance", "a:1", "code", "200"},
                {"__name__", "http_requests_total", "job", "api", "instance", "b:1", "code", "500"},
                {"__name__", "http_requests_total", "job", "web", "instance", "a:1", "code", "200"},
                {"__name__", "temperature", "job", "web", "room", "<kitchen> & \"hall\" \u00e9\u2028"},
                {"__name__", "tiny", "job", "api"},
                {"__name__", "huge", "job", "api"},
                {"__name__", "odd_values", "job", "api"},
        };
        for (int s = 0; s < series.length; s++) {
            enc.startSeries(Labels.of(series[s]));
            for (int i = 0; i <= 80; i++) {
                long t = t0 + i * 15_000L;
                double v;
                switch (s) {
                    case 0: case 1: case 2: v = i * (s + 1) * 1.5 + (i > 40 ? 0 : 3); break; // counter with a reset
                    case 3: v = 20 + Math.sin(i / 5.0); break;
                    case 4: v = 1.5e-7 * (i + 1); break;
                    case 5: v = 3e21 * (i + 1); break;
                    default: v = i % 4 == 0 ? Double.NaN : i % 4 == 1 ? Double.POSITIVE_INFINITY : i % 4 == 2 ? -0.0 : 0.1 * i; break;
                }
                enc.sample(t, v);
            }
        }
        byte[] body = enc.encodeSnappy();
        tEnd = t0 + 80 * 15_000L;
        HttpResponse<String> pr = ServerFixture.write(ours.http, prom.url() + "/api/v1/write", body);
        assertEquals(204, pr.statusCode(), "prometheus: " + pr.body());
        HttpResponse<String> or = ours.write("/api/v1/write", body);
        assertEquals(204, or.statusCode(), "ours: " + or.body());
    }

    @AfterAll
    static void stop() throws Exception {
        if (ours != null) ours.close();
        if (prom != null) prom.close();
    }

    private static String sec(long ms) {
        return ApiJson.timestamp(ms);
    }

    @Test
    void sameJsonForTheSameCalls() throws Exception {
        String end = sec(tEnd);
        String mid = sec(t0 + 10 * 60_000 + 7_500);
        String start = sec(t0);
        List<String> calls = new ArrayList<>(List.of(
                "/api/v1/query?query=" + enc("http_requests_total") + "&time=" + end,
                "/api/v1/query?query=" + enc("sum by (job) (rate(http_requests_total[5m]))") + "&time=" + end,
                "/api/v1/query?query=" + enc("temperature") + "&time=" + mid,
                "/api/v1/query?query=" + enc("tiny") + "&time=" + mid,
                "/api/v1/query?query=" + enc("huge") + "&time=" + mid,
                "/api/v1/query?query=" + enc("odd_values[1m]") + "&time=" + end,
                "/api/v1/query?query=" + enc("1 + 1") + "&time=" + mid,
                "/api/v1/query?query=" + enc("\"a string\"") + "&time=" + mid,
                "/api/v1/query?query=" + enc("scalar(tiny)") + "&time=2015-07-01T20:10:51.781Z",
                "/api/v1/query?query=" + enc("tiny") + "&time=" + java.time.Instant.ofEpochMilli(t0 + 300_000).toString(),
                "/api/v1/query?query=" + enc("http_requests_total offset 5m") + "&time=" + end,
                "/api/v1/query?query=" + enc("sum(") + "&time=" + end,
                "/api/v1/query?query=" + enc("rate(tiny)") + "&time=" + end,
                "/api/v1/query?query=" + enc("tiny") + "&time=yesterday",
                "/api/v1/query_range?query=" + enc("http_requests_total") + "&start=" + start + "&end=" + end + "&step=60",
                "/api/v1/query_range?query=" + enc("rate(http_requests_total[2m])") + "&start=" + start + "&end=" + end + "&step=1m",
                "/api/v1/query_range?query=" + enc("odd_values") + "&start=" + start + "&end=" + end + "&step=15.5",
                "/api/v1/query_range?query=" + enc("tiny * 2") + "&start=" + mid + "&end=" + end + "&step=30s",
                "/api/v1/query_range?query=" + enc("tiny") + "&start=" + start + "&end=" + end + "&step=0",
                "/api/v1/query_range?query=" + enc("tiny") + "&start=" + end + "&end=" + start + "&step=10",
                "/api/v1/query_range?query=" + enc("tiny") + "&start=0&end=86400&step=1",
                "/api/v1/query_range?query=" + enc("tiny") + "&start=abc&end=" + end + "&step=10",
                "/api/v1/query_range?query=" + enc("tiny") + "&start=" + start + "&end=" + end + "&step=x",
                "/api/v1/query_range?query=" + enc("sum(") + "&start=" + start + "&end=" + end + "&step=60",
                "/api/v1/query_range?query=" + enc("rate(tiny)") + "&start=" + start + "&end=" + end + "&step=60",
                "/api/v1/query_range?query=" + enc("tiny") + "&start=" + start + "&end=" + end + "&step=60&timeout=zz",
                "/api/v1/labels?match[]=" + enc("{job=~\".*\"}"),
                "/api/v1/labels?start=yesterday",
                "/api/v1/label/job/values?match[]=" + enc("{job=~\".*\"}"),
                "/api/v1/label/job/values?end=x",
                "/api/v1/series?match[]=tiny&start=x",
                "/api/v1/query_range?query=" + enc("tiny[5m]") + "&start=" + start + "&end=" + end + "&step=60",
                "/api/v1/series?match[]=" + enc("http_requests_total"),
                "/api/v1/series?match[]=" + enc("{job=\"web\"}") + "&match[]=" + enc("tiny") + "&start=" + start + "&end=" + end,
                "/api/v1/series?match[]=" + enc("http_requests_total{code=~\"5..\"}"),
                "/api/v1/series",
                "/api/v1/series?match[]=" + enc("{job=~\".*\"}"),
                "/api/v1/series?match[]=" + enc("{job=\"api\"") ,
                "/api/v1/labels",
                "/api/v1/labels?match[]=" + enc("temperature"),
                "/api/v1/labels?match[]=" + enc("tiny") + "&match[]=" + enc("http_requests_total"),
                "/api/v1/label/job/values",
                "/api/v1/label/__name__/values",
                "/api/v1/label/room/values",
                "/api/v1/label/instance/values?match[]=" + enc("http_requests_total{job=\"api\"}"),
                "/api/v1/label/nonexistent/values",
                "/api/v1/label/bad-name/values",
                "/api/v1/query_exemplars?query=tiny&start=" + start + "&end=" + end,
                "/api/v1/rules",
                "/api/v1/alerts"));
        List<String> diffs = new ArrayList<>();
        for (String call : calls) {
            HttpResponse<String> p = ours.http.send(HttpRequest.newBuilder(URI.create(prom.url() + call)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> o = ours.get(call);
            if (p.statusCode() != o.statusCode() || !p.body().equals(o.body())) {
                diffs.add(call + "\n  prometheus " + p.statusCode() + ": " + p.body() + "\n  tsdb4j     " + o.statusCode() + ": " + o.body());
            }
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " of " + calls.size() + " calls differ:\n" + String.join("\n", diffs));
    }

    @Test
    void postFormGivesTheSameAnswerAsGet() throws Exception {
        String form = "query=" + enc("sum(http_requests_total)") + "&start=" + sec(t0) + "&end=" + sec(tEnd) + "&step=120";
        HttpResponse<String> post = ours.postForm("/api/v1/query_range", form);
        HttpResponse<String> get = ours.get("/api/v1/query_range?" + form);
        assertEquals(200, post.statusCode(), post.body());
        assertEquals(get.body(), post.body());
        HttpResponse<String> promPost = ours.http.send(HttpRequest.newBuilder(URI.create(prom.url() + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(promPost.body(), post.body());
    }
}
