package io.tsdb4j.head;

import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.encoding.ByteOrderUtil;
import io.tsdb4j.labels.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

class MappedChunkStoreTest {
    @TempDir
    Path dir;

    private static byte[] chunk(Random rnd, int n, long t0) {
        XorChunk c = new XorChunk();
        for (int i = 0; i < n; i++) c.append(t0 + i * 15_000L, rnd.nextInt(4) == 0 ? rnd.nextDouble() : i);
        return c.bytes();
    }

    @Test
    void readsBackFromBufferActiveFileAndFinishedFiles() throws Exception {
        Random rnd = new Random(1);
        try (MappedChunkStore st = MappedChunkStore.open(dir.resolve("chunks_head"), 64 * 1024)) {
            List<byte[]> written = new ArrayList<>();
            List<Long> refs = new ArrayList<>();
            ChunkStore.View early = st.view();
            for (int i = 0; i < 3000; i++) {
                byte[] c = chunk(rnd, 1 + rnd.nextInt(150), i * 1000L);
                refs.add(st.put(i + 1, i * 1000L, i * 1000L + 999, c, c.length));
                written.add(c);
                if (i % 97 == 0) { // read some right away: they may still be in the write buffer
                    assertArrayEquals(c, st.view().get(refs.get(i)));
                    assertEquals(ByteBuffer.wrap(c), st.view().buffer(refs.get(i)));
                }
            }
            ChunkStore.View view = st.view();
            for (int i = 0; i < written.size(); i++) {
                assertArrayEquals(written.get(i), view.get(refs.get(i)), "chunk " + i);
                assertArrayEquals(written.get(i), early.get(refs.get(i)), "a view taken earlier still reads chunk " + i);
                assertEquals(ByteBuffer.wrap(written.get(i)), view.buffer(refs.get(i)), "chunk " + i + " in place");
                assertEquals(ByteBuffer.wrap(written.get(i)), early.buffer(refs.get(i)), "chunk " + i + " in place, early view");
            }
            long files;
            try (Stream<Path> s = Files.list(dir.resolve("chunks_head"))) {
                files = s.count();
            }
            assertTrue(files > 5, "small files rotate: " + files);

            // Dropping old files keeps earlier views readable.
            st.truncateBefore(2_000_000);
            for (int i = 0; i < written.size(); i++) {
                assertArrayEquals(written.get(i), view.get(refs.get(i)));
                assertEquals(ByteBuffer.wrap(written.get(i)), view.buffer(refs.get(i)));
            }
            try (Stream<Path> s = Files.list(dir.resolve("chunks_head"))) {
                assertTrue(s.count() < files, "old files deleted");
            }
        }
    }

    @Test
    void filesUsePrometheusHeadChunkLayout() throws Exception {
        byte[] c = chunk(new Random(2), 10, 5000);
        Path d = dir.resolve("chunks_head");
        long ref;
        try (MappedChunkStore st = MappedChunkStore.open(d)) {
            ref = st.put(42, 5000, 140_000, c, c.length);
        }
        assertEquals((1L << 32) | 8, ref, "file number 1, first entry after the 8-byte header");
        byte[] f = Files.readAllBytes(d.resolve("000001"));
        assertEquals(0x0130BC91, ByteOrderUtil.getBE32(f, 0));
        assertEquals(1, f[4]);
        assertEquals(42, ByteOrderUtil.getBE64(f, 8));
        assertEquals(5000, ByteOrderUtil.getBE64(f, 16));
        assertEquals(140_000, ByteOrderUtil.getBE64(f, 24));
        assertEquals(1, f[32], "XOR encoding");
        assertEquals(c.length, f[33]);
        int end = 34 + c.length;
        CRC32C crc = new CRC32C();
        crc.update(f, 8, end - 8);
        assertEquals((int) crc.getValue(), ByteOrderUtil.getBE32(f, end), "CRC32C over the whole entry");
        assertEquals(end + 4, f.length);
    }

    @Test
    void headCutsChunksIntoFilesAndQueriesReadThem() throws Exception {
        Head head = new Head(7_200_000, null, MappedChunkStore.open(dir.resolve("ch"), 64 * 1024));
        try {
            Labels l = Labels.of("__name__", "x");
            for (int batch = 0; batch < 2000; batch++) {
                HeadAppender a = head.appender();
                for (int s = 0; s < 5; s++) a.append(Labels.of("__name__", "x", "s", "" + s), batch * 15_000L, batch + s);
                a.commit();
            }
            for (SeriesSnapshot snap : head.select(Long.MIN_VALUE, Long.MAX_VALUE, io.tsdb4j.labels.Matcher.equal("__name__", "x"))) {
                assertTrue(snap.numChunks() > 10);
                var it = snap.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
                int n = 0;
                int s = Integer.parseInt(snap.labels().get("s"));
                while (it.next()) {
                    assertEquals(n * 15_000L, it.t());
                    assertEquals(n + s, it.v());
                    n++;
                }
                assertEquals(2000, n);
            }
            assertTrue(head.memoryBytes() < 2000 * 5, "chunk bytes live in files, not on the heap: " + head.memoryBytes());
            assertNotNull(l);
        } finally {
            head.close();
        }
    }
}
