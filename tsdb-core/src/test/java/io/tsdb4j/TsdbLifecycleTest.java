package io.tsdb4j;

import io.tsdb4j.TestUtil.Sample;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.testing.ProcessRunner;
import io.tsdb4j.testing.RealTools;
import io.tsdb4j.testing.TextAssert;
import io.tsdb4j.tools.Dump;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole life of data: appended into the head, persisted as blocks when the head spans 1.5 ranges, WAL
 * checkpointed, blocks compacted, deleted by matchers, reopened, and finally removed by retention. Checked
 * against a model at every step, and the resulting directory against promtool.
 */
class TsdbLifecycleTest {
    @TempDir
    Path dir;

    static final long RANGE = Duration.ofMinutes(10).toMillis();
    static final int SERIES = 12;

    private static Labels series(int s) {
        return Labels.of("__name__", s % 2 == 0 ? "even" : "odd", "s", Integer.toString(s));
    }

    private static void appendUpTo(Tsdb db, Map<Labels, List<Sample>> model, long from, long to) throws Exception {
        for (long t = from; t < to; t += 15_000) {
            Appender a = db.appender();
            for (int s = 0; s < SERIES; s++) {
                double v = t / 1000.0 + s;
                a.append(series(s), t, v);
                model.computeIfAbsent(series(s), k -> new ArrayList<>()).add(new Sample(t, v));
            }
            a.commit();
        }
    }

    @Test
    void dataSurvivesCutsCompactionDeletionReopenAndRetention() throws Exception {
        TsdbOptions opts = TsdbOptions.defaults().withBlockRange(Duration.ofMillis(RANGE)).withWalSegmentSize(64 * 1024)
                .withRetention(Duration.ZERO);
        Map<Labels, List<Sample>> model = new TreeMap<>();
        try (Tsdb db = Tsdb.open(dir, opts)) {
            appendUpTo(db, model, 0, 3 * 3_600_000L);
            db.compact();
            List<BlockMeta> blocks = db.blocks();
            assertFalse(blocks.isEmpty(), "the head was cut into blocks");
            assertTrue(blocks.stream().anyMatch(m -> m.compaction().level() > 1), "blocks were compacted: " + blocks);
            assertTrue(db.head().minTime() >= 2 * 3_600_000L, "head truncated, min time " + db.head().minTime());
            assertEquals(model, TestUtil.readAll(db), "head + blocks = everything appended");
            try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
                assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("checkpoint.")), "WAL checkpointed");
            }
            for (int i = 1; i < blocks.size(); i++) {
                assertTrue(blocks.get(i - 1).maxTime() <= blocks.get(i).minTime(), "blocks do not overlap: " + blocks);
            }

            // Delete across blocks and head.
            db.delete(3_000_000, 9_000_000, Matcher.equal("__name__", "even"));
            model.forEach((l, samples) -> {
                if (l.metricName().equals("even")) samples.removeIf(x -> x.t() >= 3_000_000 && x.t() <= 9_000_000);
            });
            assertEquals(model, TestUtil.readAll(db));
            appendUpTo(db, model, 3 * 3_600_000L, 3 * 3_600_000L + 1_800_000);
        }
        try (Tsdb db = Tsdb.open(dir, opts)) {
            assertEquals(model, TestUtil.readAll(db), "after reopen (blocks + checkpoint + WAL)");
            db.cleanTombstones();
            assertEquals(model, TestUtil.readAll(db), "after cleaning tombstones");
        }

        // promtool reads the same directory to the same samples.
        Files.deleteIfExists(dir.resolve("lock"));
        ProcessRunner.Result analyze = ProcessRunner.run(dir.getParent(), 120, List.of(RealTools.promtool(), "tsdb", "analyze", dir.toString()));
        assertEquals(0, analyze.exitCode(), "promtool tsdb analyze: " + analyze.stdout() + analyze.stderr());
        ProcessRunner.Result dump = ProcessRunner.run(dir.getParent(), 120, List.of(RealTools.promtool(), "tsdb", "dump", dir.toString()));
        assertEquals(0, dump.exitCode(), dump.stderr());
        StringBuilder ours = new StringBuilder();
        try (Tsdb db = Tsdb.openReadOnly(dir)) {
            Dump.dump(db, Long.MIN_VALUE, Long.MAX_VALUE, new Matcher[0], ours);
        }
        TextAssert.assertLinesEqual(dump.stdout(), ours.toString());

        // Retention by time removes whole old blocks.
        try (Tsdb db = Tsdb.open(dir, opts.withRetention(Duration.ofMinutes(60)))) {
            db.compact();
            long oldest = db.blocks().stream().mapToLong(BlockMeta::minTime).min().orElse(Long.MAX_VALUE);
            assertTrue(oldest >= 3 * 3_600_000L - 2 * 3_600_000L, "old blocks removed, oldest now " + oldest + " " + db.blocks());
            Map<Labels, List<Sample>> left = TestUtil.readAll(db);
            for (List<Sample> s : left.values()) assertEquals(3 * 3_600_000L + 1_800_000 - 15_000, s.get(s.size() - 1).t());
        }
    }
}
