package io.tsdb4j.server;

import io.tsdb4j.testing.PrometheusServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tsdb4j.server.ServerFixture.enc;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus 2.42 scrapes itself every second and remote-writes to us. We fix a time P that Prometheus has
 * already stored, then wait (polling, with a deadline) until our answers for data up to P equal Prometheus's own:
 * raw samples, series, a range query, label values, and metadata. Data up to P cannot change any more on either
 * side, so the comparison is exact and does not depend on timing.
 */
class PrometheusRemoteWriteTest {
    @TempDir
    Path tmp;

    @Test
    void ourApiAnswersLikePrometheusForWhatItRemoteWrote() throws Exception {
        try (ServerFixture ours = new ServerFixture(tmp.resolve("ours"))) {
            String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:%PORT%']\n"
                    + "remote_write:\n  - url: " + ours.url() + "/api/v1/write\n"
                    + "    queue_config:\n      batch_send_deadline: 1s\n      min_backoff: 50ms\n      max_backoff: 1s\n"
                    + "    metadata_config:\n      send_interval: 1s\n";
            PrometheusServer prom = PrometheusServer.start(tmp, config);
            try {
                prom.awaitScrapes(10, Duration.ofSeconds(60));
                long p = System.currentTimeMillis() - 1000;
                String at = ApiJson.timestamp(p);
                String from = ApiJson.timestamp(p - 8000);
                List<String> calls = List.of(
                        "/api/v1/query?query=" + enc("{__name__=~\"up|prometheus_tsdb_head_series|scrape_samples_scraped\"}[30s]") + "&time=" + at,
                        "/api/v1/query?query=" + enc("prometheus_http_requests_total[30s]") + "&time=" + at,
                        "/api/v1/query_range?query=" + enc("rate(prometheus_http_requests_total[5s])") + "&start=" + from + "&end=" + at + "&step=1",
                        "/api/v1/query_range?query=" + enc("up") + "&start=" + from + "&end=" + at + "&step=0.5",
                        "/api/v1/series?match[]=up&match[]=prometheus_build_info&end=" + at,
                        "/api/v1/label/job/values?match[]=up&end=" + at);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                List<String> diffs;
                do {
                    diffs = new ArrayList<>();
                    for (String call : calls) {
                        String expected = ours.http.send(HttpRequest.newBuilder(URI.create(prom.url() + call)).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        String actual = ours.get(call).body();
                        if (!expected.equals(actual)) diffs.add(call + "\n  prometheus: " + expected + "\n  tsdb4j:     " + actual);
                    }
                    if (diffs.isEmpty()) break;
                    Thread.sleep(200);
                } while (System.nanoTime() < deadline);
                assertTrue(diffs.isEmpty(), "still different after 60 s:\n" + String.join("\n", diffs));
                // The comparisons above are not vacuous: Prometheus's own samples arrived.
                assertTrue(ours.get(calls.get(0)).body().contains("\"prometheus_tsdb_head_series\""), ours.get(calls.get(0)).body());
                // Metadata comes in its own requests.
                while (!ours.get("/api/v1/metadata?metric=prometheus_tsdb_head_series").body().contains("\"type\":\"gauge\"")) {
                    if (System.nanoTime() > deadline) fail("no metadata received: " + ours.get("/api/v1/metadata").body());
                    Thread.sleep(200);
                }
            } finally {
                prom.close();
            }
        }
    }
}
