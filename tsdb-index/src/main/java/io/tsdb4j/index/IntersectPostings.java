package io.tsdb4j.index;

/**
 * Conjunction of two or more lists. The cheapest list (by {@link Postings#cost()} at construction) leads: it
 * proposes a candidate, every other list seeks to it; a list that overshoots makes the lead seek to the overshoot
 * and the round restarts. Nothing is allocated after construction.
 */
final class IntersectPostings implements Postings {
    private final Postings lead;
    private final Postings[] others;
    private final long cost;
    private long cur;
    private boolean positioned;
    private boolean done;

    IntersectPostings(Postings[] lists) {
        // Insertion sort by cost: lists are few, and this avoids a comparator.
        for (int i = 1; i < lists.length; i++) {
            Postings p = lists[i];
            long c = p.cost();
            int j = i - 1;
            while (j >= 0 && lists[j].cost() > c) {
                lists[j + 1] = lists[j];
                j--;
            }
            lists[j + 1] = p;
        }
        this.lead = lists[0];
        this.others = new Postings[lists.length - 1];
        System.arraycopy(lists, 1, others, 0, others.length);
        this.cost = lead.cost();
    }

    @Override
    public boolean next() {
        if (done) return false;
        if (!lead.next()) return finish();
        return align(lead.at());
    }

    @Override
    public boolean seek(long v) {
        if (done) return false;
        if (positioned && cur >= v) return true;
        if (!lead.seek(v)) return finish();
        return align(lead.at());
    }

    /** Moves every list to the first common reference {@code >= target}, where the lead is positioned. */
    private boolean align(long target) {
        final Postings lead = this.lead;
        final Postings[] others = this.others;
        outer:
        for (;;) {
            for (Postings p : others) {
                if (!p.seek(target)) return finish();
                long a = p.at();
                if (a > target) {
                    if (!lead.seek(a)) return finish();
                    target = lead.at();
                    continue outer;
                }
            }
            cur = target;
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
        return cost;
    }
}
