package io.tsdb4j.wal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;
import static io.tsdb4j.wal.WalTestSupport.ReadResult;
import static io.tsdb4j.wal.WalTestSupport.assertRecordsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Random damage (overwritten ranges, truncation, appended junk) to random, possibly compressed WALs: reading
 * never throws, returns a prefix of what was written, and repair always yields a clean WAL holding that prefix.
 */
class WalDamageProperties {
    @Property(tries = 100)
    void anyDamageIsReportedAndRepairable(@ForAll long seed, @ForAll boolean compress,
                                          @ForAll @IntRange(min = 0, max = 2) int damageKind) throws IOException {
        Random rnd = new Random(seed);
        Path dir = WalTestSupport.tempDir();
        try {
            WalOptions opts = WalOptions.defaults().withSegmentSize(2 * PAGE_SIZE).withCompress(compress);
            List<byte[]> recs = new ArrayList<>();
            int n = 1 + rnd.nextInt(30);
            for (int i = 0; i < n; i++) {
                int size = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(80_000) : rnd.nextInt(300));
                recs.add(rnd.nextBoolean() ? WalTestSupport.compressibleBytes(rnd, size)
                    : WalTestSupport.randomBytes(rnd, size));
            }
            try (Wal wal = Wal.open(dir, opts)) {
                for (byte[] r : recs) {
                    wal.log(r, 0, r.length);
                }
            }
            List<Segments.SegmentRef> segs = Segments.list(dir);
            // Truncation hits the last segment only: an older segment cut at a record boundary is exactly what a
            // crash leaves behind (the next open starts a new segment), so no reader, Prometheus's included, can
            // tell it from damage.
            Segments.SegmentRef victim = damageKind == 1 ? segs.get(segs.size() - 1) : segs.get(rnd.nextInt(segs.size()));
            try (RandomAccessFile f = new RandomAccessFile(victim.path().toFile(), "rw")) {
                long size = f.length();
                if (damageKind == 0 && size > 0) {
                    long at = (long) (rnd.nextDouble() * size);
                    byte[] junk = WalTestSupport.randomBytes(rnd, 1 + rnd.nextInt(64));
                    for (int i = 0; i < junk.length; i++) {
                        // 0x01 followed by zeros is a valid empty record (FULL, length 0, CRC 0) that no
                        // reader can tell from real data; keep the junk clearly junk.
                        if (junk[i] == 1) {
                            junk[i] = (byte) 0x81;
                        }
                    }
                    f.seek(at);
                    f.write(junk, 0, (int) Math.min(junk.length, size - at));
                } else if (damageKind == 1) {
                    f.setLength((long) (rnd.nextDouble() * size));
                } else {
                    f.seek(size);
                    byte[] tail = WalTestSupport.randomBytes(rnd, 1 + rnd.nextInt(100));
                    tail[0] = (byte) (tail[0] == 1 ? 0x81 : tail[0]);
                    f.write(tail);
                }
            }

            ReadResult res = WalTestSupport.readAll(dir);
            List<byte[]> got = res.data();
            assertRecordsEqual(recs.subList(0, got.size()), got);
            if (res.err() != null) {
                WalRepair.repair(dir, res.err());
                ReadResult after = WalTestSupport.readAll(dir);
                assertNull(after.err());
                assertRecordsEqual(got, after.data());
                try (Wal wal = Wal.open(dir, opts)) {
                    wal.log(new byte[] {42}, 0, 1);
                }
                ReadResult appended = WalTestSupport.readAll(dir);
                assertNull(appended.err());
                assertEquals(got.size() + 1, appended.records().size());
            }
        } finally {
            WalTestSupport.deleteTree(dir);
        }
    }
}
