package io.tsdb4j;

import io.tsdb4j.TestUtil.Sample;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.testing.Dirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damages the WAL at many offsets (a flipped byte, or the file cut there) and reopens: open never throws, the
 * surviving batches are a prefix of what was committed, every batch is whole, the number of survivors only
 * grows as the damage moves later, and the database accepts and keeps new commits after the repair.
 */
class WalCorruptionTest {
    @TempDir
    Path tmp;

    private static final int BATCHES = 60;

    private Path writePristine() throws IOException {
        Path dir = tmp.resolve("pristine");
        try (Tsdb db = Tsdb.open(dir)) {
            for (int b = 1; b <= BATCHES; b++) {
                Appender a = db.appender();
                for (int s = 0; s < 5; s++) a.append(Labels.of("__name__", "c", "s", "s" + s + "-" + b % 3), b * 1000L, b);
                a.commit();
            }
        }
        return dir;
    }

    @Test
    void flippedOrCutBytesKeepEverythingBeforeTheDamage() throws IOException {
        Path pristine = writePristine();
        Path seg = pristine.resolve("wal").resolve("00000000");
        long size = Files.size(seg);
        long used = usedLength(Files.readAllBytes(seg));
        Random rnd = new Random(42);
        int lastFlipSurvivors = -1;
        int cases = 0;
        for (long off = 0; off < used; off += 1 + rnd.nextInt(97)) {
            for (boolean cut : new boolean[] {false, true}) {
                Path dir = tmp.resolve("case" + cases++);
                Dirs.copyDataDir(pristine, dir);
                byte[] bytes = Files.readAllBytes(dir.resolve("wal").resolve("00000000"));
                if (cut) {
                    byte[] shorter = java.util.Arrays.copyOf(bytes, (int) off);
                    Files.write(dir.resolve("wal").resolve("00000000"), shorter);
                } else {
                    bytes[(int) off] ^= 0x5A;
                    Files.write(dir.resolve("wal").resolve("00000000"), bytes);
                }
                int survivors;
                try (Tsdb db = Tsdb.open(dir)) {
                    survivors = checkPrefix(TestUtil.readAll(db), "offset " + off + (cut ? " cut" : " flipped"));
                    Appender a = db.appender();
                    a.append(Labels.of("__name__", "after"), 1_000_000, 1);
                    a.commit();
                }
                try (Tsdb db = Tsdb.open(dir)) {
                    Map<Labels, List<Sample>> all = TestUtil.readAll(db);
                    assertEquals(List.of(new Sample(1_000_000, 1)), all.get(Labels.of("__name__", "after")),
                            "commit after repair survives a reopen (offset " + off + ")");
                    assertEquals(survivors, checkPrefix(all, "reopen after repair at " + off));
                }
                if (!cut) {
                    assertTrue(survivors >= lastFlipSurvivors, "damage later in the file keeps at least as much: "
                            + survivors + " batches at offset " + off + " vs " + lastFlipSurvivors + " before");
                    lastFlipSurvivors = survivors;
                }
            }
        }
        assertTrue(cases > 20, "exercised " + cases + " cases of a " + size + "-byte segment");
    }

    /** Asserts batches 1..k are all present and whole and nothing after; returns k. */
    private static int checkPrefix(Map<Labels, List<Sample>> all, String ctx) {
        Set<Long> seen = new HashSet<>();
        int[] perBatch = new int[BATCHES + 1];
        for (Map.Entry<Labels, List<Sample>> e : all.entrySet()) {
            if (!e.getKey().metricName().equals("c")) continue;
            for (Sample s : e.getValue()) {
                int b = (int) (s.t() / 1000);
                assertEquals(b, (int) s.v(), ctx);
                seen.add((long) b);
                perBatch[b]++;
            }
        }
        int k = 0;
        while (k < BATCHES && seen.contains((long) k + 1)) k++;
        for (int b = 1; b <= BATCHES; b++) {
            if (b <= k) assertEquals(5, perBatch[b], "batch " + b + " must be whole, " + ctx);
            else assertEquals(0, perBatch[b], "batch " + b + " after the damage must be gone, " + ctx);
        }
        return k;
    }

    /** Length up to the last non-zero byte (the rest is page padding). */
    private static long usedLength(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) n--;
        return n;
    }
}
