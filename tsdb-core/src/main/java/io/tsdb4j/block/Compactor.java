package io.tsdb4j.block;

import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.encoding.Utf8;
import io.tsdb4j.index.ChunkMeta;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plans and runs compactions the way Prometheus 2.42's leveled compactor does.
 *
 * <p><b>Planning</b> ({@link #plan}): first any run of blocks whose time ranges overlap (vertical compaction); else,
 * leaving out the newest block (by minTime), the first group of at least two blocks that fills one of the larger
 * ranges (6h, 18h, ...) or lies entirely before the newest block; else one block that is large enough (at least
 * the middle range) and has more than 5% tombstones relative to its series, or whose tombstones cover all its
 * series. Blocks marked deletable are ignored.
 *
 * <p><b>Compaction</b> ({@link #compact}): merges the blocks' series in label order, one series at a time in
 * memory. Deleted samples (tombstones) are dropped, chunks of different blocks that overlap in time are decoded,
 * merged with equal timestamps kept once (from the block earliest in the input order, sorted by minTime), and
 * re-encoded in chunks of 120 samples; other chunks are copied as they are. The new block has level max+1, the
 * sorted union of the inputs' sources, and the inputs as parents. Afterwards the inputs are marked deletable (the
 * caller closes and deletes them, see {@link Retention#deletable}); if compaction fails they are marked failed.
 *
 * <p>Thread-safe (stateless apart from configuration); compacting the same blocks concurrently is the caller's
 * mistake.
 */
public final class Compactor {
    /** Prometheus's default block duration: 2h in milliseconds. */
    public static final long DEFAULT_BLOCK_DURATION = 2 * 60 * 60 * 1000L;

    private final long[] ranges;
    private final long segmentSize;

    /** A compactor with the given ascending ranges (ms); the first is the head's block range. */
    public Compactor(long[] ranges) {
        this(ranges, ChunkFormat.DEFAULT_SEGMENT_SIZE);
    }

    /** As {@link #Compactor(long[])} with a chunk segment file size for the blocks written. */
    public Compactor(long[] ranges, long segmentSize) {
        if (ranges.length == 0) throw new IllegalArgumentException("at least one range");
        for (int i = 0; i < ranges.length; i++) {
            if (ranges[i] <= 0 || (i > 0 && ranges[i] <= ranges[i - 1])) {
                throw new IllegalArgumentException("ranges must be positive and ascending: " + Arrays.toString(ranges));
            }
        }
        this.ranges = ranges.clone();
        this.segmentSize = segmentSize;
    }

    /** {@code steps} ranges starting at {@code min}, each {@code factor} times the previous. */
    public static long[] exponentialRanges(long min, int steps, int factor) {
        long[] r = new long[steps];
        long v = min;
        for (int i = 0; i < steps; i++) {
            r[i] = v;
            v *= factor;
        }
        return r;
    }

    /**
     * Prometheus's ranges: 2h, 6h, 18h, ... (10 steps by factor 3), cut to those not above {@code maxBlockDuration}
     * (Prometheus uses 10% of the time retention, at most 31 days); always at least the 2h range.
     */
    public static long[] defaultRanges(long maxBlockDuration) {
        long[] all = exponentialRanges(DEFAULT_BLOCK_DURATION, 10, 3);
        int n = 1;
        while (n < all.length && all[n] <= maxBlockDuration) n++;
        return Arrays.copyOf(all, n);
    }

    public long[] ranges() {
        return ranges.clone();
    }

    // ---- planning -------------------------------------------------------------------------------------------

    /**
     * The blocks to compact next into one, or an empty list if nothing is due. Input order does not matter.
     */
    public List<BlockMeta> plan(List<BlockMeta> metas) {
        List<BlockMeta> ds = new ArrayList<>();
        for (BlockMeta m : metas) if (!m.compaction().deletable()) ds.add(m);
        ds.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid));

        List<BlockMeta> overlapping = overlapping(ds);
        if (!overlapping.isEmpty()) return overlapping;
        if (ds.isEmpty()) return List.of();

        // Leave the newest block alone: it was just cut from the head, and users may back it up meanwhile.
        List<BlockMeta> older = ds.subList(0, ds.size() - 1);
        List<BlockMeta> sel = selectForRange(older);
        if (!sel.isEmpty()) return sel;

        // Big enough blocks with many tombstones get rewritten alone.
        for (int i = older.size() - 1; i >= 0; i--) {
            BlockMeta m = older.get(i);
            BlockMeta.Stats st = m.stats();
            if (m.maxTime() - m.minTime() < ranges[ranges.length / 2]) {
                if (st.numTombstones() > 0 && st.numTombstones() >= st.numSeries()) return List.of(m);
                break;
            }
            if ((double) st.numTombstones() / (st.numSeries() + 1) > 0.05) return List.of(m);
        }
        return List.of();
    }

    /** The first run of blocks (sorted by minTime) each starting before the maximum end of those before it. */
    private static List<BlockMeta> overlapping(List<BlockMeta> ds) {
        List<BlockMeta> out = new ArrayList<>();
        if (ds.size() < 2) return out;
        long maxEnd = ds.get(0).maxTime();
        for (int i = 1; i < ds.size(); i++) {
            BlockMeta m = ds.get(i);
            if (m.minTime() < maxEnd) {
                if (out.isEmpty()) out.add(ds.get(i - 1));
                out.add(m);
            } else if (!out.isEmpty()) {
                break;
            }
            maxEnd = Math.max(maxEnd, m.maxTime());
        }
        return out;
    }

    private List<BlockMeta> selectForRange(List<BlockMeta> ds) {
        if (ranges.length < 2 || ds.isEmpty()) return List.of();
        long highTime = ds.get(ds.size() - 1).minTime();
        for (int r = 1; r < ranges.length; r++) {
            long iv = ranges[r];
            for (List<BlockMeta> group : splitByRange(ds, iv)) {
                if (group.stream().anyMatch(m -> m.compaction().failed())) continue;
                long mint = group.get(0).minTime();
                long maxt = group.get(group.size() - 1).maxTime();
                if (group.size() > 1 && (maxt - mint == iv || maxt <= highTime)) return group;
            }
        }
        return List.of();
    }

    /**
     * Groups consecutive blocks (sorted by minTime) that fall into the same aligned window of size {@code tr};
     * blocks reaching beyond the window of their start are left out.
     */
    static List<List<BlockMeta>> splitByRange(List<BlockMeta> ds, long tr) {
        List<List<BlockMeta>> out = new ArrayList<>();
        int i = 0;
        while (i < ds.size()) {
            BlockMeta m = ds.get(i);
            long t0 = Math.floorDiv(m.minTime(), tr) * tr;
            if (m.maxTime() > t0 + tr) {
                i++;
                continue;
            }
            List<BlockMeta> group = new ArrayList<>();
            while (i < ds.size() && ds.get(i).maxTime() <= t0 + tr) group.add(ds.get(i++));
            if (!group.isEmpty()) out.add(group);
        }
        return out;
    }

    // ---- compaction -----------------------------------------------------------------------------------------

    /**
     * Writes one block holding the merged contents of {@code blocks} into {@code dataDir} and marks the inputs
     * deletable. The blocks stay open (acquired during the call); the caller closes and deletes them afterwards.
     *
     * @return the new block's meta, or empty if nothing is left (all deleted): then no block is written and the
     * inputs are still marked deletable
     * @throws IllegalStateException if a block is closing
     */
    public Optional<BlockMeta> compact(Path dataDir, List<Block> blocks) throws IOException {
        if (blocks.isEmpty()) throw new IllegalArgumentException("nothing to compact");
        List<Block> bs = new ArrayList<>(blocks);
        bs.sort(Comparator.comparingLong(Block::minTime).thenComparing(Block::ulid));
        List<Block> acquired = new ArrayList<>();
        try {
            for (Block b : bs) {
                if (!b.acquire()) throw new IllegalStateException("block " + b.ulid() + " is closing");
                acquired.add(b);
            }
            Optional<BlockMeta> result;
            try {
                result = write(dataDir, bs);
            } catch (IOException | RuntimeException e) {
                for (Block b : bs) {
                    try {
                        b.markCompactionFailed();
                    } catch (IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            for (Block b : bs) b.markDeletable();
            return result;
        } finally {
            for (Block b : acquired) b.release();
        }
    }

    private Optional<BlockMeta> write(Path dataDir, List<Block> bs) throws IOException {
        long mint = Long.MAX_VALUE, maxt = Long.MIN_VALUE;
        int level = 0;
        TreeSet<Ulid> sources = new TreeSet<>();
        List<BlockMeta.Parent> parents = new ArrayList<>();
        for (Block b : bs) {
            BlockMeta m = b.meta();
            mint = Math.min(mint, m.minTime());
            maxt = Math.max(maxt, m.maxTime());
            level = Math.max(level, m.compaction().level());
            sources.addAll(m.compaction().sources());
            parents.add(new BlockMeta.Parent(m.ulid(), m.minTime(), m.maxTime()));
        }
        Ulid ulid = Ulid.generate();
        BlockMeta.Compaction comp = new BlockMeta.Compaction(level + 1, new ArrayList<>(sources), false, parents,
                false, List.of());
        try (BlockWriter w = BlockWriter.create(dataDir, ulid, mint, maxt, comp, segmentSize)) {
            TreeSet<String> symbols = new TreeSet<>(Utf8.ORDER);
            for (Block b : bs) {
                for (Iterator<String> it = b.symbols(); it.hasNext(); ) symbols.add(it.next());
            }
            w.addSymbols(symbols);
            symbols = null;

            Block.Cursor[] cursors = new Block.Cursor[bs.size()];
            boolean[] has = new boolean[cursors.length];
            for (int i = 0; i < cursors.length; i++) {
                cursors[i] = bs.get(i).cursor();
                has[i] = cursors[i].next();
            }
            List<Piece> pieces = new ArrayList<>();
            while (true) {
                Labels min = null;
                for (int i = 0; i < cursors.length; i++) {
                    if (has[i] && (min == null || cursors[i].labels().compareTo(min) < 0)) min = cursors[i].labels();
                }
                if (min == null) break;
                pieces.clear();
                for (int i = 0; i < cursors.length; i++) {
                    if (has[i] && cursors[i].labels().equals(min)) {
                        collect(cursors[i], i, pieces);
                        has[i] = cursors[i].next();
                    }
                }
                List<ChunkData> out = mergePieces(pieces);
                if (!out.isEmpty()) w.addSeries(min, out);
            }
            if (w.stats().numSamples() == 0) return Optional.empty(); // close() discards the temporary directory
            return Optional.of(w.commit());
        }
    }

    /** A chunk of one input after applying its tombstones, tagged with the input's position. */
    private record Piece(long minTime, long maxTime, byte[] bytes, int order) {}

    private static void collect(Block.Cursor c, int order, List<Piece> out) {
        long[] del = c.deleted();
        for (ChunkMeta m : c.chunks()) {
            ChunkData d = c.block().readChunk(m);
            if (!overlapsAny(del, m.minTime(), m.maxTime())) {
                out.add(new Piece(m.minTime(), m.maxTime(), d.bytes(), order));
                continue;
            }
            XorChunk rc = new XorChunk();
            XorChunk.Iterator it = d.iterator();
            while (it.next()) {
                if (!deleted(del, it.t())) rc.append(it.t(), it.v());
            }
            checkDecoded(c, m, it);
            if (rc.numSamples() > 0) {
                ChunkData f = ChunkData.of(rc);
                out.add(new Piece(f.minTime(), f.maxTime(), f.bytes(), order));
            }
        }
    }

    private static void checkDecoded(Block.Cursor c, ChunkMeta m, XorChunk.Iterator it) {
        if (it.corrupt()) {
            throw new BlockCorruptionException(c.block().ulid().toString(), "chunk 0x" + Long.toHexString(m.ref())
                    + " of " + c.labels() + " ends before its sample count");
        }
    }

    private static boolean overlapsAny(long[] del, long mint, long maxt) {
        for (int i = 0; i < del.length; i += 2) {
            if (del[i] <= maxt && mint <= del[i + 1]) return true;
        }
        return false;
    }

    private static boolean deleted(long[] del, long t) {
        for (int i = 0; i < del.length; i += 2) {
            if (t < del[i]) return false;
            if (t <= del[i + 1]) return true;
        }
        return false;
    }

    /** Orders pieces by time, copies non-overlapping ones, merges each run of overlapping ones. */
    private static List<ChunkData> mergePieces(List<Piece> pieces) {
        pieces.sort(Comparator.comparingLong(Piece::minTime).thenComparingInt(Piece::order));
        List<ChunkData> out = new ArrayList<>();
        int i = 0;
        while (i < pieces.size()) {
            int j = i + 1;
            long end = pieces.get(i).maxTime();
            while (j < pieces.size() && pieces.get(j).minTime() <= end) {
                end = Math.max(end, pieces.get(j).maxTime());
                j++;
            }
            if (j == i + 1) {
                Piece p = pieces.get(i);
                out.add(new ChunkData(p.minTime(), p.maxTime(), p.bytes()));
            } else {
                mergeOverlapping(pieces.subList(i, j), out);
            }
            i = j;
        }
        return out;
    }

    private static void mergeOverlapping(List<Piece> group, List<ChunkData> out) {
        int total = 0;
        for (Piece p : group) total += XorChunk.numSamples(p.bytes(), 0);
        long[] ts = new long[total];
        long[] vs = new long[total];
        int[] ord = new int[total];
        int n = 0;
        XorChunk.Iterator it = new XorChunk.Iterator();
        for (Piece p : group) {
            it.reset(p.bytes(), 0, XorChunk.numSamples(p.bytes(), 0));
            while (it.next()) {
                ts[n] = it.t();
                vs[n] = Double.doubleToRawLongBits(it.v());
                ord[n] = p.order();
                n++;
            }
        }
        Integer[] idx = new Integer[n];
        for (int k = 0; k < n; k++) idx[k] = k;
        Arrays.sort(idx, (a, b) -> ts[a] != ts[b] ? Long.compare(ts[a], ts[b]) : Integer.compare(ord[a], ord[b]));
        XorChunk c = null;
        long prevT = 0;
        boolean any = false;
        for (int k = 0; k < n; k++) {
            int s = idx[k];
            if (any && ts[s] == prevT) continue; // duplicate timestamp: the earliest input's sample was kept
            if (c == null) c = new XorChunk();
            c.append(ts[s], Double.longBitsToDouble(vs[s]));
            prevT = ts[s];
            any = true;
            if (c.numSamples() == XorChunk.SAMPLES_PER_CHUNK) {
                out.add(ChunkData.of(c));
                c = null;
            }
        }
        if (c != null && c.numSamples() > 0) out.add(ChunkData.of(c));
    }
}
