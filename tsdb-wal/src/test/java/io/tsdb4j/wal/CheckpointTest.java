package io.tsdb4j.wal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private static final WalOptions OPTS = WalOptions.defaults().withSegmentSize(2 * WalFormat.PAGE_SIZE);

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(WalTestSupport.ReadResult res) {
        return res.records().stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
    }

    private List<Integer> segmentIndexes() throws IOException {
        return Segments.list(dir).stream().map(Segments.SegmentRef::index).toList();
    }

    @Test
    void checkpointThenTruncateThenReplay() throws IOException {
        try (Wal wal = Wal.open(dir, OPTS)) {
            wal.log(b("s0"), 0, 2);
            wal.nextSegment();
            wal.log(b("s1"), 0, 2);
            int covered = wal.nextSegment();
            assertEquals(1, covered);
            wal.log(b("s2"), 0, 2);

            try (CheckpointWriter cw = Checkpoint.begin(dir, covered, OPTS.withCompress(true))) {
                assertTrue(Files.isDirectory(dir.resolve("checkpoint.00000001.tmp")));
                assertFalse(Checkpoint.last(dir).isPresent(), "a .tmp checkpoint is not a checkpoint");
                cw.log(b("cp-a"), 0, 4);
                cw.log(List.of(b("cp-b"), new byte[100_000]));
                Path done = cw.commit();
                assertEquals(dir.resolve("checkpoint.00000001"), done);
            }
            assertFalse(Files.exists(dir.resolve("checkpoint.00000001.tmp")));
            Optional<Checkpoint.CheckpointRef> last = Checkpoint.last(dir);
            assertEquals(new Checkpoint.CheckpointRef(1, dir.resolve("checkpoint.00000001")), last.orElseThrow());

            // Before truncation, replay still skips the covered segments.
            WalTestSupport.ReadResult res = WalTestSupport.readAll(WalReader.forReplay(dir));
            assertNull(res.err());
            assertEquals(List.of("cp-a", "cp-b", "", "s2"),
                strings(res).stream().map(s -> s.startsWith("\0") ? "" : s).toList());
            assertTrue(res.records().get(0).inCheckpoint());
            assertFalse(res.records().get(3).inCheckpoint());
            assertEquals(2, res.records().get(3).segment());

            wal.truncateBefore(covered + 1);
            assertEquals(List.of(2), segmentIndexes());
            assertThrows(IllegalArgumentException.class, () -> wal.truncateBefore(wal.currentSegment() + 1));
            wal.log(b("s2b"), 0, 3);
        }
        WalTestSupport.ReadResult res = WalTestSupport.readAll(WalReader.forReplay(dir));
        assertNull(res.err());
        assertEquals(5, res.records().size());
        assertArrayEquals(b("s2b"), res.records().get(4).data());
    }

    @Test
    void deleteBeforeAndRemoveTmp() throws IOException {
        Files.createDirectories(dir);
        for (int i : new int[] {3, 7, 9}) {
            try (CheckpointWriter cw = Checkpoint.begin(dir, i, OPTS)) {
                cw.log(b("cp" + i), 0, 3);
                cw.commit();
            }
        }
        Files.createDirectories(dir.resolve("checkpoint.00000012.tmp"));
        Files.write(dir.resolve("checkpoint.00000012.tmp").resolve("00000000"), new byte[] {1, 2, 3});
        assertEquals(9, Checkpoint.last(dir).orElseThrow().index(), "the .tmp leftover is ignored");

        assertEquals(2, Checkpoint.deleteBefore(dir, 9));
        assertFalse(Files.exists(dir.resolve("checkpoint.00000003")));
        assertFalse(Files.exists(dir.resolve("checkpoint.00000007")));
        assertTrue(Files.exists(dir.resolve("checkpoint.00000009")));

        assertEquals(1, Checkpoint.removeTmp(dir));
        assertFalse(Files.exists(dir.resolve("checkpoint.00000012.tmp")));
        assertTrue(Files.exists(dir.resolve("checkpoint.00000009")));
        assertEquals(0, Checkpoint.removeTmp(dir));
    }

    @Test
    void abortDeletesTheTmpDirectory() throws IOException {
        CheckpointWriter cw = Checkpoint.begin(dir, 4, OPTS);
        cw.log(b("x"), 0, 1);
        cw.close();
        assertFalse(Files.exists(dir.resolve("checkpoint.00000004.tmp")));
        assertFalse(Checkpoint.last(dir).isPresent());
    }

    @Test
    void recommitReplacesAnExistingCheckpoint() throws IOException {
        for (String s : new String[] {"old", "new"}) {
            try (CheckpointWriter cw = Checkpoint.begin(dir, 5, OPTS)) {
                cw.log(b(s), 0, 3);
                cw.commit();
            }
        }
        WalTestSupport.ReadResult res = WalTestSupport.readAll(WalReader.forReplay(dir));
        assertEquals(List.of("new"), strings(res));
    }

    @Test
    void newWalAfterACheckpointWithoutSegmentsStartsAfterIt() throws IOException {
        try (CheckpointWriter cw = Checkpoint.begin(dir, 6, OPTS)) {
            cw.log(b("cp"), 0, 2);
            cw.commit();
        }
        try (Wal wal = Wal.open(dir, OPTS)) {
            assertEquals(7, wal.currentSegment());
            wal.log(b("w"), 0, 1);
        }
        assertEquals(List.of("cp", "w"), strings(WalTestSupport.readAll(WalReader.forReplay(dir))));
    }

    @Test
    void gapAfterTheCheckpointIsReported() throws IOException {
        try (CheckpointWriter cw = Checkpoint.begin(dir, 2, OPTS)) {
            cw.commit();
        }
        Files.write(dir.resolve("00000005"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> WalReader.forReplay(dir));
        assertTrue(e.getMessage().contains("00000003"), e.getMessage());
    }

    @Test
    void corruptionInsideTheCheckpointNamesTheCheckpointDirectory() throws IOException {
        Path cp;
        try (CheckpointWriter cw = Checkpoint.begin(dir, 0, OPTS)) {
            cw.log(b("good"), 0, 4);
            cw.log(b("damaged"), 0, 7);
            cp = cw.commit();
        }
        byte[] seg = Files.readAllBytes(cp.resolve("00000000"));
        seg[11 + 8] ^= 1; // inside the second record's payload
        Files.write(cp.resolve("00000000"), seg);
        try (Wal wal = Wal.open(dir, OPTS)) {
            wal.log(b("later"), 0, 5);
        }
        WalTestSupport.ReadResult res = WalTestSupport.readAll(WalReader.forReplay(dir));
        assertEquals(List.of("good"), strings(res));
        assertNotNull(res.err());
        assertEquals(cp, res.err().dir());
        assertEquals(0, res.err().segment());
        assertEquals(11, res.err().offset());
    }
}
