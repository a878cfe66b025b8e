package io.tsdb4j;

import io.tsdb4j.TestUtil.Sample;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TsdbTest {
    @TempDir
    Path dir;

    static final Labels UP_A = Labels.of("__name__", "up", "job", "a");
    static final Labels UP_B = Labels.of("__name__", "up", "job", "b");

    @Test
    void nothingVisibleBeforeCommitAndRollbackDiscards() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            Appender app = db.appender();
            app.append(UP_A, 1000, 1);
            assertTrue(TestUtil.readAll(db).isEmpty(), "uncommitted sample must not be visible");
            assertTrue(db.querier(0, 10_000).labelValues("job").isEmpty(), "uncommitted series must not be indexed");
            app.rollback();
            assertTrue(TestUtil.readAll(db).isEmpty());

            Appender app2 = db.appender();
            long ref = app2.append(UP_A, 1000, 1);
            app2.append(ref, 2000, 2);
            app2.append(UP_B, 1000, 10);
            CommitResult r = app2.commit();
            assertEquals(3, r.accepted());
            Map<Labels, List<Sample>> all = TestUtil.readAll(db);
            assertEquals(List.of(new Sample(1000, 1), new Sample(2000, 2)), all.get(UP_A));
            assertEquals(List.of(new Sample(1000, 10)), all.get(UP_B));
            assertEquals(List.of(UP_A, UP_B), List.copyOf(all.keySet()), "sorted by labels");
        }
    }

    @Test
    void rejectsOutOfOrderAndDuplicatesButCommitsTheRest() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            Appender a = db.appender();
            a.append(UP_A, 5000, 5);
            a.commit();

            Appender b = db.appender();
            SampleRejectedException ooo = assertThrows(SampleRejectedException.class, () -> b.append(UP_A, 4000, 4));
            assertEquals(SampleRejectedException.Reason.OUT_OF_ORDER, ooo.reason());
            assertTrue(ooo.getMessage().contains("up") && ooo.getMessage().contains("4000") && ooo.getMessage().contains("5000"), ooo.getMessage());
            SampleRejectedException dup = assertThrows(SampleRejectedException.class, () -> b.append(UP_A, 5000, 6));
            assertEquals(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP, dup.reason());
            b.append(UP_A, 5000, 5); // identical duplicate: accepted silently
            b.append(UP_A, 6000, 6);
            b.append(UP_B, 1000, 1);
            b.commit();
            assertEquals(List.of(new Sample(5000, 5), new Sample(6000, 6)), TestUtil.readAll(db).get(UP_A));
            assertEquals(1, db.headStats().outOfOrderSamples());
            assertEquals(1, db.headStats().duplicateSamples());
        }
    }

    @Test
    void inBatchConflictsAreReportedAtCommit() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            Appender a = db.appender();
            a.append(UP_A, 2000, 2);
            a.append(UP_A, 1000, 1); // passes the early check (nothing committed yet), fails at commit
            CommitResult r = a.commit();
            assertEquals(1, r.accepted());
            assertEquals(1, r.rejected().size());
            assertEquals(SampleRejectedException.Reason.OUT_OF_ORDER, r.rejected().get(0).reason());
            assertEquals(List.of(new Sample(2000, 2)), TestUtil.readAll(db).get(UP_A));
        }
    }

    @Test
    void tooOldSamplesAreRejected() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            Appender a = db.appender();
            long hour = 3_600_000;
            a.append(UP_A, 10 * hour, 1);
            a.commit();
            Appender b = db.appender();
            SampleRejectedException e = assertThrows(SampleRejectedException.class, () -> b.append(UP_B, 8 * hour, 1));
            assertEquals(SampleRejectedException.Reason.TOO_OLD, e.reason());
            assertEquals(1, db.headStats().tooOldSamples());
        }
    }

    @Test
    void reopenReplaysEveryCommittedSampleAndNothingElse() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            for (int batch = 0; batch < 50; batch++) {
                Appender a = db.appender();
                for (int s = 0; s < 20; s++) {
                    a.append(Labels.of("__name__", "m", "s", Integer.toString(s)), batch * 15_000L, batch * s);
                }
                if (batch % 7 == 3) a.rollback();
                else a.commit();
            }
        }
        Map<Labels, List<Sample>> before;
        try (Tsdb db = Tsdb.open(dir)) {
            before = TestUtil.readAll(db);
            assertEquals(20, before.size());
            for (List<Sample> samples : before.values()) {
                assertEquals(50 - 7, samples.size()); // batches 3, 10, 17, 24, 31, 38, 45 rolled back
                for (Sample s : samples) assertNotEquals(3, (s.t() / 15_000) % 7);
            }
            // Appending after replay continues the same series.
            Appender a = db.appender();
            a.append(Labels.of("__name__", "m", "s", "0"), 50 * 15_000L, 1);
            a.commit();
        }
        try (Tsdb db = Tsdb.open(dir)) {
            assertEquals(44, TestUtil.readAll(db).get(Labels.of("__name__", "m", "s", "0")).size());
        }
    }

    @Test
    void secondOpenOfSameDirectoryFailsClearly() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> Tsdb.open(dir));
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
        }
    }

    @Test
    void matchersSelectLikePrometheus() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            Appender a = db.appender();
            a.append(Labels.of("__name__", "x", "env", "prod", "zone", "a"), 1, 1);
            a.append(Labels.of("__name__", "x", "env", "dev"), 1, 1);
            a.append(Labels.of("__name__", "x"), 1, 1);
            a.append(Labels.of("__name__", "y", "env", "prod"), 1, 1);
            a.commit();
            try (Querier q = db.querier(0, 10)) {
                assertEquals(2, TestUtil.read(q, Matcher.equal("__name__", "x"), Matcher.regex("env", "prod|dev")).size());
                assertEquals(2, TestUtil.read(q, Matcher.equal("__name__", "x"), Matcher.notEqual("env", "prod")).size(),
                        "!= also selects series without the label");
                assertEquals(1, TestUtil.read(q, Matcher.equal("__name__", "x"), Matcher.equal("env", "")).size(),
                        "=\"\" selects series without the label");
                assertEquals(2, TestUtil.read(q, Matcher.equal("__name__", "x"), Matcher.notEqual("env", "")).size());
                assertEquals(1, TestUtil.read(q, Matcher.regex("__name__", "x|y"), Matcher.regex("zone", "a.*")).size());
                assertEquals(List.of("dev", "prod"), q.labelValues("env"));
                assertEquals(List.of("prod"), q.labelValues("env", Matcher.equal("__name__", "y")));
                assertEquals(List.of("__name__", "env", "zone"), q.labelNames());
                assertThrows(IllegalArgumentException.class, () -> q.select(Matcher.equal("env", "")));
            }
            try (Querier q = db.querier(5, 10)) {
                assertTrue(TestUtil.read(q, Matcher.equal("__name__", "x")).isEmpty(), "out of range");
            }
        }
    }

    @Test
    void staleMarkerSurvivesWalBitExact() throws IOException {
        long stale = 0x7FF0000000000002L;
        try (Tsdb db = Tsdb.open(dir)) {
            Appender a = db.appender();
            a.append(UP_A, 1, 1);
            a.append(UP_A, 2, Double.longBitsToDouble(stale));
            a.commit();
        }
        try (Tsdb db = Tsdb.open(dir)) {
            List<Sample> s = TestUtil.readAll(db).get(UP_A);
            assertEquals(stale, Double.doubleToRawLongBits(s.get(1).v()));
        }
    }

    @Test
    void deleteRemovesSamplesDurably() throws IOException {
        try (Tsdb db = Tsdb.open(dir)) {
            Appender a = db.appender();
            for (int t = 1; t <= 300; t++) {
                a.append(UP_A, t * 1000L, t);
                a.append(UP_B, t * 1000L, t);
            }
            a.commit();
            assertEquals(101, db.delete(100_000, 200_000, Matcher.equal("job", "a")));
            Map<Labels, List<Sample>> all = TestUtil.readAll(db);
            assertEquals(199, all.get(UP_A).size());
            assertTrue(all.get(UP_A).stream().noneMatch(s -> s.t() >= 100_000 && s.t() <= 200_000));
            assertEquals(300, all.get(UP_B).size());
            Appender b = db.appender();
            b.append(UP_A, 301_000, 301);
            b.commit();
        }
        try (Tsdb db = Tsdb.open(dir)) {
            Map<Labels, List<Sample>> all = TestUtil.readAll(db);
            assertEquals(200, all.get(UP_A).size(), "deletion replayed from the WAL, later sample kept");
            assertEquals(new Sample(301_000, 301), all.get(UP_A).get(199));
            assertEquals(300, all.get(UP_B).size());
        }
    }

    @Test
    void commitAfterAHeadCutRemovedItsSeriesKeepsTheSamples() throws IOException {
        TsdbOptions opts = TsdbOptions.defaults().withBlockRange(java.time.Duration.ofMillis(1000)).withBackgroundCompaction(false);
        Labels x = Labels.of("__name__", "x");
        Labels y = Labels.of("__name__", "y");
        try (Tsdb db = Tsdb.open(dir, opts)) {
            Appender a = db.appender();
            a.append(x, 100, 1);
            for (long t = 100; t <= 5000; t += 100) a.append(y, t, t);
            a.commit();
            Appender late = db.appender();
            late.append(x, 4600, 2);         // x is looked up now ...
            db.compact();                   // ... and removed from the head here (all its data went to a block)
            assertFalse(db.blocks().isEmpty());
            late.commit();
            assertEquals(List.of(new Sample(100, 1), new Sample(4600, 2)), TestUtil.readAll(db).get(x));
        }
        try (Tsdb db = Tsdb.open(dir, opts)) {
            assertEquals(List.of(new Sample(100, 1), new Sample(4600, 2)), TestUtil.readAll(db).get(x), "after reopen");
        }
    }

    /**
     * A WAL can hold a series record twice for one reference (Prometheus's checkpoint and the segments after it
     * can both carry it); replay must take the repeated record as the same series, as Prometheus does.
     */
    @Test
    void aRepeatedSeriesRecordReplaysAsOneSeries() throws IOException {
        Path walDir = dir.resolve("wal");
        try (io.tsdb4j.wal.Wal wal = io.tsdb4j.wal.Wal.open(walDir, io.tsdb4j.wal.WalOptions.defaults())) {
            for (int k = 0; k < 2; k++) {
                io.tsdb4j.encoding.Encbuf e = new io.tsdb4j.encoding.Encbuf();
                io.tsdb4j.record.RecordEncoder.beginSeries(e);
                io.tsdb4j.record.RecordEncoder.seriesEntry(e, 7, UP_A);
                wal.log(e.array(), 0, e.len());
                e.reset();
                io.tsdb4j.record.RecordEncoder.samples(e, new long[] {7}, new long[] {1000 + k}, new double[] {k}, 1);
                wal.log(e.array(), 0, e.len());
            }
        }
        try (Tsdb db = Tsdb.open(dir)) {
            assertEquals(Map.of(UP_A, List.of(new Sample(1000, 0), new Sample(1001, 1))), TestUtil.readAll(db));
            assertEquals(1, db.head().numSeries());
        }
    }
}
