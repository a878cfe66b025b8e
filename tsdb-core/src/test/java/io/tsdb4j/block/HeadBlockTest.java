package io.tsdb4j.block;

import io.tsdb4j.head.Head;
import io.tsdb4j.head.HeadAppender;
import io.tsdb4j.labels.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
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
    }
}
