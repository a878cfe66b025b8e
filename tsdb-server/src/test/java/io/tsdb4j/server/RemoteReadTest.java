package io.tsdb4j.server;

import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.remote.ChunkedReadResponse;
import io.tsdb4j.remote.ChunkedReadResponseReader;
import io.tsdb4j.remote.ChunkedSeries;
import io.tsdb4j.remote.ReadRequest;
import io.tsdb4j.remote.ReadResponse;
import io.tsdb4j.remote.RemoteChunk;
import io.tsdb4j.remote.RemoteHeaders;
import io.tsdb4j.remote.Snappy;
import io.tsdb4j.remote.WriteRequestEncoder;
import io.tsdb4j.testing.PrometheusServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tsdb4j.server.ServerFixture.enc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Remote read: a real Prometheus 2.42 reading through us, and direct SAMPLES and STREAMED_XOR_CHUNKS requests. */
class RemoteReadTest {
    @TempDir
    static Path tmp;
    static ServerFixture ours;
    static long t0;
    static final int N = 300; // more than two 120-sample chunks

    @BeforeAll
    static void load() throws Exception {
        ours = new ServerFixture(tmp.resolve("ours"));
        t0 = (System.currentTimeMillis() / 1000 - 3600) * 1000;
        WriteRequestEncoder enc = new WriteRequestEncoder();
        for (String job : new String[] {"api", "web"}) {
            enc.startSeries(Labels.of("__name__", "rr_metric", "job", job));
            for (int i = 0; i < N; i++) enc.sample(t0 + i * 10_000L, job.equals("api") ? i * 0.5 : Math.sqrt(i));
        }
        enc.startSeries(Labels.of("__name__", "other", "job", "api")).sample(t0, 42);
        assertEquals(204, ours.write("/api/v1/write", enc.encodeSnappy()).statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        ours.close();
    }

    private static double expected(String job, int i) {
        return job.equals("api") ? i * 0.5 : Math.sqrt(i);
    }

    private static HttpResponse<InputStream> read(List<Integer> accepted, ReadRequest.Query... qs) throws Exception {
        byte[] body = Snappy.compress(new ReadRequest(List.of(qs), accepted).toByteArray());
        return ours.http.send(HttpRequest.newBuilder(URI.create(ours.url() + "/api/v1/read"))
                .header(RemoteHeaders.CONTENT_ENCODING, RemoteHeaders.SNAPPY)
                .header(RemoteHeaders.CONTENT_TYPE, RemoteHeaders.CONTENT_TYPE_PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void samplesResponse() throws Exception {
        ReadRequest.Query q1 = new ReadRequest.Query(t0 + 10_000, t0 + 50_000, List.of(Matcher.equal("__name__", "rr_metric")), null);
        ReadRequest.Query q2 = new ReadRequest.Query(t0, t0, List.of(Matcher.regex("__name__", "oth.*")), null);
        HttpResponse<InputStream> r = read(List.of(), q1, q2);
        assertEquals(200, r.statusCode());
        assertEquals("snappy", r.headers().firstValue("Content-Encoding").orElse(null));
        byte[] body = r.body().readAllBytes();
        ReadResponse resp = ReadResponse.parseSnappy(body, 1 << 20);
        assertEquals(2, resp.results().size());
        List<ReadResponse.TimeSeries> ts = resp.results().get(0).timeseries();
        assertEquals(2, ts.size());
        assertEquals(Labels.of("__name__", "rr_metric", "job", "api"), ts.get(0).labels());
        assertArrayEquals(new long[] {t0 + 10_000, t0 + 20_000, t0 + 30_000, t0 + 40_000, t0 + 50_000}, ts.get(0).timestamps());
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2, 2.5}, ts.get(0).values());
        assertEquals(Labels.of("__name__", "other", "job", "api"), resp.results().get(1).timeseries().get(0).labels());
    }

    @Test
    void streamedXorChunks() throws Exception {
        ReadRequest.Query q = new ReadRequest.Query(Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.equal("__name__", "rr_metric")), null);
        HttpResponse<InputStream> r = read(List.of(1, 0), q);
        assertEquals(200, r.statusCode());
        assertEquals(RemoteHeaders.CONTENT_TYPE_STREAMED_CHUNKS, r.headers().firstValue("Content-Type").orElse(null));
        assertNull(r.headers().firstValue("Content-Encoding").orElse(null));
        List<Labels> seen = new ArrayList<>();
        List<List<double[]>> samples = new ArrayList<>();
        try (InputStream in = r.body()) {
            ChunkedReadResponseReader reader = new ChunkedReadResponseReader(in);
            ChunkedReadResponse frame;
            while ((frame = reader.next()) != null) {
                assertEquals(0, frame.queryIndex());
                assertEquals(1, frame.chunkedSeries().size());
                ChunkedSeries cs = frame.chunkedSeries().get(0);
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(cs.labels())) {
                    seen.add(cs.labels());
                    samples.add(new ArrayList<>());
                }
                for (RemoteChunk c : cs.chunks()) {
                    assertEquals(RemoteChunk.XOR, c.encoding());
                    int n = XorChunk.numSamples(c.data(), 0);
                    assertTrue(n >= 1 && n <= 120, "chunk of " + n + " samples");
                    XorChunk.Iterator it = XorChunk.iterator(c.data(), n);
                    long first = Long.MIN_VALUE;
                    long last = Long.MIN_VALUE;
                    while (it.next()) {
                        if (first == Long.MIN_VALUE) first = it.t();
                        last = it.t();
                        samples.get(samples.size() - 1).add(new double[] {it.t(), it.v()});
                    }
                    assertEquals(c.minTimeMs(), first);
                    assertEquals(c.maxTimeMs(), last);
                }
            }
        }
        assertEquals(List.of(Labels.of("__name__", "rr_metric", "job", "api"), Labels.of("__name__", "rr_metric", "job", "web")), seen);
        for (int s = 0; s < 2; s++) {
            String job = s == 0 ? "api" : "web";
            assertEquals(N, samples.get(s).size());
            for (int i = 0; i < N; i++) {
                assertEquals(t0 + i * 10_000L, (long) samples.get(s).get(i)[0]);
                assertEquals(expected(job, i), samples.get(s).get(i)[1]);
            }
        }
    }

    @Test
    void unsupportedResponseTypeIs400() throws Exception {
        ReadRequest.Query q = new ReadRequest.Query(0, 1, List.of(Matcher.equal("__name__", "x")), null);
        HttpResponse<InputStream> r = read(List.of(7), q);
        assertEquals(400, r.statusCode());
        r.body().close();
    }

    @Test
    void prometheusRemoteReadSeesOurData() throws Exception {
        String config = "global:\n  scrape_interval: 1h\nremote_read:\n  - url: " + ours.url() + "/api/v1/read\n    read_recent: true\n";
        Path promDir = tmp.resolve("prom");
        java.nio.file.Files.createDirectories(promDir);
        try (PrometheusServer prom = PrometheusServer.start(promDir, config)) {
            String call = "/api/v1/query_range?query=" + enc("rr_metric") + "&start=" + ApiJson.timestamp(t0)
                    + "&end=" + ApiJson.timestamp(t0 + (N - 1) * 10_000L) + "&step=30";
            String expected = ours.get(call).body();
            String viaPrometheus = ours.http.send(HttpRequest.newBuilder(URI.create(prom.url() + call)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(expected, viaPrometheus);
            assertTrue(expected.contains("\"job\":\"web\""), expected);
            String instant = "/api/v1/query?query=" + enc("sum(rr_metric)") + "&time=" + ApiJson.timestamp(t0 + 100_000);
            assertEquals(ours.get(instant).body(), ours.http.send(HttpRequest.newBuilder(URI.create(prom.url() + instant)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
    }
}
