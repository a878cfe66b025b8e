package io.tsdb4j.index;

/** {@link Postings} over {@code long[0, len)}; see {@link IntArrayPostings} for the search. */
final class LongArrayPostings implements Postings {
    private final long[] a;
    private final int len;
    /** -1 before the start, {@code len} when exhausted. */
    private int pos = -1;

    LongArrayPostings(long[] a, int len) {
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
        final long[] a = this.a;
        final int len = this.len;
        int p = pos;
        if (p >= len) return false;
        if (p >= 0 && a[p] >= v) return true;
        int lo = p + 1; // every index below lo holds a value < v (or is the unpositioned -1)
        if (lo >= len) {
            pos = len;
            return false;
        }
        if (a[lo] >= v) {
            pos = lo;
            return true;
        }
        // Gallop: a[lo] < v; double the step until a[hi] >= v or the end, then binary-search (lo, hi].
        int step = 1;
        int hi = lo + 1;
        while (hi < len && a[hi] < v) {
            lo = hi;
            step <<= 1;
            hi = (int) Math.min((long) lo + step, len);
        }
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) lo = mid;
            else hi = mid;
        }
        pos = hi;
        return hi < len;
    }

    @Override
    public long at() {
        return a[pos];
    }

    @Override
    public long cost() {
        return pos < 0 ? len : len - pos;
    }
}
