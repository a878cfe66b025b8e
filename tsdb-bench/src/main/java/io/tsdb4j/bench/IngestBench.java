package io.tsdb4j.bench;

import io.tsdb4j.Appender;
import io.tsdb4j.SyncPolicy;
import io.tsdb4j.Tsdb;
import io.tsdb4j.TsdbOptions;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The workload of Prometheus 2.42's {@code promtool tsdb bench write}, run on tsdb4j's embedded append path,
 * so the two can be compared side by side (see {@code tools/bench-ingest.sh} and docs/benchmarks.md).
 *
 * <p>Rounds of 100 scrapes; each round splits the series into shards of 1000, one task per shard, with a
 * barrier at the end of the round. Per shard and round: values reset to 123456789 and refs forgotten; then 100
 * times: new appender, ts += 30000, value += 1000 and append for each series (by labels the first time, by ref
 * after), commit. The WAL is written uncompressed to 128 MiB segments and not fsynced per commit, as in the
 * Prometheus benchmark.
 *
 * <p>The shards of a round run on as many threads as there are cores, as promtool's goroutines (one per shard) run
 * on GOMAXPROCS OS threads; {@code --threads N} sets another count, {@code --threads 0} one thread per shard.
 *
 * <p>Usage: {@code IngestBench SERIES_FILE [--metrics N] [--scrapes S] [--out DIR] [--sync commit|none] [--threads N]}.
 * With {@code -Dbench.rounds=true} it prints, per round, the wall time, the process CPU and the JIT compile time,
 * which shows how much of a short run is warm-up.
 */
public final class IngestBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int metrics = 10_000;
        int scrapes = 3000;
        Path out = null;
        SyncPolicy sync = SyncPolicy.NONE;
        // Like promtool: its goroutines (one per shard) run on GOMAXPROCS = cores OS threads. 0: one thread per shard.
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--metrics": metrics = Integer.parseInt(args[++i]); break;
                case "--scrapes": scrapes = Integer.parseInt(args[++i]); break;
                case "--out": out = Path.of(args[++i]); break;
                case "--sync": sync = SyncPolicy.valueOf(args[++i].toUpperCase(Locale.ROOT)); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        scrapes = (scrapes + 99) / 100 * 100;
        List<Labels> series = BenchSeries.read(file, metrics);
        Path dir = out != null ? out : Files.createTempDirectory("tsdb4j-bench");
        System.out.printf("tsdb4j ingest: %d series, %d scrapes, data in %s, sync %s%n", series.size(), scrapes, dir, sync);

        TsdbOptions opts = TsdbOptions.defaults().withSyncPolicy(sync).withWalCompression(false)
                .withBackgroundCompaction(false); // promtool's bench disables compactions too
        long samples;
        long nanos;
        try (Tsdb db = Tsdb.open(dir, opts)) {
            int shards = (series.size() + 999) / 1000;
            ExecutorService pool = Executors.newFixedThreadPool(threads > 0 ? threads : shards);
            boolean perRound = Boolean.getBoolean("bench.rounds");
            long lastCpu = perRound ? processCpuNanos() : 0, lastCompile = perRound ? compileMillis() : 0;
            if (perRound) System.out.println("start " + java.time.Instant.now());
            long start = System.nanoTime();
            long lastWall = start;
            samples = 0;
            for (int round = 0; round < scrapes; round += 100) {
                long baseT = 30_000L * round;
                List<Future<Long>> fs = new ArrayList<>();
                for (int s = 0; s < shards; s++) {
                    List<Labels> shard = series.subList(s * 1000, Math.min(series.size(), (s + 1) * 1000));
                    fs.add(pool.submit(() -> ingestShard(db, shard, baseT)));
                }
                for (Future<Long> f : fs) samples += f.get();
                if (perRound) {
                    // Wall time of the round, and the CPU the process and the JIT compilers used in it.
                    long now = System.nanoTime(), cpu = processCpuNanos(), compile = compileMillis();
                    System.out.printf(Locale.ROOT, "round %d: %.0f ms (at %.0f ms), process CPU %.0f ms, compiling %d ms%n",
                            round / 100, (now - lastWall) / 1e6, (now - start) / 1e6, (cpu - lastCpu) / 1e6, compile - lastCompile);
                    lastWall = now;
                    lastCpu = cpu;
                    lastCompile = compile;
                }
            }
            nanos = System.nanoTime() - start;
            pool.shutdown();
            double secs = nanos / 1e9;
            System.out.printf(Locale.ROOT, "ingestion completed: %d samples in %.2f s = %.3f M samples/s%n", samples, secs, samples / secs / 1e6);
            report(db, series.size(), samples);
        }
        System.out.printf(Locale.ROOT, "peak RSS %.1f MB%n", rssKb("VmHWM") / 1024.0);
        System.out.printf(Locale.ROOT, "WAL bytes/sample %.2f%n", (double) dirSize(dir.resolve("wal")) / samples);
    }

    static long ingestShard(Tsdb db, List<Labels> shard, long baseT) throws IOException {
        int n = shard.size();
        long[] refs = new long[n];
        long value = 123456789;
        long ts = baseT;
        // The first scrape of a round appends by labels (refs are forgotten per round, as in promtool), the other
        // 99 by reference; two loops, so that neither carries the other's branch.
        ts += 30_000;
        value += 1000;
        Appender first = db.appender();
        for (int j = 0; j < n; j++) refs[j] = first.append(shard.get(j), ts, value);
        first.commit();
        for (int i = 1; i < 100; i++) {
            ts += 30_000;
            value += 1000;
            scrapeByRef(db, refs, ts, value);
        }
        return 100L * n;
    }

    private static void scrapeByRef(Tsdb db, long[] refs, long ts, double value) throws IOException {
        Appender app = db.appender();
        for (long ref : refs) app.append(ref, ts, value);
        app.commit();
    }

    static void report(Tsdb db, int numSeries, long samples) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long offHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "head: %d series, %.2f MB chunk+postings bytes (%.2f bytes/sample)%n",
                db.head().numSeries(), db.head().memoryBytes() / 1e6, (double) db.head().memoryBytes() / samples);
        System.out.printf(Locale.ROOT, "heap used after GC %.1f MB (%.0f bytes/series), non-heap %.1f MB, RSS now %.1f MB%n",
                heap / 1e6, (double) heap / numSeries, offHeap / 1e6, rssKb("VmRSS") / 1024.0);
        if (Boolean.getBoolean("bench.histogram")) {
            try {
                Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                        .redirectErrorStream(true).start();
                String h = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                h.lines().limit(25).forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("no histogram: " + e);
            }
        }
    }

    static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    /** Time the JIT compilers have spent so far (summed over compiler threads). */
    static long compileMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    static long rssKb(String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith(field + ":")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return -1;
    }

    static long dirSize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
