package io.tsdb4j.block;

import io.tsdb4j.testing.ProcessRunner;
import io.tsdb4j.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Blocks against the real promtool 2.42: ours pass {@code tsdb analyze} and dump exactly our samples; promtool's
 * blocks (from {@code create-blocks-from openmetrics}) read back in our reader exactly as promtool dumps them.
 */
class PromtoolCompatTest {
    private static ProcessRunner.Result promtool(Path work, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(RealTools.promtool());
        cmd.addAll(List.of(args));
        return ProcessRunner.run(work, 120, cmd);
    }

    private static List<String> dump(Path work, Path data) throws Exception {
        ProcessRunner.Result r = promtool(work, "tsdb", "dump", data.toString());
        assertEquals(0, r.exitCode(), "promtool tsdb dump failed: " + r.stderr());
        return r.stdout().lines().toList();
    }

    @Test
    void ourBlocksPassAnalyzeAndDumpExactly(@TempDir Path tmp) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Path data = Files.createDirectories(tmp.resolve("data" + seed));
            Files.createDirectories(data.resolve("wal")); // promtool's dump opens the DB read-only and needs a WAL dir
            Random r = new Random(seed);
            Model model = Model.random(r, 20, 0, 7_200_000, 600);
            BlockMeta meta = BlockWriter.write(data, 0, 7_200_000, model.toSeriesData(r, 240));
            if (seed == 3) {
                // Tombstones written by us are honoured by promtool too.
                try (Block b = Block.open(data.resolve(meta.ulid().toString()))) {
                    b.delete(1_000_000, 3_000_000);
                }
                model.delete(1_000_000, 3_000_000);
            }
            ProcessRunner.Result a = promtool(tmp, "tsdb", "analyze", data.toString(), meta.ulid().toString());
            assertEquals(0, a.exitCode(), "promtool tsdb analyze failed: " + a.stderr() + a.stdout());
            assertTrue(a.stdout().contains(meta.ulid().toString()), a.stdout());
            List<String> got = dump(tmp, data);
            List<String> want = model.dumpLines();
            assertEquals(want.size(), got.size(), "seed " + seed);
            for (int i = 0; i < want.size(); i++) assertEquals(want.get(i), got.get(i), "line " + (i + 1) + ", seed " + seed);
        }
    }

    @Test
    void promtoolBlocksReadBackExactly(@TempDir Path tmp) throws Exception {
        StringBuilder om = new StringBuilder();
        om.append("# HELP temp_celsius A gauge.\n# TYPE temp_celsius gauge\n");
        for (int i = 0; i < 150; i++) {
            om.append("temp_celsius{room=\"k\u00fcche\",floor=\"1\"} ").append(20 + i * 0.25).append(' ').append(1000 + i * 15).append('\n');
            om.append("temp_celsius{room=\"hall\"} ").append(i % 7 == 0 ? "NaN" : String.valueOf(-i)).append(' ')
                    .append(1000 + i * 15).append(".5\n");
        }
        om.append("# HELP queue_depth Another.\n# TYPE queue_depth gauge\n");
        for (int i = 0; i < 300; i++) om.append("queue_depth{q=\"\\\"x\\\"\"} ").append(i * 3).append(' ').append(1000 + i * 10).append('\n');
        om.append("# EOF\n");
        Path in = tmp.resolve("in.om");
        Files.writeString(in, om, StandardCharsets.UTF_8);
        Path data = Files.createDirectories(tmp.resolve("data"));
        ProcessRunner.Result c = promtool(tmp, "tsdb", "create-blocks-from", "openmetrics", in.toString(), data.toString());
        assertEquals(0, c.exitCode(), "create-blocks-from failed: " + c.stderr() + c.stdout());
        Files.createDirectories(data.resolve("wal"));
        List<String> want = dump(tmp, data);
        assertEquals(600, want.size());

        Blocks.OpenResult res = Blocks.openAll(data);
        try {
            assertEquals(List.of(), res.skipped());
            assertEquals(1, res.blocks().size());
            Block b = res.blocks().get(0);
            b.verify();
            assertEquals(3, b.meta().stats().numSeries());
            assertEquals(600, b.meta().stats().numSamples());
            assertEquals(List.of("__name__", "floor", "q", "room"), b.labelNames());
            List<String> got = Model.of(b.select(Long.MIN_VALUE, Long.MAX_VALUE)).dumpLines();
            assertEquals(want, got);
            // Our rewrite of promtool's block (compaction of one block) dumps the same in promtool.
            BlockMeta out = new Compactor(new long[]{Compactor.DEFAULT_BLOCK_DURATION}).compact(data, res.blocks()).orElseThrow();
            Blocks.delete(b.dir());
            Path d2 = Files.createDirectories(tmp.resolve("data2"));
            Files.createDirectories(d2.resolve("wal"));
            Files.move(data.resolve(out.ulid().toString()), d2.resolve(out.ulid().toString()));
            assertEquals(want, dump(tmp, d2));
        } finally {
            res.blocks().forEach(Block::close);
        }
    }
}
