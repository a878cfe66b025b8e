package io.tsdb4j.block;

import io.tsdb4j.labels.Matcher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Planning (table tests) and compaction (property against the merged model). */
class CompactorTest {
    private static final Compactor C = new Compactor(new long[]{20, 60, 180, 540});

    private static int seq;

    static BlockMeta meta(long min, long max) {
        return meta(min, max, 100, 0);
    }

    static BlockMeta meta(long min, long max, long series, long tombstones) {
        Ulid u = Ulid.generate(++seq);
        return new BlockMeta(u, min, max, new BlockMeta.Stats(1000, series, 10, tombstones), BlockMeta.Compaction.level1(u), 1);
    }

    @Test
    void plansOverlappingBlocksFirst() {
        BlockMeta a = meta(0, 20), b = meta(10, 30), c = meta(40, 60), d = meta(60, 80), e = meta(80, 100);
        assertEquals(List.of(a, b), C.plan(List.of(e, c, b, a, d)));
        // A later overlap run is found when the first blocks do not overlap.
        BlockMeta f = meta(85, 90);
        assertEquals(List.of(e, f), C.plan(List.of(c, d, e, f)));
        // Contained blocks overlap too.
        BlockMeta big = meta(0, 60), small = meta(20, 40);
        assertEquals(List.of(big, small), C.plan(List.of(small, big, d)));
    }

    @Test
    void plansFirstCompleteRangeLeavingTheNewestBlockOut() {
        BlockMeta a = meta(0, 20), b = meta(20, 40), c = meta(40, 60), d = meta(60, 80);
        assertEquals(List.of(a, b, c), C.plan(List.of(d, c, b, a)));
        // Newest excluded: [0,20),[20,40) neither fill 60 nor end before the newest remaining block's start.
        assertEquals(List.of(), C.plan(List.of(a, b, c)));
        // Gaps are fine when the group lies before the newest block.
        BlockMeta e = meta(120, 140);
        BlockMeta g = meta(140, 160);
        assertEquals(List.of(a, b), C.plan(List.of(a, b, e, g)));
        // A higher level: three 60-blocks make 180.
        BlockMeta x = meta(0, 60), y = meta(60, 120), z = meta(120, 180), w = meta(180, 200);
        assertEquals(List.of(x, y, z), C.plan(List.of(x, y, z, w)));
        // Deletable and failed blocks are not picked.
        BlockMeta cDel = c.withCompaction(c.compaction().withDeletable(true));
        assertEquals(List.of(), C.plan(List.of(a, b, cDel)));
        BlockMeta aFailed = a.withCompaction(a.compaction().withFailed(true));
        assertEquals(List.of(), C.plan(List.of(aFailed, b, c, d)));
        assertEquals(List.of(), C.plan(List.of()));
        assertEquals(List.of(), C.plan(List.of(a)));
    }

    @Test
    void plansBlocksWithManyTombstones() {
        BlockMeta big = meta(0, 180, 100, 10), newest = meta(180, 200);
        assertEquals(List.of(big), C.plan(List.of(big, newest)));
        BlockMeta fewTombstones = meta(0, 180, 100, 5);
        assertEquals(List.of(), C.plan(List.of(fewTombstones, newest)));
        // Small blocks only when everything is deleted.
        BlockMeta small = meta(0, 20, 4, 4);
        assertEquals(List.of(small), C.plan(List.of(small, meta(20, 40))));
        BlockMeta smallPartly = meta(0, 20, 4, 1);
        assertEquals(List.of(), C.plan(List.of(smallPartly, meta(20, 40))));
    }

    @Test
    void defaultRanges() {
        long h = 3_600_000L;
        assertArrayEquals(new long[]{2 * h, 6 * h, 18 * h, 54 * h, 162 * h, 486 * h}, Compactor.defaultRanges(31 * 24 * h));
        assertArrayEquals(new long[]{2 * h}, Compactor.defaultRanges(h));
    }

    @Property(tries = 40)
    void compactionEqualsMergedContentsMinusTombstones(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        Path data = Files.createTempDirectory("cmp");
        try {
            int k = 1 + r.nextInt(3);
            record In(BlockMeta meta, Model model) {}
            List<In> ins = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                long min = r.nextInt(3) * 1000L;
                long max = min + 500 + r.nextInt(2000);
                Model m = Model.random(r, 6, min, max, 300);
                // Share label sets between blocks sometimes, so that series overlap.
                if (!ins.isEmpty() && r.nextBoolean()) {
                    Model prev = ins.get(0).model;
                    var l = prev.series.firstKey();
                    Model extra = Model.random(r, 1, min, max, 200);
                    m.series.put(l, extra.series.firstEntry().getValue());
                }
                BlockMeta meta = BlockWriter.write(data, min, max, m.toSeriesData(r, 150));
                ins.add(new In(meta, m));
            }
            ins.sort(Comparator.comparingLong((In x) -> x.meta.minTime()).thenComparing(x -> x.meta.ulid()));
            List<Block> blocks = new ArrayList<>();
            Model expect = new Model();
            try {
                for (In in : ins) {
                    Block b = Block.open(data.resolve(in.meta.ulid().toString()));
                    blocks.add(b);
                    Model m = in.model.copy();
                    for (int d = 0; d < r.nextInt(3); d++) {
                        long a = r.nextInt(3500), c = a + r.nextInt(800);
                        Matcher[] ms = BlockRoundTripTest.randomMatchers(r, in.model);
                        b.delete(a, c, ms);
                        m.delete(a, c, ms);
                    }
                    expect.mergeFrom(m);
                }
                Optional<BlockMeta> out = new Compactor(new long[]{20, 60}, 4096).compact(data, blocks);
                for (Block b : blocks) assertTrue(b.meta().compaction().deletable());
                for (In in : ins) assertTrue(BlockMeta.read(data.resolve(in.meta.ulid().toString())).compaction().deletable());
                if (expect.series.isEmpty()) {
                    assertTrue(out.isEmpty());
                    return;
                }
                BlockMeta nm = out.orElseThrow();
                assertEquals(2, nm.compaction().level());
                assertEquals(ins.stream().map(x -> x.meta.ulid()).sorted().toList(), nm.compaction().sources());
                assertEquals(ins.stream().map(x -> new BlockMeta.Parent(x.meta.ulid(), x.meta.minTime(), x.meta.maxTime())).toList(),
                        nm.compaction().parents());
                assertEquals(ins.stream().mapToLong(x -> x.meta.minTime()).min().getAsLong(), nm.minTime());
                assertEquals(ins.stream().mapToLong(x -> x.meta.maxTime()).max().getAsLong(), nm.maxTime());
                assertEquals(expect.numSamples(), nm.stats().numSamples(), "seed " + seed);
                try (Block c = Block.open(data.resolve(nm.ulid().toString()))) {
                    c.verify();
                    assertEquals(expect, Model.of(c.select(Long.MIN_VALUE, Long.MAX_VALUE)), "seed " + seed);
                    assertEquals(0, c.meta().stats().numTombstones());
                }
            } finally {
                for (Block b : blocks) b.close();
            }
        } finally {
            FileUtil.deleteRecursively(data);
        }
    }

    @Test
    void overlappingChunksAreReencodedAt120Samples(@TempDir Path data) throws IOException {
        Model a = new Model(), b = new Model();
        var l = io.tsdb4j.labels.Labels.of("__name__", "x");
        a.series.put(l, new java.util.TreeMap<>());
        b.series.put(l, new java.util.TreeMap<>());
        for (long t = 0; t < 300; t++) {
            (t % 2 == 0 ? a : b).series.get(l).put(t, Double.doubleToRawLongBits(t));
            if (t % 10 == 0) b.series.get(l).put(t, Double.doubleToRawLongBits(-1)); // duplicate: a's value wins
        }
        BlockMeta ma = BlockWriter.write(data, 0, 300, a.toSeriesData(new Random(1), 200));
        BlockMeta mb = BlockWriter.write(data, 0, 300, b.toSeriesData(new Random(2), 200));
        List<Block> bs = List.of(Block.open(data.resolve(ma.ulid().toString())), Block.open(data.resolve(mb.ulid().toString())));
        try {
            assertEquals(Set.copyOf(List.of(ma, mb)), Set.copyOf(C.plan(List.of(ma, mb))));
            BlockMeta out = new Compactor(new long[]{300}).compact(data, bs).orElseThrow();
            assertEquals(300, out.stats().numSamples());
            assertEquals(3, out.stats().numChunks()); // 120 + 120 + 60
            Model expect = new Model();
            Block first = bs.get(0).minTime() == bs.get(1).minTime() && bs.get(0).ulid().compareTo(bs.get(1).ulid()) < 0 ? bs.get(0) : bs.get(1);
            expect.mergeFrom(first == bs.get(0) ? a : b);
            expect.mergeFrom(first == bs.get(0) ? b : a);
            try (Block c = Block.open(data.resolve(out.ulid().toString()))) {
                assertEquals(expect, Model.of(c.select(0, 1000)));
            }
        } finally {
            for (Block x : bs) x.close();
        }
    }
}
