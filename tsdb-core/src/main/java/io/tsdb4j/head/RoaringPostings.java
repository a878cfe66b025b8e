package io.tsdb4j.head;

import io.tsdb4j.index.Postings;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * {@link Postings} over a RoaringBitmap (refs read as unsigned 32-bit), seeking with Roaring's
 * {@code advanceIfNeeded}. The bitmap must not change while the postings are iterated.
 */
public final class RoaringPostings implements Postings {
    private final PeekableIntIterator it;
    private final long cost;
    private long cur = -1;

    public RoaringPostings(RoaringBitmap bm) {
        this.it = bm.getIntIterator();
        this.cost = bm.getLongCardinality();
    }

    @Override
    public boolean next() {
        if (!it.hasNext()) return false;
        cur = it.next() & 0xFFFFFFFFL;
        return true;
    }

    @Override
    public boolean seek(long v) {
        if (cur >= v) return true;
        if (v > 0xFFFFFFFFL) return false;
        it.advanceIfNeeded((int) v);
        return next();
    }

    @Override
    public long at() {
        return cur;
    }

    @Override
    public long cost() {
        return cost;
    }
}
