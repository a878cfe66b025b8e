package io.tsdb4j.block;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which blocks to delete, as Prometheus 2.42 decides it ({@code DB.deletableBlocks}): blocks marked deletable,
 * blocks that are parents of another block (their data lives in the child), blocks beyond the time retention and
 * blocks beyond the size retention. Pure functions over metas; thread-safe.
 */
public final class Retention {
    private Retention() {}

    /** A block as retention sees it: its meta and its size on disk ({@link Block#size()}). */
    public record BlockInfo(BlockMeta meta, long size) {
        public BlockInfo {
            Objects.requireNonNull(meta, "meta");
        }
    }

    /**
     * Blocks entirely older than the retention: sorted newest first by maxTime, every block from the first one whose
     * maxTime is more than {@code retentionMs} before the newest block's maxTime. {@code retentionMs <= 0} disables.
     */
    public static Set<Ulid> beyondTimeRetention(List<BlockMeta> metas, long retentionMs) {
        Set<Ulid> out = new LinkedHashSet<>();
        if (retentionMs <= 0 || metas.isEmpty()) return out;
        List<BlockMeta> byMax = new ArrayList<>(metas);
        byMax.sort(Comparator.comparingLong(BlockMeta::maxTime).reversed());
        long newest = byMax.get(0).maxTime();
        for (int i = 1; i < byMax.size(); i++) {
            if (newest - byMax.get(i).maxTime() > retentionMs) {
                for (int j = i; j < byMax.size(); j++) out.add(byMax.get(j).ulid());
                break;
            }
        }
        return out;
    }

    /**
     * Oldest blocks to drop so that {@code headBytes} (WAL and head chunks) plus the remaining blocks fit in {@code
     * maxBytes}: blocks are added newest first (by maxTime); from the first that pushes the total past the limit,
     * it and all older ones are returned. {@code maxBytes <= 0} disables.
     */
    public static Set<Ulid> beyondSizeRetention(List<BlockInfo> blocks, long maxBytes, long headBytes) {
        Set<Ulid> out = new LinkedHashSet<>();
        if (maxBytes <= 0 || blocks.isEmpty()) return out;
        List<BlockInfo> byMax = new ArrayList<>(blocks);
        byMax.sort(Comparator.comparingLong((BlockInfo b) -> b.meta().maxTime()).reversed());
        long total = headBytes;
        for (int i = 0; i < byMax.size(); i++) {
            total += byMax.get(i).size();
            if (total > maxBytes) {
                for (int j = i; j < byMax.size(); j++) out.add(byMax.get(j).meta().ulid());
                break;
            }
        }
        return out;
    }

    /**
     * Everything to delete: blocks marked deletable, parents of other blocks, and those beyond the time and size
     * retention (the latter two computed over the blocks not already deletable for the other reasons, as
     * Prometheus does).
     */
    public static Set<Ulid> deletable(List<BlockInfo> blocks, long retentionMs, long maxBytes, long headBytes) {
        Set<Ulid> out = new LinkedHashSet<>();
        Set<Ulid> parents = new HashSet<>();
        for (BlockInfo b : blocks) {
            for (BlockMeta.Parent p : b.meta().compaction().parents()) parents.add(p.ulid());
        }
        List<BlockInfo> rest = new ArrayList<>();
        for (BlockInfo b : blocks) {
            Ulid u = b.meta().ulid();
            if (b.meta().compaction().deletable() || parents.contains(u)) out.add(u);
            else rest.add(b);
        }
        List<BlockMeta> metas = new ArrayList<>();
        for (BlockInfo b : rest) metas.add(b.meta());
        out.addAll(beyondTimeRetention(metas, retentionMs));
        out.addAll(beyondSizeRetention(rest, maxBytes, headBytes));
        return out;
    }
}
