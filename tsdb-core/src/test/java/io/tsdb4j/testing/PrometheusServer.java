package io.tsdb4j.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus 2.42 process on a free loopback port, for compatibility tests. {@link #close()} stops it
 * with SIGTERM (a clean shutdown that flushes its WAL) and waits; only this process, by its PID, is signalled.
 */
public final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dataDir;
    private final Path log;

    private PrometheusServer(Process process, int port, Path dataDir, Path log) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * Starts Prometheus with the given config body (use {@code %PORT%} for its own port) and extra flags, and
     * waits until it is ready.
     */
    public static PrometheusServer start(Path workDir, String config, String... extraFlags) throws IOException, InterruptedException {
        int port = RealTools.freePort();
        Path cfg = workDir.resolve("prometheus.yml");
        Files.writeString(cfg, config.replace("%PORT%", Integer.toString(port)));
        Path data = workDir.resolve("prom-data");
        Path log = workDir.resolve("prometheus.log");
        List<String> cmd = new ArrayList<>(List.of(RealTools.prometheus(), "--config.file=" + cfg,
                "--web.listen-address=127.0.0.1:" + port));
        boolean ownPath = false;
        for (String f : extraFlags) {
            if (f.startsWith("--storage.tsdb.path=")) {
                data = Path.of(f.substring("--storage.tsdb.path=".length()));
                ownPath = true;
            }
        }
        if (!ownPath) cmd.add("--storage.tsdb.path=" + data);
        cmd.addAll(List.of(extraFlags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer s = new PrometheusServer(p, port, data, log);
        s.awaitReady(Duration.ofSeconds(30));
        return s;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        close();
        throw new IOException("prometheus not ready after " + timeout + ":\n" + Files.readString(log));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Waits (without sleeping blindly) until Prometheus has ingested at least {@code n} scrapes of itself. */
    public void awaitScrapes(int n, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        String q = url() + "/api/v1/query?query=count_over_time(up%5B1h%5D)";
        while (System.nanoTime() < deadline) {
            String body = http.send(HttpRequest.newBuilder(URI.create(q)).build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\d+)\"\\]").matcher(body);
            if (m.find() && Integer.parseInt(m.group(1)) >= n) return;
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IOException("prometheus did not scrape " + n + " times within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy(); // SIGTERM: graceful shutdown
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
