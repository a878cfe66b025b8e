package io.tsdb4j;

import io.tsdb4j.head.Head;
import io.tsdb4j.labels.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WAL write that fails leaves the WAL with a gap the database cannot fill, so from then on it refuses every
 * commit until it is reopened (and replays what the WAL holds); it says why through {@link Tsdb#writeFailure()},
 * and what was committed before stays queryable.
 */
class WriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void aFailedWalWriteRefusesLaterCommitsAndIsReported() throws Exception {
        Labels up = Labels.of("__name__", "up");
        try (Tsdb db = Tsdb.open(dir)) {
            Appender ok = db.appender();
            ok.append(up, 1_000, 1);
            ok.commit();
            assertFalse(db.writeFailure().isPresent());

            IOException full = new IOException("No space left on device");
            db.head().withWal(new Head.WalSink() {
                @Override
                public long log(byte[] rec, int off, int len) throws IOException {
                    throw full;
                }

                @Override
                public void flush() {
                }

                @Override
                public void sync(long position) {
                }
            });
            Appender failing = db.appender();
            failing.append(up, 2_000, 2);
            assertSame(full, assertThrows(IOException.class, failing::commit));
            assertSame(full, db.writeFailure().orElseThrow());

            Appender refused = db.appender();
            refused.append(up, 3_000, 3);
            IOException e = assertThrows(IOException.class, refused::commit);
            assertTrue(e.getMessage().contains("refuses commits after an earlier WAL failure"), e.getMessage());
            assertSame(full, e.getCause());

            // The batch whose WAL write failed was never applied; what was committed before is still there.
            assertEquals(List.of(new TestUtil.Sample(1_000, 1)), TestUtil.readAll(db).get(up));
        }
    }
}
