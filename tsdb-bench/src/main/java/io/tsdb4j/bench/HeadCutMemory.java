package io.tsdb4j.bench;

import io.tsdb4j.Appender;
import io.tsdb4j.SyncPolicy;
import io.tsdb4j.Tsdb;
import io.tsdb4j.TsdbOptions;
import io.tsdb4j.labels.Labels;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Shows what a head cut does to memory: ingests 3h10m of 15s samples for the series of a label file (so the head
 * spans more than 1.5 block ranges), measures live heap and RSS, runs the cut (block write, head truncation, WAL
 * checkpoint), and measures again.
 *
 * <p>Usage: {@code HeadCutMemory SERIES_FILE [--metrics N]}
 */
public final class HeadCutMemory {
    public static void main(String[] args) throws Exception {
        int metrics = 20_000;
        for (int i = 1; i < args.length; i++) if (args[i].equals("--metrics")) metrics = Integer.parseInt(args[++i]);
        List<Labels> series = BenchSeries.read(Path.of(args[0]), metrics);
        Path dir = Files.createTempDirectory("tsdb4j-headcut");
        try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withSyncPolicy(SyncPolicy.NONE).withBackgroundCompaction(false))) {
            long[] refs = new long[series.size()];
            long end = 3 * 3_600_000L + 600_000;
            for (long t = 0; t <= end; t += 15_000) {
                Appender a = db.appender();
                for (int i = 0; i < refs.length; i++) {
                    if (refs[i] == 0) refs[i] = a.append(series.get(i), t, t / 15_000.0 + i);
                    else a.append(refs[i], t, t / 15_000.0 + i);
                }
                a.commit();
            }
            // The background maintenance may already have cut; report what the head holds either way.
            report("before cut", db, series.size());
            long start = System.nanoTime();
            db.compact();
            System.out.printf(Locale.ROOT, "cut + compaction + checkpoint took %.2f s, blocks: %s%n", (System.nanoTime() - start) / 1e9, db.blocks().size());
            report("after cut ", db, series.size());
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void report(String when, Tsdb db, int n) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long chunksHead, wal;
        try {
            chunksHead = IngestBench.dirSize(db.dir().resolve("chunks_head"));
            wal = IngestBench.dirSize(db.dir().resolve("wal"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.printf(Locale.ROOT, "%s: head %d series, span %d..%d, head heap %.1f MB, live heap %.1f MB (%.0f B/series), "
                        + "chunks_head %.1f MB (mapped, page cache), WAL %.1f MB, RSS %.1f MB%n",
                when, db.head().numSeries(), db.head().minTime(), db.head().maxTime(), db.head().memoryBytes() / 1e6,
                heap / 1e6, (double) heap / n, chunksHead / 1e6, wal / 1e6, IngestBench.rssKb("VmRSS") / 1024.0);
    }
}
