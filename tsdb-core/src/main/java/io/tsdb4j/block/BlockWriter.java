package io.tsdb4j.block;

import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.encoding.Utf8;
import io.tsdb4j.head.Head;
import io.tsdb4j.head.SeriesSnapshot;
import io.tsdb4j.index.IndexWriter;
import io.tsdb4j.labels.Labels;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes one block into {@code <dataDir>/<ULID>.tmp-for-creation/} and, on {@link #commit()}, fsyncs it and renames
 * it to {@code <dataDir>/<ULID>} (then fsyncs {@code dataDir}), so a crash never leaves a half-written block under
 * a ULID name ({@link Blocks#openAll} removes leftover temporary directories).
 *
 * <p>Call order: {@link #addSymbols} with every label name and value of the series to come (any order, repeats
 * fine; the empty string is always added, as blocks cut from Prometheus's head contain it), then {@link
 * #addSeries} in strictly increasing label order, then {@link #commit()}. {@link #close()} without a successful
 * commit deletes the temporary directory. Series without chunks are skipped (Prometheus writes none).
 *
 * <p>Memory: the symbols and the index writer's postings (4 bytes per label of each series); chunks stream to
 * disk. Not thread-safe.
 */
public final class BlockWriter implements Closeable {
    /** Suffix of a block directory being written. */
    public static final String TMP_CREATION_SUFFIX = ".tmp-for-creation";

    /** A series to write: labels and its chunks in time order. */
    public record SeriesData(Labels labels, List<ChunkData> chunks) {
        public SeriesData {
            Objects.requireNonNull(labels, "labels");
            chunks = List.copyOf(chunks);
        }
    }

    private final Path dataDir;
    private final Ulid ulid;
    private final long minTime;
    private final long maxTime;
    private final BlockMeta.Compaction compaction;
    private final Path tmpDir;
    private final ChunkWriter chunks;
    private final IndexWriter index;
    private TreeSet<String> symbols = new TreeSet<>(Utf8.ORDER);
    private Labels last;
    private long numSamples, numSeries, numChunks;
    private boolean committed;
    private boolean closed;
    /** The series being written: (minTime, maxTime, ref) of each chunk written for it so far. */
    private long[] metas = new long[3 * 8];
    private int numMetas;

    private BlockWriter(Path dataDir, Ulid ulid, long minTime, long maxTime, BlockMeta.Compaction compaction,
                        long segmentSize) throws IOException {
        this.dataDir = dataDir;
        this.ulid = ulid;
        this.minTime = minTime;
        this.maxTime = maxTime;
        this.compaction = compaction;
        this.tmpDir = dataDir.resolve(ulid + TMP_CREATION_SUFFIX);
        FileUtil.deleteRecursively(tmpDir);
        Files.createDirectories(tmpDir);
        ChunkWriter cw = null;
        try {
            cw = ChunkWriter.create(tmpDir.resolve(ChunkFormat.DIR), segmentSize);
            this.index = IndexWriter.create(tmpDir.resolve("index"));
        } catch (IOException | RuntimeException e) {
            if (cw != null) cw.close();
            FileUtil.deleteRecursively(tmpDir);
            throw e;
        }
        this.chunks = cw;
        symbols.add("");
    }

    /** A level-1 block with a fresh ULID covering {@code [minTime, maxTime)} (maxTime exclusive). */
    public static BlockWriter create(Path dataDir, long minTime, long maxTime) throws IOException {
        Ulid u = Ulid.generate();
        return create(dataDir, u, minTime, maxTime, BlockMeta.Compaction.level1(u), ChunkFormat.DEFAULT_SEGMENT_SIZE);
    }

    /**
     * A block with the given identity and compaction history covering {@code [minTime, maxTime)}, chunk files cut
     * at {@code segmentSize} bytes.
     */
    public static BlockWriter create(Path dataDir, Ulid ulid, long minTime, long maxTime, BlockMeta.Compaction compaction,
                                     long segmentSize) throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(ulid, "ulid");
        Objects.requireNonNull(compaction, "compaction");
        if (minTime >= maxTime) throw new IllegalArgumentException("block range [" + minTime + ", " + maxTime + ") is empty");
        return new BlockWriter(dataDir, ulid, minTime, maxTime, compaction, segmentSize);
    }

    public Ulid ulid() {
        return ulid;
    }

    /** Adds symbols (label names and values); only before the first series. */
    public void addSymbols(Iterable<String> syms) {
        if (symbols == null) throw new IllegalStateException("symbols must be added before the first series");
        for (String s : syms) symbols.add(Objects.requireNonNull(s, "symbol"));
    }

    /** Adds every name and value of {@code labels} as symbols. */
    public void addSymbols(Labels labels) {
        if (symbols == null) throw new IllegalStateException("symbols must be added before the first series");
        for (int i = 0; i < labels.size(); i++) {
            symbols.add(labels.name(i));
            symbols.add(labels.value(i));
        }
    }

    /**
     * Writes a series' chunks and its index entry. Labels must sort strictly after the previous series'; chunks
     * must lie within the block's range and be in time order.
     */
    public void addSeries(Labels labels, List<ChunkData> chks) throws IOException {
        checkOpen();
        if (last != null && labels.compareTo(last) <= 0) {
            throw new IllegalArgumentException("series " + labels + " is not after " + last);
        }
        if (chks.isEmpty()) return;
        if (labels.isEmpty()) throw new IllegalArgumentException("a series needs at least one label");
        if (symbols != null) {
            for (String s : symbols) index.addSymbol(s);
            symbols = null;
        }
        long prevMin = Long.MIN_VALUE;
        for (ChunkData c : chks) {
            if (c.minTime() < minTime || c.maxTime() >= maxTime) {
                throw new IllegalArgumentException("chunk [" + c.minTime() + ", " + c.maxTime() + "] of " + labels
                        + " outside block range [" + minTime + ", " + maxTime + ")");
            }
            if (c.minTime() < prevMin) throw new IllegalArgumentException("chunks of " + labels + " not in time order");
            prevMin = c.minTime();
        }
        numMetas = 0;
        for (ChunkData c : chks) addChunk(c.minTime(), c.maxTime(), ByteBuffer.wrap(c.bytes()));
        finishSeries(labels);
    }

    /** Writes one XOR chunk of the series being written. */
    private void addChunk(long cmin, long cmax, ByteBuffer data) throws IOException {
        numSamples += Short.toUnsignedInt(data.getShort(data.position())); // the chunk header's sample count
        long ref = chunks.write(XorChunk.ENCODING, data);
        if (3 * numMetas + 3 > metas.length) metas = Arrays.copyOf(metas, 2 * metas.length);
        metas[3 * numMetas] = cmin;
        metas[3 * numMetas + 1] = cmax;
        metas[3 * numMetas + 2] = ref;
        numMetas++;
        numChunks++;
    }

    /** Writes the index entry of the series whose chunks were just added. */
    private void finishSeries(Labels labels) throws IOException {
        index.addSeries(labels.toPairs(), metas, numMetas);
        numSeries++;
        last = labels;
    }

    /** Stats of what was added so far. */
    public BlockMeta.Stats stats() {
        return new BlockMeta.Stats(numSamples, numSeries, numChunks, 0);
    }

    /**
     * Finishes the index and chunk files, writes an empty tombstones file and meta.json, fsyncs, and renames the
     * directory to its ULID. Returns the block's meta.
     */
    public BlockMeta commit() throws IOException {
        checkOpen();
        if (symbols != null) {
            for (String s : symbols) index.addSymbol(s);
            symbols = null;
        }
        chunks.finish();
        index.finish();
        index.close();
        new Tombstones().write(tmpDir);
        BlockMeta meta = new BlockMeta(ulid, minTime, maxTime, stats(), compaction, BlockMeta.VERSION_1);
        meta.write(tmpDir);
        FileUtil.fsyncDir(tmpDir);
        Path dst = dataDir.resolve(ulid.toString());
        Files.move(tmpDir, dst, StandardCopyOption.ATOMIC_MOVE);
        FileUtil.fsyncDir(dataDir);
        committed = true;
        close();
        return meta;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("block writer for " + ulid + " is closed");
    }

    /** Releases files; without a successful {@link #commit()} deletes the temporary directory. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            chunks.close();
            index.close();
        } finally {
            if (!committed) FileUtil.deleteRecursively(tmpDir);
        }
    }

    // ---- conveniences ---------------------------------------------------------------------------------------

    /**
     * Writes a level-1 block of {@code series} (sorted by labels, strictly) covering {@code [minTime, maxTime)}.
     */
    public static BlockMeta write(Path dataDir, long minTime, long maxTime, List<SeriesData> series) throws IOException {
        try (BlockWriter w = create(dataDir, minTime, maxTime)) {
            for (SeriesData s : series) w.addSymbols(s.labels());
            for (SeriesData s : series) w.addSeries(s.labels(), s.chunks());
            return w.commit();
        }
    }

    /**
     * Persists the head's samples with times in {@code [mint, maxtExclusive)} as a level-1 block covering exactly
     * that range (Prometheus's head compaction: {@code mint} = head min time, {@code maxtExclusive} = the next
     * chunk-range boundary). Every series is included, with or without a metric name. Head chunks that cross the
     * range's edges are re-encoded with only the samples inside it; others are copied as they are.
     *
     * <p>Streams, as Prometheus does: the head's symbols first, then series in label order, each series' chunks
     * written as it is visited, straight from where the head keeps them. Memory beyond the writer's own (symbols,
     * postings) is a snapshot per series ({@link Head#contents()}), independent of the number of samples. Reads
     * that consistent snapshot; appends may continue meanwhile. Does not truncate the head: after this returns,
     * the caller calls {@code head.truncateBefore(maxtExclusive)} (and {@code head.setMinValidTime(maxtExclusive)})
     * once the block is opened and visible to queriers.
     *
     * @return the new block's meta, or empty if no sample lies in the range (no block is written, as Prometheus)
     */
    public static Optional<BlockMeta> writeFromHead(Path dataDir, Head head, long mint, long maxtExclusive)
            throws IOException {
        if (mint >= maxtExclusive) throw new IllegalArgumentException("range [" + mint + ", " + maxtExclusive + ") is empty");
        Head.Contents contents = head.contents();
        try (BlockWriter w = create(dataDir, mint, maxtExclusive)) {
            w.writeSortedSymbols(contents.symbols());
            XorChunk.Iterator it = new XorChunk.Iterator();
            for (SeriesSnapshot s : contents.series()) w.addHeadSeries(s, it);
            // Closing without a commit removes the temporary directory.
            return w.numSeries == 0 ? Optional.empty() : Optional.of(w.commit());
        }
    }

    /** Writes the symbols as they come (sorted and distinct, as from the head) instead of collecting them. */
    private void writeSortedSymbols(List<String> sorted) throws IOException {
        if (sorted.isEmpty() || !sorted.get(0).isEmpty()) index.addSymbol("");
        for (String s : sorted) index.addSymbol(s);
        symbols = null;
    }

    /** Writes the chunks of a head series that lie in the block's range, and its index entry if there are any. */
    private void addHeadSeries(SeriesSnapshot s, XorChunk.Iterator it) throws IOException {
        numMetas = 0;
        for (int i = 0; i < s.numChunks(); i++) {
            long cmin = s.chunkMinTime(i);
            long cmax = s.chunkMaxTime(i);
            if (cmax < minTime || cmin >= maxTime) continue;
            if (cmin >= minTime && cmax < maxTime) {
                addChunk(cmin, cmax, s.chunkData(i));
                continue;
            }
            XorChunk c = new XorChunk();
            long first = 0;
            it.reset(s.chunkBytes(i), 0, s.chunkSamples(i));
            while (it.next()) {
                long t = it.t();
                if (t >= maxTime) break;
                if (t < minTime) continue;
                if (c.numSamples() == 0) first = t;
                c.append(t, it.v());
            }
            if (c.numSamples() > 0) addChunk(first, c.lastTime(), ByteBuffer.wrap(c.array(), 0, c.size()));
        }
        if (numMetas > 0) finishSeries(s.labels());
    }
}
