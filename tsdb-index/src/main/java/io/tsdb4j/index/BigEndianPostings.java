package io.tsdb4j.index;

import java.nio.ByteBuffer;

/**
 * {@link Postings} over {@code count} BE32 series ids (unsigned) in a buffer, typically a postings list of a
 * memory-mapped index; decoded lazily, one absolute read per step. Seeks gallop then binary-search, like
 * {@link IntArrayPostings}. The list's checksum is verified before one of these is made.
 */
final class BigEndianPostings implements Postings {
    private final ByteBuffer buf;
    private final int base;
    private final int len;
    private int pos = -1;

    BigEndianPostings(ByteBuffer buf, int base, int count) {
        this.buf = buf;
        this.base = base;
        this.len = count;
    }

    private long val(int i) {
        return Integer.toUnsignedLong(buf.getInt(base + (i << 2)));
    }

    @Override
    public boolean next() {
        if (pos >= len) return false;
        return ++pos < len;
    }

    @Override
    public boolean seek(long v) {
        final int len = this.len;
        int p = pos;
        if (p >= len) return false;
        if (p >= 0 && val(p) >= v) return true;
        int lo = p + 1;
        if (lo >= len) {
            pos = len;
            return false;
        }
        if (val(lo) >= v) {
            pos = lo;
            return true;
        }
        int step = 1;
        int hi = lo + 1;
        while (hi < len && val(hi) < v) {
            lo = hi;
            step <<= 1;
            hi = (int) Math.min((long) lo + step, len);
        }
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            if (val(mid) < v) lo = mid;
            else hi = mid;
        }
        pos = hi;
        return hi < len;
    }

    @Override
    public long at() {
        return val(pos);
    }

    @Override
    public long cost() {
        return pos < 0 ? len : len - pos;
    }
}
