package io.tsdb4j.wal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write path reuses its page, CRC and compression buffers: no allocation per record once warmed up. */
class WalAllocationTest {
    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    @Test
    void loggingAllocatesNothingPerRecord() throws IOException {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        long tid = Thread.currentThread().getId();
        byte[] rec = new byte[300];
        for (int i = 0; i < rec.length; i++) {
            rec[i] = (byte) (i % 7); // compressible, so the snappy path runs too
        }
        for (boolean compress : new boolean[] {false, true}) {
            try (Wal wal = Wal.open(dir.resolve("c" + compress), WalOptions.defaults().withCompress(compress))) {
                for (int i = 0; i < 3 * RECORDS; i++) { // warm up: JIT, buffer growth, temp direct buffers
                    wal.log(rec, 0, rec.length);
                }
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < RECORDS; i++) {
                    wal.log(rec, 0, rec.length);
                    wal.append(rec, 0, rec.length);
                }
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                // Allow a few one-off JDK-internal objects, but far less than one byte per record.
                assertTrue(allocated < RECORDS, "compress=" + compress + ": " + allocated + " bytes allocated for "
                    + 2 * RECORDS + " records");
            }
        }
    }
}
