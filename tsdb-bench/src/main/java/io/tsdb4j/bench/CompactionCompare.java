package io.tsdb4j.bench;

import io.tsdb4j.Tsdb;
import io.tsdb4j.block.Block;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.block.BlockWriter;
import io.tsdb4j.block.Blocks;
import io.tsdb4j.block.Compactor;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Head compaction and block merging on the same data as Prometheus (see docs/benchmarks.md, "Blocks and PromQL
 * against Prometheus 2.42").
 *
 * <pre>
 * gen DIR SERIES_FILE    three 2h blocks [S, S+6h) written by tsdb4j, and a WAL (no blocks cut) for
 *                        [S+6h, S+9h+1m), so Prometheus started on a copy cuts [S+6h, S+8h) from its head and
 *                        then merges the three blocks; S is written to DIR.info
 * time DIR SERIES_FILE N tsdb4j doing the same in this JVM, N times each: the head [S+6h, S+9h) persisted as
 *                        the block [S+6h, S+8h), and the three blocks merged
 * </pre>
 */
public final class CompactionCompare {
    private CompactionCompare() {}

    static final int SERIES = 20_000;
    static final int SCRAPES_2H = (int) (BenchWorkload.TWO_HOURS / 15_000);

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        List<Labels> series = BenchSeries.read(Path.of(args[2]), SERIES);
        switch (args[0]) {
            case "gen" -> gen(dir, series);
            case "time" -> time(dir, series, Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static Path info(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".info");
    }

    static void gen(Path dir, List<Labels> series) throws IOException {
        long now = System.currentTimeMillis();
        long s = BenchWorkload.floorTo(now - 9 * BenchWorkload.HOUR - 10 * 60_000, 6 * BenchWorkload.HOUR);
        Files.createDirectories(dir);
        BenchWorkload w = new BenchWorkload.Mixed(series, s);
        for (int b = 0; b < 3; b++) {
            long mint = s + b * BenchWorkload.TWO_HOURS;
            BlockMeta m = w.writeBlock(dir, SCRAPES_2H, mint, mint + BenchWorkload.TWO_HOURS);
            System.out.printf("block %s [%d, %d) series=%d samples=%d chunks=%d%n", m.ulid(), m.minTime(), m.maxTime(),
                    m.stats().numSeries(), m.stats().numSamples(), m.stats().numChunks());
        }
        // The WAL part: a database whose block range is so long that it never cuts; its chunks_head is dropped so
        // that Prometheus rebuilds the head from the WAL alone, with its own 2h chunk range.
        Path tmp = BenchDirs.create("tsdb4j-bench-wal");
        try {
            try (Tsdb db = Tsdb.open(tmp, io.tsdb4j.TsdbOptions.defaults()
                    .withSyncPolicy(io.tsdb4j.SyncPolicy.NONE).withBlockRange(java.time.Duration.ofHours(24)))) {
                w.append(db, 3 * SCRAPES_2H / 2 + 4);
                if (!db.blocks().isEmpty()) throw new IllegalStateException("the WAL database cut a block");
            }
            Files.move(tmp.resolve("wal"), dir.resolve("wal"));
        } finally {
            BenchDirs.delete(tmp);
        }
        Files.writeString(info(dir), Long.toString(s));
        System.out.printf("S=%d wal=%d bytes%n", s, BenchWorkload.dirBytes(dir.resolve("wal")));
    }

    static void time(Path dir, List<Labels> series, int n) throws IOException {
        long s = Long.parseLong(Files.readString(info(dir)).trim());
        long mint = s + 3 * BenchWorkload.TWO_HOURS;
        BenchWorkload w = new BenchWorkload.Mixed(series, s);
        w.skip(3 * SCRAPES_2H);
        Path headDir = BenchDirs.create("tsdb4j-bench-head");
        try (Tsdb db = BenchWorkload.scratchDb(headDir)) {
            w.append(db, 3 * SCRAPES_2H / 2); // [S+6h, S+9h): spans just under 3h, so it is not cut by itself
            if (!db.blocks().isEmpty()) throw new IllegalStateException("the head cut a block by itself");
            for (int r = 0; r < n; r++) {
                Path out = BenchDirs.create("tsdb4j-bench-out");
                try {
                    long t0 = System.nanoTime();
                    BlockMeta m = BlockWriter.writeFromHead(out, db.head(), mint, mint + BenchWorkload.TWO_HOURS).orElseThrow();
                    long t1 = System.nanoTime();
                    report("head->block", r, t1 - t0, out.resolve(m.ulid().toString()), m);
                } finally {
                    BenchDirs.delete(out);
                }
            }
        } finally {
            BenchDirs.delete(headDir);
        }
        // The compactor marks its inputs deletable (as Prometheus does), so merge copies and leave DIR untouched.
        Path copies = BenchDirs.create("tsdb4j-bench-inputs");
        List<Block> blocks = new ArrayList<>();
        for (Path p : Blocks.blockDirs(dir)) {
            Path c = copies.resolve(p.getFileName());
            try (var files = Files.walk(p)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, c.resolve(p.relativize(f).toString()));
            }
            blocks.add(Block.open(c));
        }
        blocks.sort(Comparator.comparingLong(Block::minTime));
        if (blocks.size() != 3) throw new IllegalStateException("expected 3 blocks in " + dir + ", found " + blocks.size());
        Compactor c = new Compactor(Compactor.exponentialRanges(BenchWorkload.TWO_HOURS, 3, 3));
        for (int r = 0; r < n; r++) {
            Path out = BenchDirs.create("tsdb4j-bench-out");
            try {
                long t0 = System.nanoTime();
                BlockMeta m = c.compact(out, blocks).orElseThrow();
                long t1 = System.nanoTime();
                report("merge3", r, t1 - t0, out.resolve(m.ulid().toString()), m);
            } finally {
                BenchDirs.delete(out);
            }
        }
        for (Block b : blocks) b.close();
        BenchDirs.delete(copies);
    }

    static void report(String what, int run, long nanos, Path block, BlockMeta m) throws IOException {
        long chunks = BenchWorkload.dirBytes(block.resolve("chunks"));
        long index = Files.size(block.resolve("index"));
        long samples = m.stats().numSamples();
        System.out.printf("tsdb4j %s run=%d seconds=%.3f series=%d samples=%d chunks=%d chunkBytes=%d indexBytes=%d "
                        + "B/sample=%.3f (chunks %.3f, index %.1f B/series)%n",
                what, run, nanos / 1e9, m.stats().numSeries(), samples, m.stats().numChunks(), chunks, index,
                (chunks + index) / (double) samples, chunks / (double) samples, index / (double) m.stats().numSeries());
    }
}
