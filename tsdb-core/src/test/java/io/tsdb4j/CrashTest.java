package io.tsdb4j;

import io.tsdb4j.TestUtil.Sample;
import io.tsdb4j.labels.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills a child JVM with SIGKILL while it appends and commits with sync-per-commit, many times over the same
 * directory. After each kill the directory must reopen holding every batch whose commit returned, no batch
 * that was rolled back, and every batch whole or not at all (a batch whose commit was in flight may go either
 * way). The seed is printed so a failure can be replayed with -Dcrash.seed=...
 */
class CrashTest {
    @TempDir
    Path dir;

    // What the children acknowledged, over all rounds.
    private final Set<Long> committed = new TreeSet<>();
    private final Set<Long> rolledBack = new HashSet<>();
    /** Batches whose delete returned: never visible again. */
    private final Set<Long> deleted = new HashSet<>();
    /** Batches whose delete was started but not seen to return: either way. */
    private final Set<Long> maybeDeleted = new HashSet<>();

    @Test
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        run(Integer.getInteger("crash.rounds", 50), null);
    }

    /** The same while the head is cut into blocks, the WAL checkpointed and blocks compacted all the time. */
    @Test
    void everyAcknowledgedCommitSurvivesSigkillDuringHeadCutsAndCompaction() throws Exception {
        // As many rounds as the plain variant: the states worth reaching (series gone from the head and back,
        // checkpoints over them, compactions to the third level) take a few hundred batches to build up.
        run(Integer.getInteger("crash.rounds", 50), 200L);
    }

    private void run(int rounds, Long blockRangeMillis) throws Exception {
        // -Dcrash.dir=DIR keeps the data of a failing run for inspection (it must not exist yet).
        String keep = System.getProperty("crash.dir");
        if (keep != null) dir = java.nio.file.Files.createDirectories(Path.of(keep).resolve(Long.toString(System.nanoTime())));
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashTest seed=" + seed + " rounds=" + rounds + " blockRange=" + blockRangeMillis);
        Random rnd = new Random(seed);
        long next = 1;
        for (int round = 0; round < rounds; round++) {
            // With blocks, at least 20 batches (20 ms of data) per round, so that 25 rounds surely span several ranges.
            int killAfter = (blockRangeMillis == null ? 1 : 20) + rnd.nextInt(60);
            List<String> cmd = new java.util.ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString(), Long.toString(next), Long.toString(rnd.nextLong())));
            if (blockRangeMillis != null) cmd.add(Long.toString(blockRangeMillis));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            long lastSeen = next - 1;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line = r.readLine();
                assertEquals("OPEN", line, "child failed to open the database in round " + round + " (seed " + seed + ")");
                int acks = 0;
                while (acks < killAfter && (line = r.readLine()) != null) {
                    lastSeen = record(line, round, seed, lastSeen);
                    if (line.charAt(0) == 'C' || line.charAt(0) == 'R') acks++;
                }
                // The child runs until killed: output ending early means it died by itself.
                assertEquals(killAfter, acks, "child exited by itself after " + acks + " batches in round " + round
                        + " (seed " + seed + "); see its stderr above");
                p.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly it leaves our pipe open
                p.waitFor(30, TimeUnit.SECONDS);
                // Acknowledgements already written before the kill still count.
                while ((line = r.readLine()) != null) {
                    if (line.length() < 3) continue;
                    lastSeen = record(line, round, seed, lastSeen);
                }
            }
            // Batches after lastSeen may have been in flight: they are allowed to exist, whole.
            next = lastSeen + 100; // leave room: an in-flight batch's number is never reused
            if (keep != null) copyTree(dir, dir.resolveSibling(dir.getFileName() + ".before-verify")); // as the kill left it
            verify(seed, round, lastSeen, blockRangeMillis, round == rounds - 1);
        }
    }

    /** Notes one line of the child's output; returns the newest batch number seen. */
    private long record(String line, int round, long seed, long lastSeen) {
        assertNotEquals('X', line.charAt(0), "child's commit rejected a sample in round " + round + " (seed " + seed + "): " + line);
        long b = Long.parseLong(line.substring(2));
        switch (line.charAt(0)) {
            case 'C' -> committed.add(b);
            case 'R' -> rolledBack.add(b);
            case 'd' -> maybeDeleted.add(b);
            case 'D' -> {
                maybeDeleted.remove(b);
                deleted.add(b);
            }
            default -> fail("unexpected line from the child: " + line);
        }
        return line.charAt(0) == 'C' || line.charAt(0) == 'R' ? b : lastSeen;
    }

    private void verify(long seed, int round, long lastSeen, Long blockRange, boolean last) throws Exception {
        Map<Long, Integer> seenPerBatch = new HashMap<>();
        TsdbOptions opts = blockRange == null ? TsdbOptions.defaults() : TsdbOptions.defaults().withBlockRange(java.time.Duration.ofMillis(blockRange));
        try (Tsdb db = Tsdb.open(dir, opts)) {
            // Batch numbers are timestamps in ms: once they span several ranges, blocks must have been cut.
            if (blockRange != null && last && lastSeen > 4 * blockRange) {
                assertFalse(db.blocks().isEmpty(), "blocks were cut while the child ran (round " + round + ")");
            }
            Map<Labels, List<Sample>> all = TestUtil.readAll(db);
            for (List<Sample> samples : all.values()) {
                for (Sample s : samples) {
                    assertEquals((double) s.t(), s.v(), "value encodes the batch");
                    seenPerBatch.merge(s.t(), 1, Integer::sum);
                }
            }
        }
        String ctx = " (round " + round + ", seed " + seed + ")";
        for (long b : committed) {
            if (deleted.contains(b)) {
                assertFalse(seenPerBatch.containsKey(b), "batch " + b + " is visible after its delete returned" + ctx);
            } else if (!maybeDeleted.contains(b)) {
                assertTrue(seenPerBatch.containsKey(b), "acknowledged batch " + b + " lost" + ctx);
            }
        }
        for (long b : rolledBack) {
            assertFalse(seenPerBatch.containsKey(b), "rolled back batch " + b + " is visible" + ctx);
        }
        for (long b : seenPerBatch.keySet()) {
            if (!committed.contains(b)) {
                assertTrue(b > lastSeen, "batch " + b + " visible but never acknowledged and not in flight" + ctx);
                committed.add(b); // it is durable now: later rounds must keep it
            }
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        if (java.nio.file.Files.exists(to)) io.tsdb4j.wal.FileUtil.deleteRecursively(to);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                java.nio.file.Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
