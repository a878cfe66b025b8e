package io.tsdb4j;

import io.tsdb4j.TestUtil.Sample;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.testing.ProcessRunner;
import io.tsdb4j.testing.RealTools;
import io.tsdb4j.testing.TextAssert;
import io.tsdb4j.tools.Dump;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A series that a head cut removed (it had no samples left) and that came back gets a new reference, so the WAL
 * then names the same labels by two references. Replay folds both onto one series; the WAL checkpoints after that
 * must still carry the second reference's records, or its samples not yet in a block are lost at the next open.
 * (Found by CrashTest: a batch just after a block boundary went missing.)
 */
class WalDuplicateSeriesTest {
    @TempDir
    Path dir;

    static final Labels L = Labels.of("__name__", "churn", "s", "back");
    static final Labels M = Labels.of("__name__", "steady");

    private static final TsdbOptions OPTS = TsdbOptions.defaults().withBlockRange(Duration.ofMillis(200))
            .withBackgroundCompaction(false);

    private static void append(Tsdb db, Labels l, long t) throws Exception {
        Appender a = db.appender();
        a.append(l, t, t);
        a.commit();
    }

    @Test
    void samplesLoggedUnderTheSecondReferenceOfALabelSetSurviveLaterCheckpoints() throws Exception {
        long firstRef;
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            Appender a = db.appender();
            firstRef = a.append(L, 100, 100);
            a.append(M, 100, 100);
            a.commit();
            append(db, M, 450);
            db.compact(); // block [100, 200); L has nothing left and leaves the head; its series record stays in the WAL
            assertEquals(1, db.blocks().size());
            Appender b = db.appender();
            long secondRef = b.append(L, 650, 650);
            b.commit();
            assertNotEquals(firstRef, secondRef, "L came back as a new series");
        }
        // Each open starts a WAL segment: enough of them that the next checkpoint covers the segment holding
        // L's second series record.
        for (int i = 0; i < 3; i++) Tsdb.open(dir, OPTS).close();
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            assertEquals(List.of(new Sample(100, 100), new Sample(650, 650)), TestUtil.readAll(db).get(L), "replay folds both references onto L");
            append(db, M, 800);
            db.compact(); // block [450, 600), head truncated at 600, WAL checkpointed: 650 lives only in the WAL
            assertTrue(db.blocks().stream().allMatch(m -> m.maxTime() <= 600), "650 is not in a block yet");
        }
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            Map<Labels, List<Sample>> all = TestUtil.readAll(db);
            assertEquals(List.of(new Sample(100, 100), new Sample(650, 650)), all.get(L), "L's sample after the checkpoint");
            assertEquals(List.of(new Sample(100, 100), new Sample(450, 450), new Sample(800, 800)), all.get(M));
        }
        // Prometheus reads the checkpoint with both series records the same way.
        java.nio.file.Files.deleteIfExists(dir.resolve("lock"));
        ProcessRunner.Result dump = ProcessRunner.run(dir.getParent(), 120, List.of(RealTools.promtool(), "tsdb", "dump", dir.toString()));
        assertEquals(0, dump.exitCode(), dump.stderr());
        StringBuilder ours = new StringBuilder();
        try (Tsdb db = Tsdb.openReadOnly(dir)) {
            Dump.dump(db, Long.MIN_VALUE, Long.MAX_VALUE, new Matcher[0], ours);
        }
        assertTrue(ours.toString().contains("650 650"), ours.toString());
        TextAssert.assertLinesEqual(dump.stdout(), ours.toString());
    }

    @Test
    void aReferenceSeenOnlyAsADuplicateIsNotHandedToANewSeries() throws Exception {
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            append(db, L, 100);
            append(db, M, 450);
            db.compact(); // L leaves the head
            append(db, L, 460); // L's second reference, the highest one
        }
        long fresh;
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            // L's second reference folds onto its first; a new series must still get a reference never used.
            Appender a = db.appender();
            fresh = a.append(Labels.of("__name__", "new"), 500, 5);
            a.commit();
        }
        try (Tsdb db = Tsdb.open(dir, OPTS)) {
            Map<Labels, List<Sample>> all = TestUtil.readAll(db);
            assertEquals(List.of(new Sample(100, 100), new Sample(460, 460)), all.get(L));
            assertEquals(List.of(new Sample(500, 5)), all.get(Labels.of("__name__", "new")), "reference " + fresh);
            try (Querier q = db.querier(0, 1000)) {
                assertEquals(1, TestUtil.read(q, Matcher.equal("__name__", "new")).size());
            }
        }
    }
}
