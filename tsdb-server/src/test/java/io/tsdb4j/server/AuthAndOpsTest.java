package io.tsdb4j.server;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.remote.WriteRequestEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthAndOpsTest {
    @TempDir
    Path tmp;

    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"GET", "/metrics"}, new String[] {"POST", "/api/v1/write"}, new String[] {"POST", "/api/acme/prometheus/api/v1/write"},
            new String[] {"POST", "/api/v1/read"}, new String[] {"GET", "/api/v1/query?query=1"},
            new String[] {"POST", "/api/v1/query_range"}, new String[] {"GET", "/api/v1/series?match[]=up"},
            new String[] {"GET", "/api/v1/labels"}, new String[] {"GET", "/api/v1/label/job/values"},
            new String[] {"GET", "/api/v1/metadata"}, new String[] {"GET", "/api/v1/status/tsdb"},
            new String[] {"GET", "/api/v1/status/buildinfo"}, new String[] {"GET", "/api/v1/status/runtimeinfo"},
            new String[] {"GET", "/api/v1/status/config"}, new String[] {"GET", "/api/v1/status/flags"},
            new String[] {"POST", "/api/v1/admin/tsdb/delete_series?match[]=up"}, new String[] {"POST", "/api/v1/admin/tsdb/clean_tombstones"},
            new String[] {"POST", "/api/v1/admin/tsdb/snapshot"}, new String[] {"GET", "/no/such/path"});

    private static HttpResponse<String> call(ServerFixture f, String method, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.url() + path)).method(method,
                method.equals("POST") ? HttpRequest.BodyPublishers.ofString("") : HttpRequest.BodyPublishers.noBody());
        if (auth != null) b.header("Authorization", auth);
        return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyEndpointButHealthNeedsCredentials() throws Exception {
        ServerConfig cfg = ServerConfig.defaults().set("data_dir", tmp.toString()).set("auth.basic.username", "admin",
                "auth.basic.password", "s3cret").set("auth.bearer_token", "tok-123").set("admin.enabled", "true");
        try (ServerFixture f = new ServerFixture(cfg)) {
            for (String[] e : ENDPOINTS) {
                for (String bad : new String[] {null, basic("admin", "wrong"), basic("admin", "s3cret "), "Bearer tok-1234", "Bearer ", "Basic !!"}) {
                    HttpResponse<String> r = call(f, e[0], e[1], bad);
                    assertEquals(401, r.statusCode(), e[0] + " " + e[1] + " with " + bad);
                }
                assertTrue(call(f, e[0], e[1], null).headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
                assertNotEquals(401, call(f, e[0], e[1], basic("admin", "s3cret")).statusCode(), e[1]);
                assertNotEquals(401, call(f, e[0], e[1], "Bearer tok-123").statusCode(), e[1]);
            }
            assertEquals(200, call(f, "GET", "/-/healthy", null).statusCode());
            assertEquals(200, call(f, "GET", "/-/ready", null).statusCode());
            String cfgJson = call(f, "GET", "/api/v1/status/config", "Bearer tok-123").body();
            assertTrue(cfgJson.contains("auth.basic.password: \\u003csecret\\u003e") && !cfgJson.contains("s3cret") && !cfgJson.contains("tok-123"), cfgJson);
        }
    }

    @Test
    void withoutAuthConfiguredNothingIsRefused() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            for (String[] e : ENDPOINTS) assertNotEquals(401, call(f, e[0], e[1], null).statusCode(), e[1]);
        }
    }

    @Test
    void metricsHealthAndStatus() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            byte[] body = new WriteRequestEncoder().startSeries(Labels.of("__name__", "up", "job", "a")).sample(2000, 1).sample(1000, 1).encodeSnappy();
            assertEquals(400, f.write("/api/v1/write", body).statusCode());
            assertEquals(200, f.get("/api/v1/query?query=up&time=2").statusCode());
            assertEquals("tsdb4j is Healthy.\n", f.get("/-/healthy").body());
            String m = f.get("/metrics").body();
            for (String line : List.of("tsdb4j_head_series 1", "tsdb4j_head_samples_appended_total 1",
                    "tsdb4j_head_samples_rejected_total{reason=\"out_of_order\"} 1", "tsdb4j_remote_write_samples_rejected_total 1",
                    "tsdb4j_http_requests_total{code=\"400\",handler=\"/api/v1/write\"} 1",
                    "tsdb4j_query_duration_seconds_count{type=\"instant\"} 1", "tsdb4j_commit_duration_seconds_count 1")) {
                assertTrue(m.contains(line + "\n"), line + " missing in\n" + m);
            }
            String tsdb = f.get("/api/v1/status/tsdb").body();
            assertTrue(tsdb.startsWith("{\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":1,\"numLabelPairs\":2,\"chunkCount\":1,\"minTime\":2000,\"maxTime\":2000},"
                    + "\"seriesCountByMetricName\":[{\"name\":\"up\",\"value\":1}]"), tsdb);
            assertTrue(f.get("/api/v1/status/buildinfo").body().contains("\"version\":\"2.42.0\""));
            assertTrue(f.get("/api/v1/status/runtimeinfo").body().contains("\"storageRetention\":\"15d\""));
        }
    }

    @Test
    void adminApiIsOffByDefaultAndDeletesSnapshotsAndCleansWhenEnabled() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            HttpResponse<String> r = f.postForm("/api/v1/admin/tsdb/clean_tombstones", "");
            assertEquals(503, r.statusCode());
            assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin APIs disabled\"}", r.body());
        }
        try (ServerFixture f = new ServerFixture(ServerConfig.defaults().set("data_dir", tmp.toString()).set("admin.enabled", "true"))) {
            byte[] body = new WriteRequestEncoder()
                    .startSeries(Labels.of("__name__", "up", "job", "a")).sample(1000, 1).sample(2000, 2).sample(3000, 3)
                    .startSeries(Labels.of("__name__", "down", "job", "a")).sample(1000, 1).encodeSnappy();
            assertEquals(204, f.write("/api/v1/write", body).statusCode());

            HttpResponse<String> snap = f.postForm("/api/v1/admin/tsdb/snapshot", "");
            assertEquals(200, snap.statusCode(), snap.body());
            String name = snap.body().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
            try (io.tsdb4j.Tsdb copy = io.tsdb4j.Tsdb.openReadOnly(tmp.resolve("snapshots").resolve(name))) {
                assertEquals(2, io.tsdb4j.TestUtil.readAll(copy).size(), "the snapshot holds the data");
            }

            HttpResponse<String> del = f.postForm("/api/v1/admin/tsdb/delete_series", "match[]=up&start=0&end=2.5");
            assertEquals(204, del.statusCode(), del.body());
            var left = io.tsdb4j.TestUtil.readAll(f.db());
            assertEquals(java.util.List.of(new io.tsdb4j.TestUtil.Sample(3000, 3)), left.get(Labels.of("__name__", "up", "job", "a")));
            assertEquals(400, f.postForm("/api/v1/admin/tsdb/delete_series", "").statusCode());
            HttpResponse<String> badTime = f.postForm("/api/v1/admin/tsdb/delete_series", "match[]=up&start=yesterday");
            assertEquals(400, badTime.statusCode());
            // Worded as Prometheus's parseTimeParam, like the query API's optional times.
            assertTrue(badTime.body().contains("invalid parameter \\\"start\\\": Invalid time value for 'start': "
                    + "cannot parse \\\"yesterday\\\" to a valid timestamp"), badTime.body());
            assertEquals(400, f.postForm("/api/v1/admin/tsdb/delete_series", "match[]=%7Bjob%3D%22%22%7D").statusCode(),
                    "a selector that matches everything empty is refused");
            HttpResponse<String> clean = f.postForm("/api/v1/admin/tsdb/clean_tombstones", "");
            assertEquals(204, clean.statusCode(), clean.body());
        }
    }

    @Test
    void tlsWithAKeyStore() throws Exception {
        Path ks = tmp.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        ServerConfig cfg = ServerConfig.defaults().set("data_dir", tmp.resolve("d").toString()).set("tls.keystore", ks.toString())
                .set("tls.keystore_password", "changeit").set("auth.bearer_token", "t");
        try (ServerFixture f = new ServerFixture(cfg)) {
            assertTrue(f.url().startsWith("https://127.0.0.1:"), f.url());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ctx).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(f.url() + "/api/v1/query?query=1%2B1&time=1"))
                    .header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}", r.body());
            assertEquals(401, https.send(HttpRequest.newBuilder(URI.create(f.url() + "/api/v1/labels")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
