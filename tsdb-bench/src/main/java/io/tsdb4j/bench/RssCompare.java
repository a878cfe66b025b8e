package io.tsdb4j.bench;

import io.tsdb4j.Tsdb;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.block.BlockWriter;
import io.tsdb4j.block.ChunkData;
import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A data directory for the resident-memory comparison: one 2h block [B, B+2h) holding {@code BLOCK_SERIES}
 * series {@code blk} (one 120-sample chunk each, 60 s apart) and a head (WAL and chunks_head) holding
 * {@code HEAD_SERIES} active series {@code act} with 30 minutes of 15 s samples after the block.
 *
 * <pre>gen DIR BLOCK_SERIES HEAD_SERIES</pre> B is written to DIR.info.
 */
public final class RssCompare {
    private RssCompare() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        int blockSeries = Integer.parseInt(args[2]);
        int headSeries = Integer.parseInt(args[3]);
        long b = BenchWorkload.floorTo(System.currentTimeMillis() - 2 * BenchWorkload.HOUR - 35 * 60_000,
                BenchWorkload.TWO_HOURS);
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(3);
        long t0 = System.nanoTime();
        try (BlockWriter w = BlockWriter.create(dir, b, b + BenchWorkload.TWO_HOURS)) {
            List<String> syms = new ArrayList<>(List.of("__name__", "blk", "id", "instance", "job"));
            for (int i = 0; i < blockSeries; i++) syms.add(id(i));
            for (int h = 0; h <= blockSeries / 100; h++) syms.add(host(h));
            for (int j = 0; j < 10; j++) syms.add("job-" + j);
            w.addSymbols(syms);
            for (int i = 0; i < blockSeries; i++) {
                XorChunk c = new XorChunk(256);
                double v = 0;
                long off = rnd.nextLong(59_000);
                for (int k = 0; k < 120; k++) {
                    v += rnd.nextInt(100);
                    c.append(b + k * 60_000L + off, v);
                }
                w.addSeries(labels("blk", i), List.of(ChunkData.of(c)));
            }
            BlockMeta m = w.commit();
            System.out.printf("block %s series=%d samples=%d in %.1f s%n", m.ulid(), m.stats().numSeries(),
                    m.stats().numSamples(), (System.nanoTime() - t0) / 1e9);
        }
        List<Labels> act = new ArrayList<>();
        for (int i = 0; i < headSeries; i++) act.add(labels("act", i));
        BenchWorkload head = new BenchWorkload(act, b + BenchWorkload.TWO_HOURS, 15_000, 5) {
            @Override
            void step() {
                for (int i = 0; i < values.length; i++) values[i] += rnd.nextInt(100);
            }
        };
        try (Tsdb db = BenchWorkload.scratchDb(dir)) {
            head.append(db, 120);
            System.out.printf("head %s, blocks=%d%n", db.headStats(), db.blocks().size());
        }
        Files.writeString(CompactionCompare.info(dir), Long.toString(b));
        System.out.printf("B=%d total %.1f s%n", b, (System.nanoTime() - t0) / 1e9);
    }

    static String id(int i) {
        return String.format("%07d", i);
    }

    static String host(int h) {
        return String.format("host-%05d", h);
    }

    static Labels labels(String name, int i) {
        return Labels.of("__name__", name, "id", id(i), "instance", host(i / 100), "job", "job-" + (i % 10));
    }
}
