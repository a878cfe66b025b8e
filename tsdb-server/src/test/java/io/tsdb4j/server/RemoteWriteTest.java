package io.tsdb4j.server;

import io.tsdb4j.Querier;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.remote.MetricMetadata;
import io.tsdb4j.remote.MetricType;
import io.tsdb4j.remote.RemoteHeaders;
import io.tsdb4j.remote.WriteRequestEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteWriteTest {
    @TempDir
    Path tmp;

    private static List<long[]> samples(ServerFixture f, Matcher... ms) {
        List<long[]> out = new ArrayList<>();
        try (Querier q = f.db().querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(ms);
            while (set.next()) {
                SampleIterator it = set.at().iterator();
                while (it.next()) out.add(new long[] {it.t(), (long) it.v()});
            }
        }
        return out;
    }

    @Test
    void allAcceptedIs204AndQueryable() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            byte[] body = new WriteRequestEncoder().startSeries(Labels.of("__name__", "up", "job", "a"))
                    .sample(1000, 1).sample(2000, 2).encodeSnappy();
            HttpResponse<String> r = f.write("/api/v1/write", body);
            assertEquals(204, r.statusCode(), r.body());
            assertEquals(List.of(1000L, 2000L), samples(f, Matcher.equal("__name__", "up")).stream().map(s -> s[0]).toList());
        }
    }

    @Test
    void outOfOrderSamplesAreNamedAndTheRestCommitted() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            assertEquals(204, f.write("/api/v1/write", new WriteRequestEncoder()
                    .startSeries(Labels.of("__name__", "a", "job", "x")).sample(10_000, 1).encodeSnappy()).statusCode());
            byte[] mixed = new WriteRequestEncoder()
                    .startSeries(Labels.of("__name__", "a", "job", "x")).sample(5_000, 2).sample(6_000, 3).sample(11_000, 4)
                    .startSeries(Labels.of("__name__", "b", "job", "x")).sample(5_000, 5)
                    .encodeSnappy();
            HttpResponse<String> r = f.write("/api/v1/write", mixed);
            assertEquals(400, r.statusCode());
            assertTrue(r.body().startsWith("2 of 4 samples rejected, 2 stored:"), r.body());
            assertTrue(r.body().contains("out of order sample for {__name__=\"a\", job=\"x\"}: t=5000"), r.body());
            assertTrue(r.body().contains("t=6000"), r.body());
            assertEquals(List.of(10_000L, 11_000L), samples(f, Matcher.equal("__name__", "a")).stream().map(s -> s[0]).toList());
            assertEquals(List.of(5_000L), samples(f, Matcher.equal("__name__", "b")).stream().map(s -> s[0]).toList());
        }
    }

    @Test
    void longRejectionListsAreCappedAndCounted() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            assertEquals(204, f.write("/api/v1/write", new WriteRequestEncoder()
                    .startSeries(Labels.of("__name__", "a")).sample(1_000_000, 1).encodeSnappy()).statusCode());
            WriteRequestEncoder enc = new WriteRequestEncoder().startSeries(Labels.of("__name__", "a"));
            for (int i = 0; i < 50; i++) enc.sample(i, i);
            HttpResponse<String> r = f.write("/api/v1/write", enc.encodeSnappy());
            assertEquals(400, r.statusCode());
            String[] lines = r.body().split("\n");
            assertEquals(1 + RemoteWriteHandler.MAX_LISTED_REJECTIONS + 1, lines.length, r.body());
            assertEquals("... and 40 more", lines[lines.length - 1]);
        }
    }

    @Test
    void tenantEndpointAddsTheTenantLabel() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            byte[] body = new WriteRequestEncoder().startSeries(Labels.of("__name__", "up", "tenant", "spoofed")).sample(1000, 1).encodeSnappy();
            assertEquals(204, f.write("/api/acme%20corp/prometheus/api/v1/write", body).statusCode());
            assertEquals(204, f.write("/api/other/prometheus/api/v1/write", body).statusCode());
            HttpResponse<String> series = f.get("/api/v1/series?match[]=up");
            assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"tenant\":\"acme corp\"},"
                    + "{\"__name__\":\"up\",\"tenant\":\"other\"}]}", series.body());
            // Later requests for a known series (its tenant label set now cached) land in the same series.
            byte[] later = new WriteRequestEncoder().startSeries(Labels.of("__name__", "up", "tenant", "spoofed")).sample(2000, 2).encodeSnappy();
            assertEquals(204, f.write("/api/acme%20corp/prometheus/api/v1/write", later).statusCode());
            assertEquals(204, f.write("/api/other/prometheus/api/v1/write", later).statusCode());
            HttpResponse<String> r = f.get("/api/v1/query?query=count_over_time(up%5B1m%5D)&time=2");
            assertTrue(r.body().contains("{\"metric\":{\"tenant\":\"acme corp\"},\"value\":[2,\"2\"]}"), r.body());
            assertTrue(r.body().contains("{\"metric\":{\"tenant\":\"other\"},\"value\":[2,\"2\"]}"), r.body());
        }
    }

    @Test
    void undecodableBodyIs400AndCommitsNothing() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            byte[] good = new WriteRequestEncoder().startSeries(Labels.of("__name__", "x")).sample(1, 1).encodeSnappy();
            byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
            HttpResponse<String> r = f.write("/api/v1/write", truncated);
            assertEquals(400, r.statusCode());
            assertTrue(r.body().startsWith("cannot decode remote-write request: "), r.body());
            assertEquals(0, f.db().head().numSeries());
        }
    }

    @Test
    void limitsOnSamplesAndBodySize() throws Exception {
        ServerConfig cfg = ServerConfig.defaults().set("data_dir", tmp.toString())
                .set("write.max_samples_per_request", "3").set("write.max_decoded_bytes", "1000");
        try (ServerFixture f = new ServerFixture(cfg)) {
            WriteRequestEncoder enc = new WriteRequestEncoder().startSeries(Labels.of("__name__", "x"));
            for (int i = 0; i < 4; i++) enc.sample(i, i);
            HttpResponse<String> r = f.write("/api/v1/write", enc.encodeSnappy());
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("4 samples, more than write.max_samples_per_request=3"), r.body());
            WriteRequestEncoder big = new WriteRequestEncoder().startSeries(Labels.of("__name__", "x", "pad", "p".repeat(2000))).sample(1, 1);
            HttpResponse<String> r2 = f.write("/api/v1/write", big.encodeSnappy());
            assertEquals(400, r2.statusCode(), r2.body());
            assertEquals(0, f.db().head().numSeries());
        }
    }

    @Test
    void saturatedWritesGet503WithRetryAfter() throws Exception {
        ServerConfig cfg = ServerConfig.defaults().set("data_dir", tmp.toString()).set("write.max_concurrent_requests", "1")
                .set("write.retry_after_seconds", "7");
        try (ServerFixture f = new ServerFixture(cfg)) {
            byte[] body = new WriteRequestEncoder().startSeries(Labels.of("__name__", "x")).sample(1, 1).encodeSnappy();
            // A raw request that sent its headers and one body byte holds the single write slot meanwhile.
            try (Socket held = new Socket(f.server.address().getAddress(), f.server.address().getPort())) {
                OutputStream out = held.getOutputStream();
                out.write(("POST /api/v1/write HTTP/1.1\r\nHost: x\r\nContent-Encoding: snappy\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 1);
                out.flush();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!f.get("/metrics").body().contains("tsdb4j_remote_write_in_flight_requests 1")) {
                    assertTrue(System.nanoTime() < deadline, "the held request never reached the handler");
                    Thread.sleep(10);
                }
                HttpResponse<String> refused = f.write("/api/v1/write", body);
                assertEquals(503, refused.statusCode());
                assertEquals("7", refused.headers().firstValue("Retry-After").orElse(null));
                out.write(body, 1, body.length - 1);
                out.flush();
                String status = new String(held.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 204", status);
            }
            assertEquals(204, f.write("/api/v1/write", body).statusCode());
            assertTrue(f.get("/metrics").body().contains("tsdb4j_remote_write_requests_refused_total{reason=\"saturated\"} 1"));
        }
    }

    @Test
    void metadataIsServedAndExemplarsCounted() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            byte[] body = new WriteRequestEncoder()
                    .startSeries(Labels.of("__name__", "http_requests_total")).sample(1000, 1).exemplar(Labels.of("trace_id", "abc"), 1000, 1)
                    .metadata(new MetricMetadata(MetricType.COUNTER, "http_requests_total", "Requests <served>.", ""))
                    .metadata(new MetricMetadata(MetricType.GAUGE, "temp", "Temperature.", "celsius"))
                    .encodeSnappy();
            assertEquals(204, f.write("/api/v1/write", body).statusCode());
            assertEquals("{\"status\":\"success\",\"data\":{\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests \\u003cserved\\u003e.\",\"unit\":\"\"}],"
                    + "\"temp\":[{\"type\":\"gauge\",\"help\":\"Temperature.\",\"unit\":\"celsius\"}]}}", f.get("/api/v1/metadata").body());
            assertEquals("{\"status\":\"success\",\"data\":{\"temp\":[{\"type\":\"gauge\",\"help\":\"Temperature.\",\"unit\":\"celsius\"}]}}",
                    f.get("/api/v1/metadata?metric=temp").body());
            assertEquals("{\"status\":\"success\",\"data\":{\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests \\u003cserved\\u003e.\",\"unit\":\"\"}]}}",
                    f.get("/api/v1/metadata?limit=1").body());
            String metrics = f.get("/metrics").body();
            assertTrue(metrics.contains("tsdb4j_remote_write_exemplars_ignored_total 1"), metrics);
            assertTrue(metrics.contains("tsdb4j_remote_write_samples_received_total 1"), metrics);
            assertTrue(metrics.contains("tsdb4j_http_requests_total{code=\"204\",handler=\"/api/v1/write\"} 1"), metrics);
        }
    }

    @Test
    void getIsNotAllowedOnWrite() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            assertEquals(405, f.get("/api/v1/write").statusCode());
        }
    }
}
