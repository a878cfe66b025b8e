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

    @Test
    void aDeleteDuringAHeadCutStaysDeleted() throws Exception {
        TsdbOptions opts = TsdbOptions.defaults().withBlockRange(Duration.ofMillis(1000)).withBackgroundCompaction(false);
        try (Tsdb db = Tsdb.open(dir, opts)) {
            // Enough series that writing the block takes a while.
            for (long t = 0; t < 2000; t += 100) {
                Appender a = db.appender();
                for (int s = 0; s < 20_000; s++) a.append(Labels.of("__name__", "m", "s", Integer.toString(s)), t, t);
                a.commit();
            }
            CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
                try {
                    db.compact(); // writes [0, 1000) as a block
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Delete once the block is being written (its temporary directory exists), before it is published.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!writingBlock() && !cut.isDone() && System.nanoTime() < deadline) Thread.onSpinWait();
            assertTrue(writingBlock() || !db.blocks().isEmpty(), "the head cut ran");
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
        try (Tsdb db = Tsdb.open(dir, opts)) {
            for (List<Sample> samples : TestUtil.readAll(db).values()) {
                for (Sample s : samples) assertNotEquals(500, s.t(), "the deleted sample after reopening");
            }
        }
    }

    @Test
    void aSnapshotDuringAHeadCutHoldsEverySample(@TempDir Path snapshots) throws Exception {
        TsdbOptions opts = TsdbOptions.defaults().withBlockRange(Duration.ofMillis(1000)).withBackgroundCompaction(false);
        Map<Labels, List<Sample>> before;
        try (Tsdb db = Tsdb.open(dir, opts)) {
            for (long t = 0; t < 2000; t += 100) {
                Appender a = db.appender();
                for (int s = 0; s < 20_000; s++) a.append(Labels.of("__name__", "m", "s", Integer.toString(s)), t, t);
                a.commit();
            }
            before = TestUtil.readAll(db);
            CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
                try {
                    db.compact();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!writingBlock() && !cut.isDone() && System.nanoTime() < deadline) Thread.onSpinWait();
            db.snapshot(snapshots.resolve("s"));
            cut.get();
        }
        try (Tsdb copy = Tsdb.open(snapshots.resolve("s"), opts)) {
            assertEquals(before, TestUtil.readAll(copy), "the snapshot taken during the head cut");
        }
    }

    private boolean writingBlock() throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(BlockWriter.TMP_CREATION_SUFFIX));
        }
    }
}
