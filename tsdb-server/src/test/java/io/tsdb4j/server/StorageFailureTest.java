package io.tsdb4j.server;

import io.tsdb4j.head.Head;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.remote.WriteRequestEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the WAL cannot be written (a full disk, an I/O error) the database refuses writes until it is restarted.
 * The server must say so everywhere an operator or a sender looks: the write's answer, the health and readiness
 * endpoints, and a gauge; queries keep working.
 */
class StorageFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aFailedWalWriteIsReportedAndFurtherWritesAreRefused() throws Exception {
        try (ServerFixture f = new ServerFixture(tmp)) {
            assertEquals(204, f.write("/api/v1/write", body(1000, 1)).statusCode());
            assertEquals(200, f.get("/-/ready").statusCode());
            assertTrue(f.get("/metrics").body().contains("\ntsdb4j_storage_writes_refused 0\n"));

            f.db().head().withWal(new Head.WalSink() { // the disk fills up
                @Override
                public long log(byte[] rec, int off, int len) throws IOException {
                    throw new IOException("No space left on device");
                }

                @Override
                public void flush() {
                }

                @Override
                public void sync(long position) {
                }
            });
            HttpResponse<String> failed = f.write("/api/v1/write", body(2000, 2));
            assertEquals(500, failed.statusCode(), failed.body());
            assertTrue(failed.body().contains("storage error, the request was not stored durably: No space left on device"),
                    failed.body());
            HttpResponse<String> refused = f.write("/api/v1/write", body(3000, 3));
            assertEquals(500, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("refuses commits after an earlier WAL failure"), refused.body());

            for (String probe : new String[] {"/-/ready", "/-/healthy"}) {
                HttpResponse<String> r = f.get(probe);
                assertEquals(503, r.statusCode(), probe);
                assertTrue(r.body().contains("refuses writes after a storage failure, restart it")
                        && r.body().contains("No space left on device"), r.body());
            }
            assertTrue(f.get("/metrics").body().contains("\ntsdb4j_storage_writes_refused 1\n"));

            HttpResponse<String> q = f.get("/api/v1/query?query=up&time=1");
            assertEquals(200, q.statusCode(), "queries keep working: " + q.body());
            assertTrue(q.body().contains("\"1\""), q.body());
        }
    }

    private static byte[] body(long t, double v) {
        return new WriteRequestEncoder().startSeries(Labels.of("__name__", "up", "job", "a")).sample(t, v).encodeSnappy();
    }
}
