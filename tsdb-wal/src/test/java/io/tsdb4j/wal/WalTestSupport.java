package io.tsdb4j.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.tsdb4j.wal.WalFormat.HEADER_SIZE;
import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers shared by the WAL tests, including an independent model of where uncompressed records land. */
final class WalTestSupport {
    private WalTestSupport() {
    }

    /** A record as read back: bytes and location. */
    record Read(byte[] data, int segment, long offset, long end, boolean inCheckpoint) {
    }

    /** Everything a reader returned plus how it ended. */
    record ReadResult(List<Read> records, WalCorruptionException err) {
        List<byte[]> data() {
            List<byte[]> out = new ArrayList<>();
            for (Read r : records) {
                out.add(r.data());
            }
            return out;
        }
    }

    static ReadResult readAll(WalReader r) {
        List<Read> out = new ArrayList<>();
        try (r) {
            while (r.next()) {
                out.add(new Read(r.record(), r.segment(), r.offset(), r.endOffset(), r.inCheckpoint()));
            }
            return new ReadResult(out, r.err());
        }
    }

    static ReadResult readAll(Path dir) throws IOException {
        return readAll(WalReader.open(dir));
    }

    static void assertRecordsEqual(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
        }
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Bytes that snappy compresses well: a short random motif repeated. */
    static byte[] compressibleBytes(Random rnd, int n) {
        byte[] motif = randomBytes(rnd, 1 + rnd.nextInt(16));
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = motif[i % motif.length];
        }
        return b;
    }

    static void deleteTree(Path p) {
        try {
            FileUtil.deleteRecursively(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("tsdb4j-wal-test");
    }

    /** Where the model says a record lands. */
    record Placement(int segment, long start, long end) {
    }

    /**
     * Independent model of Prometheus's writer for uncompressed records written into a fresh directory and then
     * closed: placements and final segment file sizes.
     */
    static final class Layout {
        final List<Placement> placements = new ArrayList<>();
        final List<Long> segmentSizes = new ArrayList<>();

        Layout(List<Integer> lengths, int segmentSize) {
            int pagesPerSegment = segmentSize / PAGE_SIZE;
            int seg = 0;
            long off = 0;
            for (int len : lengths) {
                long inPage = off % PAGE_SIZE;
                long left = (PAGE_SIZE - inPage - HEADER_SIZE)
                    + (long) (PAGE_SIZE - HEADER_SIZE) * (pagesPerSegment - off / PAGE_SIZE - 1);
                if (len > left) {
                    segmentSizes.add(roundUp(off));
                    seg++;
                    off = 0;
                }
                long start = off;
                int rem = len;
                do {
                    int l = (int) Math.min(rem, PAGE_SIZE - off % PAGE_SIZE - HEADER_SIZE);
                    off += HEADER_SIZE + l;
                    rem -= l;
                    long end = off;
                    long p = off % PAGE_SIZE;
                    if (p != 0 && PAGE_SIZE - p < HEADER_SIZE) {
                        off = roundUp(off);
                    }
                    if (rem == 0) {
                        placements.add(new Placement(seg, start, end));
                    }
                } while (rem > 0);
            }
            segmentSizes.add(roundUp(off));
        }

        static long roundUp(long off) {
            return (off + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
        }
    }
}
