package io.tsdb4j.server;

import io.tsdb4j.Querier;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.Tsdb;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.remote.WriteRequestEncoder;
import io.tsdb4j.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM runs {@code tsdb4j serve} (sync policy commit) under concurrent remote-write load. It is killed with
 * SIGKILL after a few hundred acknowledged requests; every sample of every acknowledged (204) request must be
 * there after reopening. Then the same with SIGTERM, which must shut down cleanly.
 */
class CrashDurabilityTest {
    private static final int THREADS = 4;
    private static final int SERIES = 20;
    private static final int SAMPLES = 5;

    @TempDir
    Path tmp;

    record Ack(int thread, int request) {}

    private Process startServer(Path dataDir, int port, Path log) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.tsdb4j.server.cli.Main",
                "serve", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) fail("server exited: " + Files.readString(log));
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return p;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("server not ready: " + Files.readString(log));
            }
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes until {@code acks} requests were acknowledged (then keeps writing until stopped). */
    private static List<Thread> load(int port, int firstRequest, ConcurrentLinkedQueue<Ack> acked, AtomicBoolean stop) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                for (int i = firstRequest; !stop.get(); i++) {
                    WriteRequestEncoder enc = new WriteRequestEncoder();
                    for (int s = 0; s < SERIES; s++) {
                        enc.startSeries(Labels.of("__name__", "load", "thread", Integer.toString(thread), "s", Integer.toString(s)));
                        for (int j = 0; j < SAMPLES; j++) enc.sample(i * 10L + j, i);
                    }
                    try {
                        HttpResponse<String> r = ServerFixture.write(http, "http://127.0.0.1:" + port + "/api/v1/write", enc.encodeSnappy());
                        if (r.statusCode() == 204) acked.add(new Ack(thread, i));
                        else return;
                    } catch (IOException | InterruptedException e) {
                        return; // the server is gone
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        return threads;
    }

    private static void verify(Path dataDir, ConcurrentLinkedQueue<Ack> acked) throws IOException {
        Map<String, Set<Long>> stored = new HashMap<>();
        try (Tsdb db = Tsdb.open(dataDir); Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(Matcher.equal("__name__", "load"));
            while (set.next()) {
                Labels l = set.at().labels();
                Set<Long> ts = stored.computeIfAbsent(l.get("thread") + "/" + l.get("s"), k -> new HashSet<>());
                SampleIterator it = set.at().iterator();
                while (it.next()) {
                    assertEquals(it.t() / 10, (long) it.v());
                    ts.add(it.t());
                }
            }
        }
        int missing = 0;
        for (Ack a : acked) {
            for (int s = 0; s < SERIES; s++) {
                Set<Long> ts = stored.getOrDefault(a.thread() + "/" + s, Set.of());
                for (int j = 0; j < SAMPLES; j++) if (!ts.contains(a.request() * 10L + j)) missing++;
            }
        }
        assertEquals(0, missing, "acknowledged samples lost, of " + acked.size() * SERIES * SAMPLES);
    }

    private static void awaitAcks(ConcurrentLinkedQueue<Ack> acked, int n, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.size() < n) {
            assertTrue(p.isAlive(), "server died");
            assertTrue(System.nanoTime() < deadline, "only " + acked.size() + " requests acknowledged");
            p.waitFor(10, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void acknowledgedSamplesSurviveSigkillAndSigterm() throws Exception {
        Path data = tmp.resolve("data");
        int port = RealTools.freePort();
        ConcurrentLinkedQueue<Ack> acked = new ConcurrentLinkedQueue<>();
        Process p = startServer(data, port, tmp.resolve("log1.txt"));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = load(port, 1, acked, stop);
        try {
            awaitAcks(acked, 300, p);
            p.destroyForcibly(); // SIGKILL while requests are in flight
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            stop.set(true);
            if (p.isAlive()) p.destroyForcibly();
            for (Thread t : threads) t.join(30_000);
        }
        // Lines the JVM itself prints (JDK 24+ warns about protobuf-java's sun.misc.Unsafe use) are not our log.
        List<String> log = Files.readAllLines(tmp.resolve("log1.txt")).stream().filter(l -> !l.startsWith("WARNING: ")).toList();
        assertEquals(1, log.size(), "startup should log one line: " + log);
        assertTrue(log.get(0).contains("listening on http://127.0.0.1:" + port + ", data dir " + data), log.get(0));
        verify(data, acked);

        // Restart on the same directory, write more (later timestamps), stop with SIGTERM: a clean shutdown.
        int before = acked.size();
        Process p2 = startServer(data, port, tmp.resolve("log2.txt"));
        AtomicBoolean stop2 = new AtomicBoolean();
        List<Thread> threads2 = load(port, 1_000_000, acked, stop2);
        try {
            awaitAcks(acked, before + 100, p2);
            p2.destroy(); // SIGTERM
            assertTrue(p2.waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM");
            assertEquals(143, p2.exitValue(), Files.readString(tmp.resolve("log2.txt")));
        } finally {
            stop2.set(true);
            if (p2.isAlive()) p2.destroyForcibly();
            for (Thread t : threads2) t.join(30_000);
        }
        verify(data, acked);
    }
}
