package io.tsdb4j.block;

import io.tsdb4j.head.Head;
import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.head.HeadAppender;
import io.tsdb4j.head.SeriesSnapshot;
import io.tsdb4j.labels.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** Cutting a block out of the head: exact range, straddling chunks re-encoded, series without a metric name kept. */
class HeadBlockTest {
    @Test
    void writeFromHeadKeepsExactlyTheRange(@TempDir Path data) throws IOException {
        // A huge chunk range so head chunks straddle the cut times.
        Head head = new Head(1_000_000, null);
        Model model = Model.random(new Random(11), 8, 0, 5000, 500);
        model.series.put(Labels.of("job", "no_name", "instance", "\uD83D\uDE00"), new TreeMap<>(Map.of(10L, 1L, 2999L, 2L, 3000L, 3L)));
        HeadAppender app = head.appender();
        for (var e : model.series.entrySet()) {
            for (var s : e.getValue().entrySet()) app.append(e.getKey(), s.getKey(), Double.longBitsToDouble(s.getValue()));
        }
        app.commit();

        Optional<BlockMeta> first = BlockWriter.writeFromHead(data, head, 0, 3000);
        Optional<BlockMeta> second = BlockWriter.writeFromHead(data, head, 3000, 6000);
        assertTrue(first.isPresent() && second.isPresent());
        assertEquals(0, first.get().minTime());
        assertEquals(3000, first.get().maxTime());
        assertEquals(1, first.get().compaction().level());
        assertEquals(java.util.List.of(first.get().ulid()), first.get().compaction().sources());
        assertEquals(model.select(0, 2999).numSamples() + model.select(3000, 5999).numSamples(), model.numSamples());
        try (Block a = Block.open(data.resolve(first.get().ulid().toString()));
             Block b = Block.open(data.resolve(second.get().ulid().toString()))) {
            assertEquals(model.select(0, 2999), Model.of(a.select(Long.MIN_VALUE, Long.MAX_VALUE)));
            assertEquals(model.select(3000, 5999), Model.of(b.select(Long.MIN_VALUE, Long.MAX_VALUE)));
            assertEquals(model.select(0, 2999).numSamples(), a.meta().stats().numSamples());
            a.verify();
            b.verify();
        }
        assertTrue(BlockWriter.writeFromHead(data, head, 10_000, 20_000).isEmpty(), "no samples, no block");
        try (var left = Files.list(data)) {
            assertEquals(2, left.count(), "nothing left of the empty block");
        }
    }

    @Test
    void streamedBlockIsByteIdenticalToOneBuiltFromReencodedChunks(@TempDir Path data) throws IOException {
        // Chunks on the heap, and in a chunks_head file (written, and still in the store's write buffer).
        for (Head head : List.of(new Head(7_200_000, null), Head.withMappedChunks(7_200_000, data.resolve("chunks_head")))) {
            try {
                Random r = new Random(5);
                for (long t = 0; t < 3 * 3_600_000; t += 15_000) {
                    HeadAppender app = head.appender();
                    for (int i = 0; i < 600; i++) {
                        if (i % 7 == 0 && t > 4_000_000) continue; // stopped: its open chunk lies inside the cut
                        if (r.nextInt(50) == 0) continue;
                        double v = i % 2 == 0 ? t / 15_000 + i : r.nextDouble();
                        app.append(Labels.of("__name__", "m" + i % 13, "i", Integer.toString(i)), t + i, v);
                    }
                    app.commit();
                }
                // Cut times inside chunks, so that chunks crossing them are re-encoded.
                Path ours = data.resolve("ours");
                Path theirs = data.resolve("reference");
                BlockMeta m = BlockWriter.writeFromHead(ours, head, 1_000_000, 5_000_000).orElseThrow();
                BlockMeta ref = writeReencoded(theirs, head, 1_000_000, 5_000_000);
                assertEquals(ref.stats(), m.stats());
                Path a = ours.resolve(m.ulid().toString());
                Path b = theirs.resolve(ref.ulid().toString());
                assertArrayEquals(Files.readAllBytes(b.resolve("index")), Files.readAllBytes(a.resolve("index")));
                assertArrayEquals(Files.readAllBytes(b.resolve("chunks/000001")), Files.readAllBytes(a.resolve("chunks/000001")));
                FileUtil.deleteRecursively(ours);
                FileUtil.deleteRecursively(theirs);
            } finally {
                head.close();
            }
        }
    }

    /** The block of the head's samples in [mint, maxt), every chunk decoded and encoded again, all in memory first. */
    private static BlockMeta writeReencoded(Path dir, Head head, long mint, long maxt) throws IOException {
        List<SeriesSnapshot> all = head.snapshotAll();
        try (BlockWriter w = BlockWriter.create(dir, mint, maxt)) {
            for (SeriesSnapshot s : all) w.addSymbols(s.labels());
            for (SeriesSnapshot s : all) {
                List<ChunkData> chunks = new ArrayList<>();
                for (int i = 0; i < s.numChunks(); i++) {
                    XorChunk c = new XorChunk();
                    XorChunk.Iterator it = XorChunk.iterator(s.chunkBytes(i), s.chunkSamples(i));
                    while (it.next()) if (it.t() >= mint && it.t() < maxt) c.append(it.t(), it.v());
                    if (c.numSamples() > 0) chunks.add(ChunkData.of(c));
                }
                w.addSeries(s.labels(), chunks);
            }
            return w.commit();
        }
    }
}
