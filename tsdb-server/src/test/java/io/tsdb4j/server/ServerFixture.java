package io.tsdb4j.server;

import io.tsdb4j.Tsdb;
import io.tsdb4j.remote.RemoteHeaders;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** An in-process server on a free loopback port over a fresh data directory, plus an HTTP client for it. */
final class ServerFixture implements AutoCloseable {
    final TsdbServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerFixture(Path dataDir) throws IOException {
        this(ServerConfig.defaults().set("data_dir", dataDir.toString()));
    }

    ServerFixture(ServerConfig cfg) throws IOException {
        this.server = TsdbServer.start(cfg.set("listen", "127.0.0.1:0"));
    }

    Tsdb db() {
        return server.db();
    }

    String url() {
        return server.url();
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> write(String path, byte[] snappyBody) throws IOException, InterruptedException {
        return write(http, url() + path, snappyBody);
    }

    static HttpResponse<String> write(HttpClient http, String url, byte[] snappyBody) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header(RemoteHeaders.CONTENT_ENCODING, RemoteHeaders.SNAPPY)
                .header(RemoteHeaders.CONTENT_TYPE, RemoteHeaders.CONTENT_TYPE_PROTOBUF)
                .header(RemoteHeaders.REMOTE_WRITE_VERSION_HEADER, RemoteHeaders.REMOTE_WRITE_VERSION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(snappyBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
