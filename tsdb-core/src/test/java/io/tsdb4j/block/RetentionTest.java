package io.tsdb4j.block;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class RetentionTest {
    @Test
    void timeRetentionDropsBlocksEndingTooLongBeforeTheNewest() {
        BlockMeta a = CompactorTest.meta(0, 100), b = CompactorTest.meta(100, 200), c = CompactorTest.meta(200, 300);
        assertEquals(Set.of(), Retention.beyondTimeRetention(List.of(a, b, c), 200));
        assertEquals(Set.of(a.ulid()), Retention.beyondTimeRetention(List.of(c, a, b), 199));
        assertEquals(Set.of(a.ulid(), b.ulid()), Retention.beyondTimeRetention(List.of(a, b, c), 99));
        assertEquals(Set.of(), Retention.beyondTimeRetention(List.of(a, b, c), 0));
    }

    @Test
    void sizeRetentionDropsOldestUntilUnderTheLimit() {
        BlockMeta a = CompactorTest.meta(0, 100), b = CompactorTest.meta(100, 200), c = CompactorTest.meta(200, 300);
        List<Retention.BlockInfo> bs = List.of(new Retention.BlockInfo(a, 10), new Retention.BlockInfo(b, 10),
                new Retention.BlockInfo(c, 10));
        assertEquals(Set.of(), Retention.beyondSizeRetention(bs, 30, 0));
        assertEquals(Set.of(a.ulid()), Retention.beyondSizeRetention(bs, 29, 0));
        assertEquals(Set.of(a.ulid(), b.ulid()), Retention.beyondSizeRetention(bs, 24, 5));
        assertEquals(Set.of(a.ulid(), b.ulid(), c.ulid()), Retention.beyondSizeRetention(bs, 9, 0));
    }

    @Test
    void deletableCombinesFlagsParentsAndRetention() {
        BlockMeta p1 = CompactorTest.meta(0, 100), p2 = CompactorTest.meta(100, 200);
        BlockMeta child = new BlockMeta(Ulid.generate(), 0, 200, BlockMeta.Stats.EMPTY, new BlockMeta.Compaction(2,
                List.of(p1.ulid(), p2.ulid()), false, List.of(new BlockMeta.Parent(p1.ulid(), 0, 100),
                new BlockMeta.Parent(p2.ulid(), 100, 200)), false, List.of()), 1);
        BlockMeta flagged = CompactorTest.meta(200, 300);
        flagged = flagged.withCompaction(flagged.compaction().withDeletable(true));
        BlockMeta newest = CompactorTest.meta(300, 400);
        List<Retention.BlockInfo> all = List.of(new Retention.BlockInfo(p1, 1), new Retention.BlockInfo(p2, 1),
                new Retention.BlockInfo(child, 1), new Retention.BlockInfo(flagged, 1), new Retention.BlockInfo(newest, 1));
        assertEquals(Set.of(p1.ulid(), p2.ulid(), flagged.ulid()), Retention.deletable(all, 0, 0, 0));
        assertEquals(Set.of(p1.ulid(), p2.ulid(), flagged.ulid(), child.ulid()), Retention.deletable(all, 150, 0, 0));
        assertEquals(Set.of(p1.ulid(), p2.ulid(), flagged.ulid(), child.ulid()), Retention.deletable(all, 0, 1, 0));
    }
}
