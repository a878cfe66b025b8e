package io.tsdb4j.block;

import io.tsdb4j.index.IndexReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Damaged blocks: typed errors naming the ULID; {@link Blocks#openAll} skips what it cannot open. */
class CorruptionTest {
    private static BlockMeta writeBlock(Path data, long seed) throws IOException {
        Random r = new Random(seed);
        Model m = Model.random(r, 5, 0, 1000, 100);
        return BlockWriter.write(data, 0, 1000, m.toSeriesData(r, 50));
    }

    private static void flip(Path f, long off) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[(int) off] ^= 0x5A;
        Files.write(f, b);
    }

    private static void drain(Block b) {
        Model.of(b.select(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void damagedIndexTocIsSkippedByOpenAll(@TempDir Path data) throws IOException {
        BlockMeta good = writeBlock(data, 1);
        BlockMeta bad = writeBlock(data, 2);
        Path idx = data.resolve(bad.ulid() + "/index");
        flip(idx, Files.size(idx) - 10);
        BlockCorruptionException e = assertThrows(BlockCorruptionException.class, () -> Block.open(data.resolve(bad.ulid().toString())));
        assertEquals(bad.ulid().toString(), e.ulid());
        Blocks.OpenResult res = Blocks.openAll(data);
        try {
            assertEquals(List.of(bad.ulid().toString()), res.skipped());
            assertEquals(List.of(good.ulid()), res.blocks().stream().map(Block::ulid).toList());
        } finally {
            res.blocks().forEach(Block::close);
        }
    }

    @Test
    void damagedSeriesEntryFailsTheFirstRead(@TempDir Path data) throws IOException {
        BlockMeta bad = writeBlock(data, 3);
        Path dir = data.resolve(bad.ulid().toString());
        long seriesOff;
        try (IndexReader ir = IndexReader.open(dir.resolve("index"))) {
            seriesOff = (ir.toc().series() + 15) / 16 * 16;
        }
        flip(dir.resolve("index"), seriesOff + 3);
        Blocks.OpenResult res = Blocks.openAll(data);
        assertEquals(1, res.blocks().size());
        try (Block b = res.blocks().get(0)) {
            BlockCorruptionException e = assertThrows(BlockCorruptionException.class, () -> drain(b));
            assertEquals(bad.ulid().toString(), e.ulid());
            assertTrue(e.getMessage().contains("index"), e.getMessage());
            assertThrows(BlockCorruptionException.class, b::verify);
        }
    }

    @Test
    void damagedChunkFailsTheFirstReadNamingFileAndOffset(@TempDir Path data) throws IOException {
        BlockMeta bad = writeBlock(data, 4);
        Path dir = data.resolve(bad.ulid().toString());
        flip(dir.resolve("chunks/000001"), 12);
        Blocks.OpenResult res = Blocks.openAll(data);
        try (Block b = res.blocks().get(0)) {
            BlockCorruptionException e = assertThrows(BlockCorruptionException.class, () -> drain(b));
            assertEquals(bad.ulid().toString(), e.ulid());
            FileCorruptionException cause = (FileCorruptionException) e.getCause();
            assertTrue(cause.file().endsWith("chunks/000001"));
            assertEquals(8, cause.offset());
            assertThrows(BlockCorruptionException.class, b::verify);
        }
    }

    @Test
    void damagedHeaderMetaOrTombstonesAreSkipped(@TempDir Path data) throws IOException {
        BlockMeta a = writeBlock(data, 5), b = writeBlock(data, 6), c = writeBlock(data, 7), d = writeBlock(data, 8);
        flip(data.resolve(a.ulid() + "/chunks/000001"), 1);
        Files.writeString(data.resolve(b.ulid() + "/meta.json"), "{not json");
        Files.writeString(data.resolve(c.ulid() + "/meta.json"), c.withCompaction(c.compaction()).toJson().replace("\"version\": 1", "\"version\": 2"));
        flip(data.resolve(d.ulid() + "/tombstones"), 8);
        BlockMeta ok = writeBlock(data, 9);
        // Leftovers of interrupted writes and deletions, and unrelated directories.
        Files.createDirectories(data.resolve(Ulid.generate() + ".tmp-for-creation/chunks"));
        Files.createDirectories(data.resolve(Ulid.generate() + ".tmp-for-deletion"));
        Files.createDirectories(data.resolve("wal"));
        Blocks.OpenResult res = Blocks.openAll(data);
        try {
            assertEquals(List.of(ok.ulid()), res.blocks().stream().map(Block::ulid).toList());
            assertEquals(List.of(a, b, c, d).stream().map(m -> m.ulid().toString()).sorted().toList(),
                    res.skipped().stream().sorted().toList());
        } finally {
            res.blocks().forEach(Block::close);
        }
        try (var s = Files.list(data)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")));
        }
        assertTrue(Files.isDirectory(data.resolve("wal")));
        Blocks.delete(data.resolve(ok.ulid().toString()));
        assertFalse(Files.exists(data.resolve(ok.ulid().toString())));
    }
}
