package io.tsdb4j.wal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full segment is fsynced and closed in the background. If that fsync fails, nothing logged from that segment on
 * may ever be reported durable: every later sync fails, and so does close.
 */
class SegmentFsyncFailureTest {
    @TempDir
    Path dir;

    @Test
    void failedBackgroundFsyncFailsEveryLaterSync() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        // Segment 0's fsync fails; the later segments are real files.
        Wal.SegmentFiles files = path -> {
            FileChannel real = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return opened.getAndIncrement() == 0 ? new FailingForce(real) : real;
        };
        WalOptions opts = WalOptions.defaults().withSegmentSize(WalFormat.PAGE_SIZE); // one page per segment
        byte[] rec = new byte[1000];
        Wal wal = Wal.open(dir, opts, files);
        long first = wal.log(rec, 0, rec.length);
        int logged = 1;
        while (wal.currentSegment() == 0) { // fills segment 0, which is then fsynced in the background
            wal.log(rec, 0, rec.length);
            logged++;
        }

        IOException e = assertThrows(IOException.class, wal::sync);
        assertTrue(e.getMessage().contains("fsync of WAL segment 0"), e.getMessage());
        long later = wal.log(rec, 0, rec.length);
        logged++;
        assertThrows(IOException.class, () -> wal.syncUpTo(later), "a sync after the failure must fail too");
        assertTrue(wal.syncedPosition() < first, "nothing of the failed segment may count as durable");
        assertThrows(IOException.class, wal::close);

        // Every record reached the files: the failure is reported, not papered over by dropping data.
        WalTestSupport.ReadResult res = WalTestSupport.readAll(dir);
        assertNull(res.err());
        assertEquals(logged, res.records().size());
    }

    @Test
    void segmentsSwitchAndSyncWhenFsyncSucceeds() throws Exception {
        // The same sequence with real files: the seam above changes nothing else.
        WalOptions opts = WalOptions.defaults().withSegmentSize(WalFormat.PAGE_SIZE);
        byte[] rec = new byte[1000];
        int n = 0;
        try (Wal wal = Wal.open(dir, opts)) {
            wal.log(rec, 0, rec.length);
            n++;
            while (wal.currentSegment() == 0) {
                wal.log(rec, 0, rec.length);
                n++;
            }
            long end = wal.position();
            wal.sync();
            assertTrue(wal.syncedPosition() >= end);
        }
        assertEquals(n, WalTestSupport.readAll(dir).records().size());
    }

    /** Delegates to a real channel but fails every fsync, like a disk that reports a write error. */
    private static final class FailingForce extends FileChannel {
        private final FileChannel real;

        FailingForce(FileChannel real) {
            this.real = real;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            throw new IOException("injected fsync failure");
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return real.write(src, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
