package io.tsdb4j.chunk;

import io.tsdb4j.block.ChunkReader;
import io.tsdb4j.index.IndexReader;
import io.tsdb4j.index.Postings;
import io.tsdb4j.testing.ProcessRunner;
import io.tsdb4j.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Byte identity with Prometheus's XOR encoder: every chunk of a block written by promtool 2.42, decoded and
 * re-encoded by {@link XorChunk}, gives the same bytes.
 */
class XorChunkPromtoolTest {
    @TempDir
    Path tmp;

    @Test
    void reencodingPromtoolsChunksGivesTheSameBytes() throws Exception {
        StringBuilder om = new StringBuilder();
        Random rnd = new Random(5);
        for (int s = 0; s < 12; s++) {
            double counter = 0;
            long t = 1_700_000_000_000L;
            for (int i = 0; i < 700; i++) {
                t += 15_000 + (s % 3 == 0 ? rnd.nextInt(2000) - 1000 : 0) + (i % 97 == 0 ? 3_600_000 : 0);
                counter += rnd.nextInt(100);
                double v = switch (s % 4) {
                    case 0 -> counter;
                    case 1 -> rnd.nextGaussian();
                    case 2 -> i % 10 == 0 ? Double.NaN : Math.round(rnd.nextDouble() * 1000) / 10.0;
                    default -> rnd.nextInt(3) == 0 ? Double.POSITIVE_INFINITY : 1e300 * rnd.nextDouble();
                };
                om.append("m{s=\"").append(s).append("\"} ").append(Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? "+Inf" : Double.toString(v))
                        .append(' ').append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
            }
        }
        om.append("# EOF\n");
        Path file = tmp.resolve("in.om");
        Files.writeString(file, om);
        Path data = tmp.resolve("data");
        ProcessRunner.Result r = ProcessRunner.run(tmp, 120, List.of(RealTools.promtool(), "tsdb", "create-blocks-from", "openmetrics", file.toString(), data.toString()));
        assertEquals(0, r.exitCode(), r.stderr());

        int chunks = 0;
        List<Path> blocks;
        try (Stream<Path> s = Files.list(data)) {
            blocks = s.filter(p -> p.getFileName().toString().length() == 26).toList();
        }
        assertFalse(blocks.isEmpty());
        for (Path block : blocks) {
            try (IndexReader ix = IndexReader.open(block.resolve("index"));
                 ChunkReader cr = ChunkReader.open(block.resolve("chunks"))) {
                Postings p = ix.allPostings();
                while (p.next()) {
                    List<long[]> metas = new ArrayList<>();
                    ix.series(p.at(), null, (mint, maxt, ref) -> metas.add(new long[] {mint, maxt, ref}));
                    for (long[] m : metas) {
                        byte[] theirs = cr.read(m[2]).data();
                        XorChunk ours = new XorChunk();
                        XorChunk.Iterator it = XorChunk.iterator(theirs, Integer.MAX_VALUE);
                        while (it.next()) ours.append(it.t(), it.v());
                        assertFalse(it.corrupt());
                        assertArrayEquals(theirs, ours.bytes(), "chunk " + Long.toHexString(m[2]) + " of " + block.getFileName());
                        chunks++;
                    }
                }
            }
        }
        assertTrue(chunks > 50, "compared " + chunks + " chunks");
    }
}
