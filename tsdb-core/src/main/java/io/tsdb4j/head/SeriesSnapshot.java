package io.tsdb4j.head;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.labels.Labels;

import java.nio.ByteBuffer;

/**
 * An immutable view of a head series' committed samples at one moment. It shares chunk arrays with the live
 * series: those are only appended past the captured counts, never changed below them.
 */
public final class SeriesSnapshot {
    final long ref;
    final Labels labels;
    private final ChunkStore.View view;
    private final long[] chunks;
    private final long[] mints;
    private final long[] maxts;
    private final int nChunks;
    private final byte[] head;
    private final int headCount;
    private final long headMinT;
    private final long maxT;

    SeriesSnapshot(long ref, Labels labels, ChunkStore.View view, long[] chunks, long[] mints, long[] maxts, int nChunks,
                   byte[] head, int headCount, long headMinT, long maxT) {
        this.ref = ref;
        this.labels = labels;
        this.view = view;
        this.chunks = chunks;
        this.mints = mints;
        this.maxts = maxts;
        this.nChunks = nChunks;
        this.head = head;
        this.headCount = headCount;
        this.headMinT = headMinT;
        this.maxT = maxT;
    }

    public long ref() {
        return ref;
    }

    public Labels labels() {
        return labels;
    }

    public int numChunks() {
        return nChunks + (head != null && headCount > 0 ? 1 : 0);
    }

    public long chunkMinTime(int i) {
        return i < nChunks ? mints[i] : headMinT;
    }

    public long chunkMaxTime(int i) {
        return i < nChunks ? maxts[i] : maxT;
    }

    /** Chunk bytes; for the open chunk the array may be longer than the chunk and the header count ahead of it. */
    public byte[] chunkBytes(int i) {
        return i < nChunks ? view.get(chunks[i]) : head;
    }

    /** Samples in chunk i (for the open chunk, as of the snapshot). */
    public int chunkSamples(int i) {
        return i < nChunks ? Short.toUnsignedInt(view.buffer(chunks[i]).getShort(0)) : headCount;
    }

    /**
     * Chunk i as written to blocks: exactly its bytes, the header's count equal to its samples. The caller must not
     * modify them. A finished chunk is not copied (it is read where it lives: a heap array or the mapped head chunk
     * file); the open chunk is re-encoded from the samples the snapshot saw, as appends keep changing its array.
     */
    public ByteBuffer chunkData(int i) {
        if (i < nChunks) return view.buffer(chunks[i]);
        XorChunk c = new XorChunk(head.length);
        XorChunk.Iterator it = XorChunk.iterator(head, headCount);
        while (it.next()) c.append(it.t(), it.v());
        return ByteBuffer.wrap(c.array(), 0, c.size());
    }

    public boolean overlaps(long mint, long maxt) {
        int n = numChunks();
        return n > 0 && chunkMinTime(0) <= maxt && chunkMaxTime(n - 1) >= mint;
    }

    /** Samples in {@code [mint, maxt]}. */
    public SampleIterator iterator(long mint, long maxt) {
        return new Iter(mint, maxt);
    }

    private final class Iter implements SampleIterator {
        private final long mint, maxt;
        private final XorChunk.Iterator it = new XorChunk.Iterator();
        private int chunk = -1;
        private boolean done;

        Iter(long mint, long maxt) {
            this.mint = mint;
            this.maxt = maxt;
        }

        private boolean nextChunk(long from) {
            int n = numChunks();
            while (++chunk < n) {
                if (chunkMaxTime(chunk) < from) continue;
                if (chunkMinTime(chunk) > maxt) break;
                it.reset(chunkBytes(chunk), 0, chunk < nChunks ? Integer.MAX_VALUE : headCount);
                return true;
            }
            done = true;
            return false;
        }

        @Override
        public boolean next() {
            if (done) return false;
            if (chunk < 0 && !nextChunk(mint)) return false;
            while (true) {
                if (it.next()) {
                    long t = it.t();
                    if (t < mint) continue;
                    if (t > maxt) {
                        done = true;
                        return false;
                    }
                    return true;
                }
                if (!nextChunk(mint)) return false;
            }
        }

        @Override
        public boolean seek(long t) {
            if (done) return false;
            long target = Math.max(t, mint);
            if (chunk >= 0 && it.t() >= target && chunk < numChunks()) {
                // Positioned on a sample already at or past the target.
                if (it.t() > maxt) {
                    done = true;
                    return false;
                }
                return true;
            }
            if (chunk < 0 || chunkMaxTime(chunk) < target) {
                if (!nextChunk(target)) return false;
            }
            while (true) {
                if (it.seek(target)) {
                    if (it.t() > maxt) {
                        done = true;
                        return false;
                    }
                    return true;
                }
                if (!nextChunk(target)) return false;
            }
        }

        @Override
        public long t() {
            return it.t();
        }

        @Override
        public double v() {
            return it.v();
        }
    }
}
