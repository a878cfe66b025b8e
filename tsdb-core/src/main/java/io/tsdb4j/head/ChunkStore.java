package io.tsdb4j.head;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the head keeps finished chunks: on the heap, or in memory-mapped {@code chunks_head/} files (Prometheus's
 * head-chunk format) so that only a reference per chunk stays on the heap. Writes happen under the head's commit
 * lock; reads go through a {@link View} captured with a snapshot, which stays readable even after the store
 * drops old files.
 */
interface ChunkStore extends Closeable {
    /** Stores a finished chunk of a series, {@code chunk[0, len)}; returns its reference. The array is not kept. */
    long put(long seriesRef, long mint, long maxt, byte[] chunk, int len) throws IOException;

    /** The chunks of series truncated before {@code mint} are no longer needed. */
    void truncateBefore(long mint) throws IOException;

    /** A consistent view for readers, to be captured while the head is held for reading. */
    View view();

    /** Bytes of stored chunks kept on the heap (0 when mapped). */
    long heapBytes();

    /** Reads chunks; safe to use from any thread. */
    interface View {
        /** The chunk's bytes (a copy, or a shared array that is never modified). */
        byte[] get(long ref);

        /**
         * The chunk's bytes where they live (a shared heap array or a slice of a mapped file), copied only if not
         * yet in the file; the caller must not modify them. For writing chunks out without a copy per chunk.
         */
        ByteBuffer buffer(long ref);
    }

    @Override
    void close() throws IOException;

    /** Chunks held as arrays on the heap; reference = index. */
    final class Heap implements ChunkStore, View {
        private static final int PAGE = 1 << 14;
        private volatile byte[][][] pages = new byte[16][][];
        private final java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        private long[] pageMaxT = new long[16];

        @Override
        public synchronized long put(long seriesRef, long mint, long maxt, byte[] data, int len) {
            byte[] chunk = data.length == len ? data : java.util.Arrays.copyOf(data, len);
            long ref = next.getAndIncrement();
            int p = (int) (ref / PAGE);
            byte[][][] ps = pages;
            if (p >= ps.length) {
                ps = java.util.Arrays.copyOf(ps, ps.length * 2);
                pageMaxT = java.util.Arrays.copyOf(pageMaxT, ps.length);
            }
            if (ps[p] == null) ps[p] = new byte[PAGE][];
            ps[p][(int) (ref % PAGE)] = chunk;
            pageMaxT[p] = Math.max(pageMaxT[p], maxt);
            pages = ps;
            bytes.addAndGet(chunk.length);
            return ref;
        }

        @Override
        public synchronized void truncateBefore(long mint) {
            // Drop whole pages whose chunks all end before mint (never the page being filled).
            long cur = next.get() / PAGE;
            byte[][][] ps = pages.clone();
            for (int p = 0; p < cur && p < ps.length; p++) {
                if (ps[p] != null && pageMaxT[p] < mint) {
                    for (byte[] c : ps[p]) if (c != null) bytes.addAndGet(-c.length);
                    ps[p] = null;
                }
            }
            pages = ps;
        }

        @Override
        public View view() {
            byte[][][] ps = pages;
            return new View() {
                @Override
                public byte[] get(long ref) {
                    return ps[(int) (ref / PAGE)][(int) (ref % PAGE)];
                }

                @Override
                public ByteBuffer buffer(long ref) {
                    return ByteBuffer.wrap(get(ref));
                }
            };
        }

        @Override
        public byte[] get(long ref) {
            return view().get(ref);
        }

        @Override
        public ByteBuffer buffer(long ref) {
            return view().buffer(ref);
        }

        @Override
        public long heapBytes() {
            return bytes.get();
        }

        @Override
        public void close() {
        }
    }
}
