package io.tsdb4j.wal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void concurrentLogAndSyncUpToLoseNothing() throws Exception {
        int threads = 6;
        int perThread = 300;
        // Tiny segments so syncs race with segment switches.
        WalOptions opts = WalOptions.defaults().withSegmentSize(WalFormat.PAGE_SIZE).withCompress(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Wal wal = Wal.open(dir, opts)) {
            List<Future<Void>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                fs.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] rec = ByteBuffer.allocate(8 + (i % 7) * 500).putInt(id).putInt(i).array();
                        long p = wal.log(rec, 0, rec.length);
                        if (i % 3 == 0) {
                            wal.syncUpTo(p);
                            assertTrue(wal.syncedPosition() >= p, "syncUpTo returned before durable");
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : fs) {
                f.get();
            }
            long end = wal.position();
            wal.sync();
            assertTrue(wal.syncedPosition() >= end);
        } finally {
            pool.shutdownNow();
        }
        WalTestSupport.ReadResult res = WalTestSupport.readAll(dir);
        assertNull(res.err());
        assertEquals(threads * perThread, res.records().size());
        Set<Long> seen = new HashSet<>();
        int[] nextPerThread = new int[threads];
        for (WalTestSupport.Read r : res.records()) {
            ByteBuffer bb = ByteBuffer.wrap(r.data());
            int id = bb.getInt();
            int i = bb.getInt();
            assertEquals(nextPerThread[id]++, i, "records of one thread keep their order");
            assertTrue(seen.add(((long) id << 32) | i));
        }
    }

    @Test
    void syncUpToAnAlreadySyncedPositionDoesNothingAndPositionsAreMonotonic() throws IOException {
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            long a = wal.log(new byte[] {1}, 0, 1);
            long b = wal.log(new byte[] {2, 2}, 0, 2);
            assertEquals(8, a);
            assertEquals(17, b);
            assertEquals(0, wal.syncedPosition());
            wal.syncUpTo(b);
            assertEquals(17, wal.syncedPosition());
            wal.syncUpTo(a);
            assertEquals(17, wal.syncedPosition());
            long c = wal.append(new byte[] {3}, 0, 1);
            wal.syncUpTo(c); // flushes the buffered page before syncing
            assertEquals(c, wal.syncedPosition());
        }
        assertEquals(3, WalTestSupport.readAll(dir).records().size());
    }
}
