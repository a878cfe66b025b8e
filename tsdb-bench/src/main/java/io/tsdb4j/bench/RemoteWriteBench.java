package io.tsdb4j.bench;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.remote.RemoteHeaders;
import io.tsdb4j.remote.WriteRequestEncoder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Remote-write ingest benchmark: one load generator drives several receivers one after the other (tsdb4j's server
 * with {@code storage.sync_policy} none or commit, Prometheus 2.42's {@code --web.enable-remote-write-receiver},
 * and a trivial sink that only reads bodies, to show the generator's own ceiling), each started fresh, and
 * reports per receiver: samples/s accepted, CPU seconds of the receiving process per million samples
 * ({@code /proc/<pid>/stat} utime+stime), p50/p99 request latency, peak and final RSS ({@code VmHWM}/{@code VmRSS}),
 * and the median latency of range queries over the ingested data.
 *
 * <p>Workload, shaped like Prometheus 2.42's queue manager: {@code --series} synthetic series, 100 per host: 50 of
 * {@code http_requests_total} (one per {@code handler}) and {@code node_metric_00..49}, all with {@code env,
 * instance, job} (10 jobs) and {@code region}; {@code --scrapes} scrapes {@code --interval-ms} apart
 * (all in the past, ending about a minute before now; the span stays under 1.5 block ranges so neither receiver
 * compacts). Series are sharded over {@code --senders} senders by index modulo senders (Prometheus shards by series
 * ref), so per-series order holds; each sender posts batches of {@code --batch} samples (Prometheus's
 * {@code max_samples_per_send}, 500), one {@code TimeSeries} per sample as the queue manager sends them, snappy
 * protobuf remote write 1.0, one keep-alive connection per sender. A sender waits when it is more than
 * {@code --window} scrapes ahead of the slowest one (real senders are paced by the scrape clock; without this a
 * fast shard could push the head's max time an hour past a slow shard, which both receivers then reject as too old).
 * All requests are encoded before the first receiver starts, so every receiver gets identical bytes and encoding
 * costs nothing during the load. The first {@code --warmup} scrapes (series creation, JIT) are sent before
 * measuring; figures cover the rest.
 *
 * <p>Usage: {@code RemoteWriteBench [--receivers sink,tsdb4j-none,prometheus,tsdb4j-commit] [--rounds 2]
 * [--series 20000] [--scrapes 600] [--warmup 60] [--senders 8] [--batch 500] [--client raw|jdk]
 * [--server-jar tsdb-server/target/tsdb4j.jar] [--launcher bin/tsdb4j] [--tsdb4j-heap SIZE] [--tsdb4j-jvm-args "..."]
 * [--query-reps 10] [--query-warm-pass] [--no-wait]}.
 * tsdb4j is started through {@code bin/tsdb4j serve} (with {@code TSDB4J_JAR} set to the server jar), so it runs
 * with the launcher's JVM flags; {@code --tsdb4j-heap} (an {@code -Xmx}) and {@code --tsdb4j-jvm-args} go into
 * {@code TSDB4J_JAVA_OPTS}, which override them. In {@code --tsdb4j-jvm-args}, {@code {run}} is replaced by the
 * run's name (for per-run JFR files).
 */
public final class RemoteWriteBench {
    /** Series per host. */
    private static final int METRICS = 100;
    private static final int JOBS = 10;
    private static final String OTHERS = "benchmarks.jar|prometheus --|promtool tsdb bench|tsdb4j.jar serve";

    private RemoteWriteBench() {}

    // ---------------------------------------------------------------- options

    static final class Opts {
        int series = 20_000;
        int scrapes = 600;
        int warmup = 60;
        long intervalMs = 15_000;
        int senders = 8;
        int batch = 500;
        int window = 20;
        int rounds = 2;
        int queryReps = 10;
        String client = "raw";
        List<String> receivers = List.of("sink", "tsdb4j-none", "prometheus", "tsdb4j-commit");
        Path serverJar = Path.of("tsdb-server/target/tsdb4j.jar");
        Path launcher = Path.of("bin/tsdb4j");
        Path work = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> tsdbJvmArgs = List.of();
        String tsdbHeap; // null: the launcher's heap settings
        boolean waitForOthers = true;
        boolean queryWarmPass;

        static Opts parse(String[] args) {
            Opts o = new Opts();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--series": o.series = Integer.parseInt(args[++i]); break;
                    case "--scrapes": o.scrapes = Integer.parseInt(args[++i]); break;
                    case "--warmup": o.warmup = Integer.parseInt(args[++i]); break;
                    case "--interval-ms": o.intervalMs = Long.parseLong(args[++i]); break;
                    case "--senders": o.senders = Integer.parseInt(args[++i]); break;
                    case "--batch": o.batch = Integer.parseInt(args[++i]); break;
                    case "--window": o.window = Integer.parseInt(args[++i]); break;
                    case "--rounds": o.rounds = Integer.parseInt(args[++i]); break;
                    case "--query-reps": o.queryReps = Integer.parseInt(args[++i]); break;
                    case "--client": o.client = args[++i]; break;
                    case "--receivers": o.receivers = List.of(args[++i].split(",")); break;
                    case "--server-jar": o.serverJar = Path.of(args[++i]); break;
                    case "--launcher": o.launcher = Path.of(args[++i]); break;
                    case "--work": o.work = Path.of(args[++i]); break;
                    case "--tsdb4j-jvm-args": o.tsdbJvmArgs = List.of(args[++i].trim().split("\\s+")); break;
                    case "--tsdb4j-heap": o.tsdbHeap = args[++i]; break;
                    case "--no-wait": o.waitForOthers = false; break;
                    case "--query-warm-pass": o.queryWarmPass = true; break;
                    default: throw new IllegalArgumentException("unknown argument " + a);
                }
            }
            if (!o.client.equals("raw") && !o.client.equals("jdk")) throw new IllegalArgumentException("--client raw|jdk");
            for (String r : o.receivers) {
                if (!List.of("sink", "tsdb4j-none", "tsdb4j-commit", "prometheus").contains(r)) {
                    throw new IllegalArgumentException("unknown receiver " + r);
                }
            }
            if (o.warmup >= o.scrapes) throw new IllegalArgumentException("--warmup must be below --scrapes");
            return o;
        }
    }

    // ---------------------------------------------------------------- workload

    /** Every request of the run, encoded once: {@code requests[sender][i]}. */
    static final class Workload {
        final long t0;
        final long tEnd;
        final byte[][][] requests;
        final int[][] scrapeOf;
        final int[][] samplesOf;
        final int[] warmupRequests;
        long warmupSamples;
        long measuredSamples;
        long measuredBytes;

        Workload(Opts o) {
            long now = System.currentTimeMillis();
            long aligned = now / 60_000 * 60_000;
            this.t0 = aligned - 60_000 - (long) o.scrapes * o.intervalMs;
            this.tEnd = t0 + (long) (o.scrapes - 1) * o.intervalMs;
            List<Labels> series = new ArrayList<>(o.series);
            for (int i = 0; i < o.series; i++) {
                int host = i / METRICS;
                int m = i % METRICS;
                String instance = String.format(Locale.ROOT, "host-%05d.example.org:9100", host);
                String job = "job-" + host % JOBS;
                String region = "region-" + host % 4;
                series.add(m < METRICS / 2
                        ? Labels.of("__name__", "http_requests_total", "env", "prod", "handler", "/api/v1/h" + m,
                                "instance", instance, "job", job, "region", region)
                        : Labels.of("__name__", String.format(Locale.ROOT, "node_metric_%02d", m - METRICS / 2),
                                "env", "prod", "instance", instance, "job", job, "region", region));
            }
            int n = o.senders;
            requests = new byte[n][][];
            scrapeOf = new int[n][];
            samplesOf = new int[n][];
            warmupRequests = new int[n];
            for (int s = 0; s < n; s++) {
                WriteRequestEncoder enc = new WriteRequestEncoder();
                List<byte[]> reqs = new ArrayList<>();
                List<int[]> meta = new ArrayList<>();
                for (int k = 0; k < o.scrapes; k++) {
                    if (k == o.warmup && enc.sampleCount() > 0) flush(enc, reqs, meta, k - 1);
                    if (k == o.warmup) warmupRequests[s] = reqs.size();
                    long t = t0 + k * o.intervalMs;
                    for (int i = s; i < o.series; i += n) {
                        enc.startSeries(series.get(i)).sample(t, value(i, k));
                        if (enc.sampleCount() == o.batch) flush(enc, reqs, meta, k);
                    }
                }
                if (enc.sampleCount() > 0) flush(enc, reqs, meta, o.scrapes - 1);
                requests[s] = reqs.toArray(new byte[0][]);
                scrapeOf[s] = new int[meta.size()];
                samplesOf[s] = new int[meta.size()];
                for (int r = 0; r < meta.size(); r++) {
                    scrapeOf[s][r] = meta.get(r)[0];
                    samplesOf[s][r] = meta.get(r)[1];
                    if (r < warmupRequests[s]) {
                        warmupSamples += samplesOf[s][r];
                    } else {
                        measuredSamples += samplesOf[s][r];
                        measuredBytes += requests[s][r].length;
                    }
                }
            }
        }

        /** A counter: a per-series rate of 1..10 per scrape from a per-series offset. */
        static double value(int series, int scrape) {
            return (double) scrape * (1 + series % 10) + series % 1000;
        }

        private static void flush(WriteRequestEncoder enc, List<byte[]> reqs, List<int[]> meta, int scrape) {
            meta.add(new int[] {scrape, enc.sampleCount()});
            reqs.add(enc.encodeSnappy());
            enc.reset();
        }

        int totalRequests() {
            int t = 0;
            for (byte[][] r : requests) t += r.length;
            return t;
        }
    }

    // ---------------------------------------------------------------- HTTP posting

    interface Poster extends AutoCloseable {
        /** Posts one remote-write body; returns the status code, the body of a non-2xx answer in {@link #lastBody}. */
        int post(byte[] body) throws IOException, InterruptedException;

        String lastBody();

        @Override
        void close();
    }

    /** HTTP/1.1 over a plain keep-alive socket: the cheapest sender we can write (no per-request objects to speak of). */
    static final class RawPoster implements Poster {
        private final String host;
        private final int port;
        private final byte[] head;
        private final byte[] lineBuf = new byte[8192];
        private final byte[] discard = new byte[16384];
        private Socket sock;
        private OutputStream out;
        private InputStream in;
        private String lastBody = "";

        RawPoster(String host, int port) {
            this.host = host;
            this.port = port;
            this.head = ("POST /api/v1/write HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                    + "User-Agent: tsdb4j-RemoteWriteBench/0.1\r\n"
                    + RemoteHeaders.CONTENT_TYPE + ": " + RemoteHeaders.CONTENT_TYPE_PROTOBUF + "\r\n"
                    + RemoteHeaders.CONTENT_ENCODING + ": " + RemoteHeaders.SNAPPY + "\r\n"
                    + RemoteHeaders.REMOTE_WRITE_VERSION_HEADER + ": " + RemoteHeaders.REMOTE_WRITE_VERSION + "\r\n"
                    + "Content-Length: ").getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int post(byte[] body) throws IOException {
            for (int attempt = 0; ; attempt++) {
                boolean fresh = sock == null;
                try {
                    if (fresh) connect();
                    out.write(head);
                    out.write(Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
                    out.write('\r');
                    out.write('\n');
                    out.write('\r');
                    out.write('\n');
                    out.write(body);
                    out.flush();
                    return readResponse();
                } catch (IOException e) {
                    close();
                    // A keep-alive connection the server closed while idle: retry once on a new one.
                    if (fresh || attempt > 0) throw e;
                }
            }
        }

        private void connect() throws IOException {
            sock = new Socket();
            sock.setTcpNoDelay(true);
            sock.connect(new InetSocketAddress(host, port), 10_000);
            sock.setSoTimeout(120_000);
            out = new BufferedOutputStream(sock.getOutputStream(), 64 * 1024);
            in = new BufferedInputStream(sock.getInputStream(), 16 * 1024);
        }

        private int readResponse() throws IOException {
            String status = readLine();
            if (status.length() < 12 || !status.startsWith("HTTP/1.")) throw new IOException("bad status line: " + status);
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = status.startsWith("HTTP/1.0");
            for (String h; !(h = readLine()).isEmpty(); ) {
                int c = h.indexOf(':');
                if (c < 0) continue;
                String name = h.substring(0, c).trim().toLowerCase(Locale.ROOT);
                String v = h.substring(c + 1).trim();
                if (name.equals("content-length")) length = Long.parseLong(v);
                else if (name.equals("transfer-encoding")) chunked = v.toLowerCase(Locale.ROOT).contains("chunked");
                else if (name.equals("connection")) closeAfter = v.equalsIgnoreCase("close");
            }
            ByteArrayOutputStream keep = code / 100 == 2 ? null : new ByteArrayOutputStream();
            if (code == 204 || code == 304 || code / 100 == 1) {
                // no body
            } else if (chunked) {
                for (long size; (size = Long.parseLong(readLine().split(";")[0].trim(), 16)) > 0; ) {
                    readBody(size, keep);
                    readLine();
                }
                while (!readLine().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                readBody(length, keep);
            } else {
                readBody(Long.MAX_VALUE, keep);
                closeAfter = true;
            }
            lastBody = keep == null ? "" : keep.toString(StandardCharsets.UTF_8);
            if (closeAfter) close();
            return code;
        }

        private void readBody(long n, ByteArrayOutputStream keep) throws IOException {
            boolean toEof = n == Long.MAX_VALUE;
            while (n > 0) {
                int r = in.read(discard, 0, (int) Math.min(discard.length, n));
                if (r < 0) {
                    if (toEof) return;
                    throw new IOException("connection closed in the middle of a response body");
                }
                if (keep != null && keep.size() < 4096) keep.write(discard, 0, r);
                n -= r;
            }
        }

        private String readLine() throws IOException {
            int n = 0;
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) throw new IOException("connection closed while reading a response header");
                if (n < lineBuf.length) lineBuf[n++] = (byte) b;
            }
            if (n > 0 && lineBuf[n - 1] == '\r') n--;
            return new String(lineBuf, 0, n, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String lastBody() {
            return lastBody;
        }

        @Override
        public void close() {
            if (sock != null) {
                try {
                    sock.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            sock = null;
        }
    }

    /** The JDK's {@link HttpClient} (HTTP/1.1), one per sender. */
    static final class JdkPoster implements Poster {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final URI uri;
        private String lastBody = "";

        JdkPoster(String host, int port) {
            this.uri = URI.create("http://" + host + ":" + port + "/api/v1/write");
        }

        @Override
        public int post(byte[] body) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                    .header(RemoteHeaders.CONTENT_TYPE, RemoteHeaders.CONTENT_TYPE_PROTOBUF)
                    .header(RemoteHeaders.CONTENT_ENCODING, RemoteHeaders.SNAPPY)
                    .header(RemoteHeaders.USER_AGENT, "tsdb4j-RemoteWriteBench/0.1")
                    .header(RemoteHeaders.REMOTE_WRITE_VERSION_HEADER, RemoteHeaders.REMOTE_WRITE_VERSION)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            lastBody = resp.body();
            return resp.statusCode();
        }

        @Override
        public String lastBody() {
            return lastBody;
        }

        @Override
        public void close() {
            // HttpClient has no close() on JDK 17; its connections go when it is collected.
        }
    }

    // ---------------------------------------------------------------- load phases

    static final class PhaseResult {
        long[] latNanos;
        long nanos;
        long samples;
        long retries;
        long errors;
        String firstError;
        String firstRetry;
    }

    /** Sends requests {@code [from[s], to[s])} of every sender concurrently; senders stay within the scrape window. */
    static PhaseResult runPhase(Opts o, Workload w, Poster[] posters, int[] from, int[] to, int firstScrape) throws Exception {
        int n = o.senders;
        AtomicIntegerArray progress = new AtomicIntegerArray(n);
        for (int s = 0; s < n; s++) progress.set(s, firstScrape - 1);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        PhaseResult res = new PhaseResult();
        long[][] lat = new long[n][];
        long[] retries = new long[n];
        long[] errors = new long[n];
        String[] firstError = new String[n];
        String[] firstRetry = new String[n];
        long[] samples = new long[n];
        List<Future<?>> fs = new ArrayList<>();
        for (int s0 = 0; s0 < n; s0++) {
            final int s = s0;
            fs.add(pool.submit(() -> {
                lat[s] = new long[to[s] - from[s]];
                go.await();
                for (int r = from[s]; r < to[s]; r++) {
                    int scrape = w.scrapeOf[s][r];
                    while (scrape - minOf(progress) > o.window) LockSupport.parkNanos(50_000);
                    long t = System.nanoTime();
                    long backoff = 30;
                    while (true) {
                        int code = posters[s].post(w.requests[s][r]);
                        if (code / 100 == 2) {
                            samples[s] += w.samplesOf[s][r];
                            break;
                        }
                        if (code / 100 == 5) {
                            // What Prometheus does on 5xx: retry with back-off (30 ms doubling).
                            retries[s]++;
                            if (firstRetry[s] == null) firstRetry[s] = code + " " + posters[s].lastBody().strip();
                            Thread.sleep(backoff);
                            backoff = Math.min(backoff * 2, 5000);
                            continue;
                        }
                        errors[s]++;
                        if (firstError[s] == null) firstError[s] = code + " " + posters[s].lastBody();
                        break;
                    }
                    lat[s][r - from[s]] = System.nanoTime() - t;
                    progress.set(s, scrape);
                }
                progress.set(s, Integer.MAX_VALUE);
                return null;
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Future<?> f : fs) f.get();
        res.nanos = System.nanoTime() - start;
        pool.shutdown();
        int total = 0;
        for (long[] l : lat) total += l.length;
        res.latNanos = new long[total];
        int p = 0;
        for (int s = 0; s < n; s++) {
            System.arraycopy(lat[s], 0, res.latNanos, p, lat[s].length);
            p += lat[s].length;
            res.samples += samples[s];
            res.retries += retries[s];
            res.errors += errors[s];
            if (res.firstError == null) res.firstError = firstError[s];
            if (res.firstRetry == null) res.firstRetry = firstRetry[s];
        }
        Arrays.sort(res.latNanos);
        return res;
    }

    private static int minOf(AtomicIntegerArray a) {
        int m = Integer.MAX_VALUE;
        for (int i = 0; i < a.length(); i++) m = Math.min(m, a.get(i));
        return m;
    }

    static double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    // ---------------------------------------------------------------- processes and /proc

    /** utime + stime of a process in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // CLK_TCK = 100 on Linux
    }

    /** A {@code /proc/<pid>/status} memory field (VmHWM, VmRSS) in MB. */
    static double statusMb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
        return Double.NaN;
    }

    static int freePort() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return ss.getLocalPort();
        }
    }

    /**
     * Waits (up to 5 minutes) until no other benchmark process is busy (more than 0.05 CPU seconds in 3 s); ours, our
     * ancestors and children do not count.
     */
    static void waitForOthers() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Set<Long> mine = new HashSet<>();
            ProcessHandle self = ProcessHandle.current();
            mine.add(self.pid());
            self.descendants().forEach(p -> mine.add(p.pid()));
            for (var p = self.parent(); p.isPresent(); p = p.get().parent()) mine.add(p.get().pid());
            Process pg = new ProcessBuilder("pgrep", "-af", OTHERS).redirectErrorStream(true).start();
            String outText = new String(pg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            pg.waitFor();
            Map<Long, String> candidates = new HashMap<>();
            Map<Long, Double> cpuBefore = new HashMap<>();
            for (String line : outText.split("\n")) {
                if (line.isBlank()) continue;
                long pid = Long.parseLong(line.substring(0, line.indexOf(' ')));
                if (mine.contains(pid) || pid == pg.pid()) continue;
                try {
                    cpuBefore.put(pid, cpuSeconds(pid));
                    candidates.put(pid, line);
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
            // A process that stays idle (a server left up between measurements, a JVM that has printed its results)
            // does not disturb a measurement; one that burns CPU does.
            Thread.sleep(candidates.isEmpty() ? 0 : 3000);
            List<String> others = new ArrayList<>();
            for (Map.Entry<Long, String> e : candidates.entrySet()) {
                try {
                    if (cpuSeconds(e.getKey()) - cpuBefore.get(e.getKey()) > 0.05) others.add(e.getValue());
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
            if (others.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                System.out.println("WARNING: other benchmark processes still running after 5 min, going ahead: " + others);
                return;
            }
            System.out.println("waiting for other benchmark processes: " + others);
            Thread.sleep(5000);
        }
    }

    static final class Receiver implements AutoCloseable {
        final String kind;
        final String name;
        final int port;
        final Path dir;
        final Path log;
        final Process process;

        Receiver(Opts o, String kind, String name) throws Exception {
            this.kind = kind;
            this.name = name;
            this.port = freePort();
            this.dir = Files.createTempDirectory(o.work, "rwbench-" + name + "-");
            this.log = o.work.resolve("rwbench-" + name + ".log");
            Path data = dir.resolve("data");
            List<String> cmd = new ArrayList<>();
            Map<String, String> env = new HashMap<>();
            String listen = "127.0.0.1:" + port;
            switch (kind) {
                case "sink": {
                    String cp = Path.of(RemoteWriteBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                    cmd.addAll(List.of("java", "-Xmx512m", "-cp", cp, RemoteWriteSink.class.getName(), "127.0.0.1", Integer.toString(port)));
                    break;
                }
                case "tsdb4j-none":
                case "tsdb4j-commit": {
                    // Through the launcher, so the server runs with the JVM flags users get; it execs java (same pid).
                    List<String> jvm = new ArrayList<>();
                    if (o.tsdbHeap != null) jvm.add("-Xmx" + o.tsdbHeap);
                    for (String a : o.tsdbJvmArgs) if (!a.isEmpty()) jvm.add(a.replace("{run}", name));
                    env.put("TSDB4J_JAR", o.serverJar.toString());
                    env.put("TSDB4J_JAVA_OPTS", String.join(" ", jvm));
                    cmd.addAll(List.of(o.launcher.toString(), "serve", "--data-dir", data.toString(), "--listen", listen));
                    if (kind.equals("tsdb4j-none")) {
                        Path cfg = dir.resolve("tsdb4j.yml");
                        Files.writeString(cfg, "storage.sync_policy: none\n");
                        cmd.addAll(List.of("--config", cfg.toString()));
                    }
                    break;
                }
                case "prometheus": {
                    Path cfg = dir.resolve("prometheus.yml");
                    Files.writeString(cfg, "");
                    cmd.addAll(List.of("prometheus", "--web.enable-remote-write-receiver", "--config.file=" + cfg,
                            "--storage.tsdb.path=" + data, "--web.listen-address=" + listen));
                    break;
                }
                default: throw new IllegalArgumentException(kind);
            }
            StringBuilder shown = new StringBuilder("$ ");
            env.forEach((k, v) -> shown.append(k).append("='").append(v).append("' "));
            System.out.println(shown.append(String.join(" ", cmd)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            this.process = pb.start();
            waitReady();
        }

        private void waitReady() throws Exception {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new IllegalStateException(name + " exited: " + Files.readString(log));
                try {
                    HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) return;
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " not ready after 90 s");
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                System.out.println("WARNING: " + name + " did not stop in 60 s after SIGTERM, killing");
                process.destroyForcibly().waitFor();
            }
            BenchDirs.delete(dir);
        }
    }

    // ---------------------------------------------------------------- queries and metrics

    static final class QueryResult {
        double medianMs;
        int status;
        int bytes;
        String sha;
    }

    static QueryResult query(HttpClient c, int port, String q, Workload w, Opts o) throws Exception {
        long start = (w.t0 + 300_000) / 1000;
        long end = w.tEnd / 1000;
        String url = "http://127.0.0.1:" + port + "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=60";
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).build();
        QueryResult res = new QueryResult();
        double[] ms = new double[o.queryReps];
        for (int i = -1; i < o.queryReps; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = c.send(req, HttpResponse.BodyHandlers.ofByteArray());
            long dt = System.nanoTime() - t;
            if (i < 0) {
                res.status = r.statusCode();
                res.bytes = r.body().length;
                byte[] d = MessageDigest.getInstance("SHA-256").digest(r.body());
                StringBuilder sb = new StringBuilder();
                for (int b = 0; b < 4; b++) sb.append(String.format("%02x", d[b]));
                res.sha = sb.toString();
                if (r.statusCode() != 200) {
                    System.out.println("query failed: " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
                    return res;
                }
            } else {
                ms[i] = dt / 1e6;
            }
        }
        Arrays.sort(ms);
        res.medianMs = ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
        return res;
    }

    /** Sum of the samples-appended counter the receiver exports about itself. */
    static double appendedCounter(HttpClient c, Receiver r) throws Exception {
        return metricSum(c, r, r.kind.equals("prometheus") ? "prometheus_tsdb_head_samples_appended_total" : "tsdb4j_head_samples_appended_total");
    }

    /** Heap in use as the receiver reports it (Go: heap in-use spans; JVM: used heap), MB. */
    static double heapMb(HttpClient c, Receiver r) throws Exception {
        return metricSum(c, r, r.kind.equals("prometheus") ? "go_memstats_heap_inuse_bytes" : "tsdb4j_jvm_heap_used_bytes") / 1048576.0;
    }

    static double metricSum(HttpClient c, Receiver r, String metric) throws Exception {
        HttpResponse<String> resp = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : resp.body().split("\n")) {
            if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    // ---------------------------------------------------------------- the run

    static final List<String> QUERIES = List.of(
            "sum by (job) (rate(node_metric_00[5m]))",
            "sum by (job) (rate(http_requests_total[5m]))");

    static final class Row {
        String name;
        double samplesPerSec;
        double cpuPerMillion;
        double genCpuPerMillion;
        double p50;
        double p99;
        double hwm;
        double hwmAll;
        double rss;
        double heap;
        double idleRss;
        long retries;
        long errors;
        double stored;
        double[] queryMs = new double[QUERIES.size()];
        String[] querySha = new String[QUERIES.size()];
    }

    public static void main(String[] args) throws Exception {
        Opts o = Opts.parse(args);
        long enc0 = System.nanoTime();
        Workload w = new Workload(o);
        System.out.printf(Locale.ROOT, "workload: %d series x %d scrapes (%d s apart) = %d samples, %d senders, batch %d, %d requests "
                        + "(%.1f KB snappy each on average), warm-up %d samples, measured %d samples; encoded in %.1f s; client %s%n",
                o.series, o.scrapes, o.intervalMs / 1000, w.warmupSamples + w.measuredSamples, o.senders, o.batch, w.totalRequests(),
                w.measuredBytes / 1024.0 / Math.max(1, w.totalRequests() - Arrays.stream(w.warmupRequests).sum()),
                w.warmupSamples, w.measuredSamples, (System.nanoTime() - enc0) / 1e9, o.client);
        System.out.printf(Locale.ROOT, "machine: %d CPUs, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> runNo = new HashMap<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int round = 0; round < o.rounds; round++) {
            for (String kind : o.receivers) {
                int no = runNo.merge(kind, 1, Integer::sum);
                String name = kind + "-" + no;
                if (o.waitForOthers) waitForOthers();
                Row row = new Row();
                row.name = name;
                try (Receiver r = new Receiver(o, kind, name)) {
                    row.idleRss = statusMb(r.pid(), "VmRSS");
                    Poster[] posters = new Poster[o.senders];
                    for (int s = 0; s < o.senders; s++) {
                        posters[s] = o.client.equals("raw") ? new RawPoster("127.0.0.1", r.port) : new JdkPoster("127.0.0.1", r.port);
                    }
                    int[] zero = new int[o.senders];
                    int[] ends = new int[o.senders];
                    for (int s = 0; s < o.senders; s++) ends[s] = w.requests[s].length;
                    PhaseResult warm = runPhase(o, w, posters, zero, w.warmupRequests, 0);
                    double cpu0 = cpuSeconds(r.pid());
                    double gen0 = cpuSeconds(ProcessHandle.current().pid());
                    PhaseResult m = runPhase(o, w, posters, w.warmupRequests, ends, o.warmup);
                    double cpu1 = cpuSeconds(r.pid());
                    double gen1 = cpuSeconds(ProcessHandle.current().pid());
                    row.hwm = statusMb(r.pid(), "VmHWM");
                    row.rss = statusMb(r.pid(), "VmRSS");
                    row.hwmAll = row.hwm;
                    for (Poster p : posters) p.close();
                    double secs = m.nanos / 1e9;
                    row.samplesPerSec = m.samples / secs;
                    row.cpuPerMillion = (cpu1 - cpu0) / (m.samples / 1e6);
                    row.genCpuPerMillion = (gen1 - gen0) / (m.samples / 1e6);
                    row.p50 = percentileMs(m.latNanos, 0.50);
                    row.p99 = percentileMs(m.latNanos, 0.99);
                    row.retries = warm.retries + m.retries;
                    row.errors = warm.errors + m.errors;
                    System.out.printf(Locale.ROOT, "%s: %d samples in %.2f s = %.0f samples/s; receiver CPU %.2f s (%.3f s per M samples), "
                                    + "generator CPU %.3f s per M; latency p50 %.2f ms p99 %.2f ms max %.2f ms; RSS idle %.0f MB, peak %.0f MB, "
                                    + "final %.0f MB; retries %d, rejected requests %d%s%n",
                            name, m.samples, secs, row.samplesPerSec, cpu1 - cpu0, row.cpuPerMillion, row.genCpuPerMillion, row.p50, row.p99,
                            percentileMs(m.latNanos, 1.0), row.idleRss, row.hwm, row.rss, row.retries, row.errors,
                            warm.firstError != null ? " (first: " + warm.firstError + ")" : m.firstError != null ? " (first: " + m.firstError + ")" : "");
                    String retry = warm.firstRetry != null ? warm.firstRetry : m.firstRetry;
                    if (retry != null) System.out.printf("%s: first retried answer: %s (%d retries in warm-up, %d measured)%n", name, retry, warm.retries, m.retries);
                    if (!kind.equals("sink")) {
                        row.stored = appendedCounter(http, r);
                        row.heap = heapMb(http, r);
                        System.out.printf(Locale.ROOT, "%s: head samples appended counter %.0f (sent %d)%n", name, row.stored,
                                w.warmupSamples + w.measuredSamples);
                        if (o.queryWarmPass) {
                            // One discarded pass over every query first, so no query is measured on cold code.
                            for (String q : QUERIES) query(http, r.port, q, w, o);
                        }
                        for (int q = 0; q < QUERIES.size(); q++) {
                            QueryResult qr = query(http, r.port, QUERIES.get(q), w, o);
                            row.queryMs[q] = qr.medianMs;
                            row.querySha[q] = qr.sha;
                            System.out.printf(Locale.ROOT, "%s: query_range %s: median of %d %.1f ms (status %d, %d bytes, sha256 %s)%n",
                                    name, QUERIES.get(q), o.queryReps, qr.medianMs, qr.status, qr.bytes, qr.sha);
                        }
                        row.hwmAll = statusMb(r.pid(), "VmHWM");
                        System.out.printf(Locale.ROOT, "%s: heap in use after load %.0f MB (receiver's own metric); after queries: peak RSS %.0f MB, "
                                        + "RSS %.0f MB = anonymous %.0f + file-backed %.0f%n",
                                name, row.heap, row.hwmAll, statusMb(r.pid(), "VmRSS"), statusMb(r.pid(), "RssAnon"), statusMb(r.pid(), "RssFile"));
                        if (kind.startsWith("tsdb4j")) {
                            // Diagnostic only, after all measurements: how much of the RSS is live data.
                            Process j = new ProcessBuilder("jcmd", Long.toString(r.pid()), "GC.run").redirectErrorStream(true).start();
                            j.getInputStream().readAllBytes();
                            j.waitFor();
                            System.out.printf(Locale.ROOT, "%s: after a full GC (jcmd GC.run): heap used %.0f MB, RSS %.0f MB%n",
                                    name, heapMb(http, r), statusMb(r.pid(), "VmRSS"));
                        }
                    }
                }
                rows.add(row);
            }
        }
        System.out.println();
        System.out.println("| run | samples/s | receiver CPU s / M samples | generator CPU s / M | p50 ms | p99 ms | RSS MB: idle / after load / "
                + "peak in load / peak incl. queries | heap in use after load MB | retries / rejected | q1 median ms | q2 median ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.3f | %.3f | %.2f | %.2f | %.0f / %.0f / %.0f / %.0f | %.0f | %d / %d | %s | %s |%n",
                    r.name, r.samplesPerSec, r.cpuPerMillion, r.genCpuPerMillion, r.p50, r.p99, r.idleRss, r.rss, r.hwm, r.hwmAll, r.heap,
                    r.retries, r.errors,
                    r.name.startsWith("sink") ? "–" : String.format(Locale.ROOT, "%.1f", r.queryMs[0]),
                    r.name.startsWith("sink") ? "–" : String.format(Locale.ROOT, "%.1f", r.queryMs[1]));
        }
        System.out.println("q1 = " + QUERIES.get(0) + ", q2 = " + QUERIES.get(1) + "; query answers (sha256 prefix) per run:");
        for (Row r : rows) if (!r.name.startsWith("sink")) System.out.println("  " + r.name + " " + String.join(" ", r.querySha));
    }
}
