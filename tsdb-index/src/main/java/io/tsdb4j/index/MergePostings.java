package io.tsdb4j.index;

/**
 * Union of two or more lists through a binary min-heap keyed by each list's current reference. Lists enter the
 * heap lazily on the first {@code next}/{@code seek}, so a first {@code seek} does not read every list's head
 * twice. Duplicates are skipped by advancing every list positioned on the current reference. Nothing is allocated
 * after construction.
 */
final class MergePostings implements Postings {
    private final Postings[] lists;
    private final Postings[] heap;
    private final long cost;
    private int size;
    private boolean started;
    private boolean positioned;
    private boolean done;
    private long cur;

    MergePostings(Postings[] lists) {
        this.lists = lists;
        this.heap = new Postings[lists.length];
        long c = 0;
        for (Postings p : lists) {
            long pc = p.cost();
            c = (pc == Long.MAX_VALUE || c + pc < 0) ? Long.MAX_VALUE : c + pc;
            if (c == Long.MAX_VALUE) break;
        }
        this.cost = c;
    }

    @Override
    public boolean next() {
        if (done) return false;
        if (!started) {
            started = true;
            for (Postings p : lists) {
                if (p.next()) heap[size++] = p;
            }
            heapify();
        } else {
            final long c = cur;
            while (size > 0 && heap[0].at() == c) {
                if (heap[0].next()) siftDown(0);
                else removeTop();
            }
        }
        return settle();
    }

    @Override
    public boolean seek(long v) {
        if (done) return false;
        if (positioned && cur >= v) return true;
        if (!started) {
            started = true;
            for (Postings p : lists) {
                if (p.seek(v)) heap[size++] = p;
            }
            heapify();
        } else {
            while (size > 0 && heap[0].at() < v) {
                if (heap[0].seek(v)) siftDown(0);
                else removeTop();
            }
        }
        return settle();
    }

    private boolean settle() {
        if (size == 0) {
            done = true;
            positioned = false;
            return false;
        }
        cur = heap[0].at();
        positioned = true;
        return true;
    }

    private void heapify() {
        for (int i = (size >>> 1) - 1; i >= 0; i--) siftDown(i);
    }

    private void removeTop() {
        size--;
        heap[0] = heap[size];
        heap[size] = null;
        if (size > 0) siftDown(0);
    }

    private void siftDown(int i) {
        final Postings[] h = heap;
        final int n = size;
        Postings x = h[i];
        long xv = x.at();
        for (;;) {
            int l = 2 * i + 1;
            if (l >= n) break;
            int r = l + 1;
            int m = l;
            long mv = h[l].at();
            if (r < n) {
                long rv = h[r].at();
                if (rv < mv) {
                    m = r;
                    mv = rv;
                }
            }
            if (mv >= xv) break;
            h[i] = h[m];
            i = m;
        }
        h[i] = x;
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
