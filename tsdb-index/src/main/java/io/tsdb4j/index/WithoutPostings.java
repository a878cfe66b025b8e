package io.tsdb4j.index;

/** {@code full} minus {@code drop}: each candidate of {@code full} makes {@code drop} seek to it. */
final class WithoutPostings implements Postings {
    private final Postings full;
    private final Postings drop;
    private boolean dropDone;
    private boolean positioned;
    private boolean done;
    private long cur;

    WithoutPostings(Postings full, Postings drop) {
        this.full = full;
        this.drop = drop;
    }

    @Override
    public boolean next() {
        if (done) return false;
        if (!full.next()) return finish();
        return skipDropped();
    }

    @Override
    public boolean seek(long v) {
        if (done) return false;
        if (positioned && cur >= v) return true;
        if (!full.seek(v)) return finish();
        return skipDropped();
    }

    /** From {@code full}'s current reference on, finds the first one {@code drop} does not hold. */
    private boolean skipDropped() {
        for (;;) {
            long x = full.at();
            if (!dropDone) {
                if (!drop.seek(x)) {
                    dropDone = true;
                } else if (drop.at() == x) {
                    if (!full.next()) return finish();
                    continue;
                }
            }
            cur = x;
            positioned = true;
            return true;
        }
    }

    private boolean finish() {
        done = true;
        positioned = false;
        return false;
    }

    @Override
    public long at() {
        return cur;
    }

    @Override
    public long cost() {
        return full.cost();
    }
}
