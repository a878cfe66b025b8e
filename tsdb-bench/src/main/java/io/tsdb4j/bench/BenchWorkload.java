package io.tsdb4j.bench;

import io.tsdb4j.Appender;
import io.tsdb4j.SyncPolicy;
import io.tsdb4j.Tsdb;
import io.tsdb4j.TsdbOptions;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.block.BlockWriter;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Deterministic scrape workloads for the comparisons against Prometheus: a fixed list of series scraped every
 * {@code interval} ms, each series at its own offset inside the interval (as Prometheus spreads targets) with
 * ±2 ms jitter, so scrape {@code k} lies wholly inside {@code [start + k·interval, start + (k+1)·interval)}.
 * Values are produced scrape by scrape from one seeded generator, so the same workload always yields the same
 * samples.
 */
abstract class BenchWorkload {
    static final long HOUR = 3_600_000L;
    static final long TWO_HOURS = 2 * HOUR;

    final List<Labels> labels;
    final long start;
    final long interval;
    final long[] offsets;
    final double[] values;
    final SplittableRandom rnd;
    int nextScrape;

    BenchWorkload(List<Labels> labels, long start, long interval, long seed) {
        this.labels = labels;
        this.start = start;
        this.interval = interval;
        this.offsets = new long[labels.size()];
        this.values = new double[labels.size()];
        this.rnd = new SplittableRandom(seed);
        SplittableRandom o = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < offsets.length; i++) offsets[i] = 2 + o.nextLong(interval - 4);
    }

    /** Computes {@link #values} for the next scrape. */
    abstract void step();

    long time(int i, int k) {
        return start + k * interval + offsets[i] + rnd.nextInt(5) - 2;
    }

    void skip(int scrapes) {
        for (int s = 0; s < scrapes; s++) {
            step();
            nextScrape++;
        }
    }

    /** Appends the next {@code scrapes} scrapes to {@code db}, one commit per scrape. */
    void append(Tsdb db, int scrapes) throws IOException {
        long[] refs = new long[labels.size()];
        boolean first = true;
        for (int s = 0; s < scrapes; s++) {
            step();
            int k = nextScrape++;
            Appender app = db.appender();
            for (int i = 0; i < refs.length; i++) {
                long t = time(i, k);
                if (first) refs[i] = app.append(labels.get(i), t, values[i]);
                else app.append(refs[i], t, values[i]);
            }
            app.commit();
            first = false;
        }
    }

    /** A fresh database in a scratch directory that never syncs and never cuts a block by itself here. */
    static Tsdb scratchDb(Path dir) throws IOException {
        return Tsdb.open(dir, TsdbOptions.defaults().withSyncPolicy(SyncPolicy.NONE));
    }

    /**
     * Writes the next {@code scrapes} scrapes as one block {@code [mint, maxt)} in {@code dataDir}, by appending
     * them to a scratch head and persisting it exactly as the database cuts its head.
     */
    BlockMeta writeBlock(Path dataDir, int scrapes, long mint, long maxt) throws IOException {
        Path tmp = BenchDirs.create("tsdb4j-bench-head");
        try {
            try (Tsdb db = scratchDb(tmp)) {
                append(db, scrapes);
                Optional<BlockMeta> m = BlockWriter.writeFromHead(dataDir, db.head(), mint, maxt);
                return m.orElseThrow();
            }
        } finally {
            BenchDirs.delete(tmp);
        }
    }

    static long floorTo(long t, long unit) {
        return Math.floorDiv(t, unit) * unit;
    }

    static long dirBytes(Path d) throws IOException {
        if (!Files.exists(d)) return 0;
        try (var s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The 20kseries.json label sets: even series are counters, odd ones 2-decimal gauges. */
    static final class Mixed extends BenchWorkload {
        Mixed(List<Labels> labels, long start) {
            super(labels, start, 15_000, 42);
            for (int i = 1; i < values.length; i += 2) values[i] = 50;
        }

        @Override
        void step() {
            for (int i = 0; i < values.length; i++) {
                if ((i & 1) == 0) values[i] += rnd.nextInt(100);
                else values[i] = Math.round((values[i] + (rnd.nextInt(201) - 100) / 100.0) * 100) / 100.0;
            }
        }
    }

    /**
     * The PromQL workload: {@code x{job,instance}} counters (10 jobs × 1000 instances), gauges {@code y} and
     * {@code z} per instance, and a histogram {@code h_bucket{job,instance,le}} with 10 buckets per instance.
     */
    static final class PromQL extends BenchWorkload {
        static final int JOBS = 10;
        static final int INSTANCES = 1000;
        static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
        static final int X = JOBS * INSTANCES;
        static final int H = INSTANCES * LE.length;
        final int firstY = X, firstZ = X + INSTANCES, firstH = X + 2 * INSTANCES;

        PromQL(long start) {
            super(series(), start, 15_000, 7);
            for (int i = firstY; i < firstH; i++) values[i] = 1 + rnd.nextInt(100);
        }

        static List<Labels> series() {
            List<Labels> out = new ArrayList<>();
            for (int inst = 0; inst < INSTANCES; inst++) {
                for (int j = 0; j < JOBS; j++) {
                    out.add(Labels.of("__name__", "x", "job", "job-" + j, "instance", "inst-" + inst));
                }
            }
            for (int inst = 0; inst < INSTANCES; inst++) out.add(Labels.of("__name__", "y", "instance", "inst-" + inst));
            for (int inst = 0; inst < INSTANCES; inst++) out.add(Labels.of("__name__", "z", "instance", "inst-" + inst));
            for (int inst = 0; inst < INSTANCES; inst++) {
                for (String le : LE) {
                    out.add(Labels.of("__name__", "h_bucket", "job", "job-" + (inst % JOBS), "instance", "inst-" + inst,
                            "le", le));
                }
            }
            return out;
        }

        @Override
        void step() {
            for (int i = 0; i < X; i++) values[i] += rnd.nextInt(100);
            for (int i = firstY; i < firstH; i++) values[i] = Math.max(1, values[i] + rnd.nextInt(21) - 10);
            for (int inst = 0; inst < INSTANCES; inst++) {
                int base = firstH + inst * LE.length;
                int n = rnd.nextInt(20);
                for (int o = 0; o < n; o++) {
                    int b = Math.min(LE.length - 1, (int) (Math.abs(rnd.nextGaussian()) * 3));
                    for (int bb = b; bb < LE.length; bb++) values[base + bb]++;
                }
            }
        }

        /** Scrapes needed for the window, in points: per series and step, how many samples a [5m] range sees. */
        static final long SAMPLES_PER_SERIES = TWO_HOURS / 15_000;
    }

}
