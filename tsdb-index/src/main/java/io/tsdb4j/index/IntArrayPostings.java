package io.tsdb4j.index;

/**
 * {@link Postings} over {@code int[0, len)} read as unsigned 32-bit references. Seeks start at the current
 * position, gallop (1, 2, 4, ... steps) to bracket the target, then binary-search the bracket: O(log d) for a jump
 * of d entries, so short hops in a zigzag stay cheap.
 */
final class IntArrayPostings implements Postings {
    private final int[] a;
    private final int len;
    /** -1 before the start, {@code len} when exhausted. */
    private int pos = -1;

    IntArrayPostings(int[] a, int len) {
        this.a = a;
        this.len = len;
    }

    @Override
    public boolean next() {
        if (pos >= len) return false;
        return ++pos < len;
    }

    @Override
    public boolean seek(long v) {
        final int[] a = this.a;
        final int len = this.len;
        int p = pos;
        if (p >= len) return false;
        if (p >= 0 && Integer.toUnsignedLong(a[p]) >= v) return true;
        int lo = p + 1;
        if (lo >= len) {
            pos = len;
            return false;
        }
        if (Integer.toUnsignedLong(a[lo]) >= v) {
            pos = lo;
            return true;
        }
        int step = 1;
        int hi = lo + 1;
        while (hi < len && Integer.toUnsignedLong(a[hi]) < v) {
            lo = hi;
            step <<= 1;
            hi = (int) Math.min((long) lo + step, len);
        }
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.toUnsignedLong(a[mid]) < v) lo = mid;
            else hi = mid;
        }
        pos = hi;
        return hi < len;
    }

    @Override
    public long at() {
        return Integer.toUnsignedLong(a[pos]);
    }

    @Override
    public long cost() {
        return pos < 0 ? len : len - pos;
    }
}
