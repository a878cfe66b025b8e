package io.tsdb4j.block;

import io.tsdb4j.Querier;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/** BlockWriter then Block against the naive {@link Model}: selects, ranges, matchers, tombstones, label APIs. */
class BlockRoundTripTest {

    @Property(tries = 60)
    void blockReadsBackWhatWasWritten(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        Path data = Files.createTempDirectory("blk");
        try {
            Model model = Model.random(r, 12, 0, 10_000, 400);
            BlockMeta meta = BlockWriter.write(data, 0, 10_000, model.toSeriesData(r, 150));
            assertEquals(model.numSamples(), meta.stats().numSamples(), "seed " + seed);
            assertEquals(model.series.size(), meta.stats().numSeries());
            assertFalse(Files.exists(data.resolve(meta.ulid() + ".tmp-for-creation")));
            try (Block b = Block.open(data.resolve(meta.ulid().toString()))) {
                assertEquals(meta, b.meta());
                assertEquals(model, Model.of(b.select(Long.MIN_VALUE, Long.MAX_VALUE)), "seed " + seed);
                for (int q = 0; q < 5; q++) {
                    long a = r.nextInt(11_000) - 500, c = a + r.nextInt(6000);
                    Matcher[] ms = randomMatchers(r, model);
                    assertEquals(model.select(a, c, ms), Model.of(b.select(a, c, ms)), "seed " + seed + " range " + a + ".." + c);
                }
                // Label APIs.
                TreeSet<String> names = new TreeSet<>(Labels::compareUtf8);
                model.series.keySet().forEach(l -> names.addAll(l.names()));
                assertEquals(new ArrayList<>(names), b.labelNames());
                for (String n : Model.NAMES) {
                    TreeSet<String> vals = new TreeSet<>(Labels::compareUtf8);
                    model.series.keySet().forEach(l -> { if (l.has(n)) vals.add(l.get(n)); });
                    assertEquals(new ArrayList<>(vals), b.labelValues(n));
                    Matcher m = Matcher.notEqual("job", "x");
                    TreeSet<String> vals2 = new TreeSet<>(Labels::compareUtf8);
                    model.series.keySet().forEach(l -> { if (l.has(n) && m.matches(l.get("job"))) vals2.add(l.get(n)); });
                    assertEquals(new ArrayList<>(vals2), b.labelValues(n, m));
                }

                // Tombstones: deletes filter reads, persist, and update the meta.
                Model expect = model.copy();
                for (int d = 0; d < 3; d++) {
                    long a = r.nextInt(10_000), c = a + r.nextInt(3000);
                    Matcher[] ms = randomMatchers(r, model);
                    b.delete(a, c, ms);
                    expect.delete(a, c, ms);
                    assertEquals(expect, Model.of(b.select(Long.MIN_VALUE, Long.MAX_VALUE)), "seed " + seed);
                }
                assertEquals(b.tombstones().total(), b.meta().stats().numTombstones());
            }
        } finally {
            FileUtil.deleteRecursively(data);
        }
    }

    static Matcher[] randomMatchers(Random r, Model model) {
        List<Labels> ls = new ArrayList<>(model.series.keySet());
        Labels l = ls.get(r.nextInt(ls.size()));
        int i = r.nextInt(l.size());
        return switch (r.nextInt(5)) {
            case 0 -> new Matcher[0];
            case 1 -> new Matcher[]{Matcher.equal(l.name(i), l.value(i))};
            case 2 -> new Matcher[]{Matcher.notEqual(l.name(i), l.value(i)), Matcher.regex("__name__", ".*")};
            case 3 -> new Matcher[]{Matcher.regex(l.name(i), ".+"), Matcher.equal("job", "")};
            default -> new Matcher[]{Matcher.regex(l.name(i), "x|y|up|0")};
        };
    }

    @Test
    void tombstonesSurviveReopenAndSeekWorks(@TempDir Path data) throws IOException {
        Model m = new Model();
        TreeMap<Long, Long> s = new TreeMap<>();
        for (long t = 0; t < 1000; t += 10) s.put(t, Double.doubleToRawLongBits(t));
        m.series.put(Labels.of("__name__", "m"), s);
        m.series.put(Labels.of("job", "nometric"), new TreeMap<>(s));
        BlockMeta meta = BlockWriter.write(data, 0, 1000, m.toSeriesData(new Random(3), 30));
        Path dir = data.resolve(meta.ulid().toString());
        try (Block b = Block.open(dir)) {
            assertEquals(1, b.delete(100, 495, Matcher.equal("__name__", "m")));
            assertEquals(0, b.delete(5000, 6000));
        }
        m.delete(100, 495, Matcher.equal("__name__", "m"));
        try (Block b = Block.open(dir)) {
            assertEquals(1, b.meta().stats().numTombstones());
            assertEquals(List.of(new Tombstones.Interval(100, 495)), b.tombstones().intervals(b.tombstones().seriesRefs().get(0)));
            assertEquals(m, Model.of(b.select(0, 2000)));
            SeriesSet set = b.select(0, 2000, Matcher.equal("__name__", "m"));
            assertTrue(set.next());
            SampleIterator it = set.at().iterator();
            assertTrue(it.seek(50));
            assertEquals(50, it.t());
            assertTrue(it.seek(50));
            assertEquals(50, it.t());
            assertTrue(it.seek(120));
            assertEquals(500, it.t());
            assertTrue(it.next());
            assertEquals(510, it.t());
            assertTrue(it.seek(990));
            assertFalse(it.next());
            assertFalse(it.seek(0));
            assertFalse(set.next());
            // Fully deleted series disappear from results.
            b.delete(0, 2000, Matcher.equal("job", "nometric"));
            assertEquals(List.of(Labels.of("__name__", "m")), List.copyOf(Model.of(b.select(0, 2000)).series.keySet()));
            assertTrue(b.size() > 0);
        }
    }

    @Test
    void closeWaitsForQueriersAndRefusesNewOnes(@TempDir Path data) throws Exception {
        Model m = Model.random(new Random(5), 3, 0, 100, 20);
        BlockMeta meta = BlockWriter.write(data, 0, 100, m.toSeriesData(new Random(5), 10));
        Block b = Block.open(data.resolve(meta.ulid().toString()));
        Querier q = b.querier(0, 99);
        SeriesSet set = q.select();
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            b.close();
            closed.set(true);
        });
        t.start();
        started.await();
        // Until the querier is closed, the block stays readable and close() keeps waiting.
        Model got = Model.of(set);
        assertEquals(m, got);
        assertFalse(closed.get());
        q.close();
        t.join(10_000);
        assertTrue(closed.get());
        assertFalse(b.acquire());
        assertThrows(IllegalStateException.class, () -> b.querier(0, 1));
        assertThrows(IllegalStateException.class, () -> b.select(0, 1));
    }

    @Test
    void aCloseKeptWaitingByAnOpenQuerierSaysSo(@TempDir Path data) throws Exception {
        BlockMeta meta = BlockWriter.write(data, 0, 100, Model.random(new Random(6), 3, 0, 100, 20).toSeriesData(new Random(6), 10));
        Block b = Block.open(data.resolve(meta.ulid().toString()));
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(Block.class.getName());
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch twoWarnings = new CountDownLatch(2);
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
                    twoWarnings.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(handler);
        long before = Block.closeWarnMillis;
        Block.closeWarnMillis = 50;
        try {
            Querier leaked = b.querier(0, 99);
            Thread t = new Thread(b::close);
            t.start();
            boolean warnedTwice = twoWarnings.await(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(t.isAlive(), "close waits for the querier");
            assertTrue(warnedTwice, "a warning per period while it waits: " + warnings);
            assertTrue(warnings.get(0).contains(meta.ulid().toString()) && warnings.get(0).contains("1 open reader(s)"), warnings.get(0));
            leaked.close();
            t.join(10_000);
            assertFalse(t.isAlive(), "close returns once the querier is closed");
        } finally {
            Block.closeWarnMillis = before;
            jul.removeHandler(handler);
        }
    }

    @Test
    void writerRejectsMisuseAndCleansUp(@TempDir Path data) throws IOException {
        try (BlockWriter w = BlockWriter.create(data, 0, 100)) {
            w.addSymbols(List.of("a", "b"));
            w.addSeries(Labels.of("a", "b"), List.of(chunk(5, 6)));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(Labels.of("a", "a"), List.of(chunk(1))));
            assertThrows(IllegalStateException.class, () -> w.addSymbols(List.of("z")));
            assertThrows(IllegalArgumentException.class, () -> w.addSeries(Labels.of("a", "c"), List.of(chunk(100))));
            assertTrue(Files.exists(data.resolve(w.ulid() + BlockWriter.TMP_CREATION_SUFFIX)));
        }
        try (var s = Files.list(data)) {
            assertEquals(0, s.count(), "an uncommitted writer leaves nothing behind");
        }
    }

    static ChunkData chunk(long... ts) {
        io.tsdb4j.chunk.XorChunk c = new io.tsdb4j.chunk.XorChunk();
        for (long t : ts) c.append(t, t);
        return ChunkData.of(c);
    }

    @Property(tries = 200)
    void mergedSeriesSetsEqualModelUnion(@ForAll long seed) {
        Random r = new Random(seed);
        int k = 1 + r.nextInt(4);
        List<Model> parts = new ArrayList<>();
        Model union = new Model();
        for (int i = 0; i < k; i++) {
            Model m = Model.random(r, 5, 0, 200, 30);
            parts.add(m);
            union.mergeFrom(m); // earlier inputs win on equal timestamps
        }
        List<SeriesSet> sets = new ArrayList<>();
        for (Model m : parts) sets.add(new ModelSeriesSet(m));
        assertEquals(union, Model.of(io.tsdb4j.query.SeriesSets.merge(sets)), "seed " + seed);

        // seek on merged iterators lands on the first sample >= target.
        for (Map.Entry<Labels, TreeMap<Long, Long>> e : union.series.entrySet()) {
            List<SampleIterator> its = new ArrayList<>();
            for (Model m : parts) if (m.series.containsKey(e.getKey())) its.add(new ModelSeriesSet(m).iter(e.getKey()));
            SampleIterator it = io.tsdb4j.query.SeriesSets.mergeSamples(its.toArray(new SampleIterator[0]));
            long target = r.nextInt(220);
            Long want = e.getValue().ceilingKey(target);
            assertEquals(want != null, it.seek(target));
            if (want != null) {
                assertEquals((long) want, it.t());
                assertEquals((long) e.getValue().get(want), Double.doubleToRawLongBits(it.v()));
                Long nxt = e.getValue().higherKey(want);
                assertEquals(nxt != null, it.next());
                if (nxt != null) assertEquals((long) nxt, it.t());
            }
        }
    }

    /** A series set over a model, for merge tests. */
    static final class ModelSeriesSet implements SeriesSet {
        private final java.util.Iterator<Map.Entry<Labels, TreeMap<Long, Long>>> it;
        private final Model m;
        private io.tsdb4j.Series cur;

        ModelSeriesSet(Model m) {
            this.m = m;
            this.it = m.series.entrySet().iterator();
        }

        SampleIterator iter(Labels l) {
            List<Map.Entry<Long, Long>> s = new ArrayList<>(m.series.get(l).entrySet());
            return new SampleIterator() {
                int i = -1;

                @Override
                public boolean next() {
                    return ++i < s.size();
                }

                @Override
                public boolean seek(long t) {
                    if (i < 0) i = 0;
                    while (i < s.size() && s.get(i).getKey() < t) i++;
                    return i < s.size();
                }

                @Override
                public long t() {
                    return s.get(i).getKey();
                }

                @Override
                public double v() {
                    return Double.longBitsToDouble(s.get(i).getValue());
                }
            };
        }

        @Override
        public boolean next() {
            if (!it.hasNext()) return false;
            Labels l = it.next().getKey();
            cur = new io.tsdb4j.Series() {
                @Override
                public Labels labels() {
                    return l;
                }

                @Override
                public SampleIterator iterator() {
                    return iter(l);
                }
            };
            return true;
        }

        @Override
        public io.tsdb4j.Series at() {
            return cur;
        }
    }
}
