package io.tsdb4j;

import io.tsdb4j.TestUtil.Sample;
import io.tsdb4j.block.BlockWriter;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Deletes and snapshots racing a head cut. A delete must not come back through the block the cut is writing (the
 * cut copied the head before the delete and publishes the block after it); a snapshot must not miss the range
 * being cut (not yet a published block when it lists blocks, gone from the head when it copies the head). Both
 * wait for head cuts and compactions, as Prometheus's do (its compaction mutex).
 */
class DeleteRaceTest {
    @TempDir
    Path dir;

    private static final TsdbOptions OPTS = TsdbOptions.defaults().withBlockRange(Duration.ofMillis(1000))
            .withBackgroundCompaction(false);

    @Test
    void aDeleteDuringAHeadCutStaysDeleted() throws Exception {
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            fillHead(db);
            CompletableFuture<Void> cut = cutHeadAndAwaitBlockWrite(db);
            db.delete(500, 500, Matcher.equal("__name__", "m"));
            cut.get();
            assertEquals(1, db.blocks().size());

            Map<Labels, List<Sample>> all = TestUtil.readAll(db);
            assertEquals(20_000, all.size());
            for (Map.Entry<Labels, List<Sample>> e : all.entrySet()) {
                for (Sample s : e.getValue()) assertNotEquals(500, s.t(), e.getKey() + " still has the deleted sample");
                assertEquals(19, e.getValue().size(), e.getKey().toString());
            }
        }
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            for (List<Sample> samples : TestUtil.readAll(db).values()) {
                for (Sample s : samples) assertNotEquals(500, s.t(), "the deleted sample after reopening");
            }
        }
    }

    @Test
    void aSnapshotDuringAHeadCutHoldsEverySample(@TempDir Path snapshots) throws Exception {
        Map<Labels, List<Sample>> before;
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            fillHead(db);
            before = TestUtil.readAll(db);
            CompletableFuture<Void> cut = cutHeadAndAwaitBlockWrite(db);
            db.snapshot(snapshots.resolve("s"));
            cut.get();
        }
        try (Tsdb copy = Tsdb.open(snapshots.resolve("s"), OPTS)) {
            assertEquals(before, TestUtil.readAll(copy), "the snapshot taken during the head cut");
        }
    }

    /** 20 000 series with samples every 100 ms over [0, 2000): enough that writing the first block takes a while. */
    private static void fillHead(Tsdb db) throws java.io.IOException {
        for (long t = 0; t < 2000; t += 100) {
            Appender a = db.appender();
            for (int s = 0; s < 20_000; s++) a.append(Labels.of("__name__", "m", "s", Integer.toString(s)), t, t);
            a.commit();
        }
    }

    /** Starts cutting [0, 1000) into a block and returns once the block is being written (or the cut is done). */
    private CompletableFuture<Void> cutHeadAndAwaitBlockWrite(Tsdb db) throws java.io.IOException {
        CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
            try {
                db.compact();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // Its temporary directory exists from the start of the block write until the block is published.
        long deadline = System.nanoTime() + 30_000_000_000L;
        boolean writing;
        while (!(writing = writingBlock()) && !cut.isDone() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertTrue(writing || cut.isDone(), "the head cut did not start within 30 s");
        return cut;
    }

    private boolean writingBlock() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(BlockWriter.TMP_CREATION_SUFFIX));
        }
    }
}
