package io.tsdb4j.index;

/** The {@link Postings#EMPTY} singleton. Stateless, so shared and thread-safe. */
final class EmptyPostings implements Postings {
    static final EmptyPostings INSTANCE = new EmptyPostings();

    private EmptyPostings() {}

    @Override
    public boolean next() {
        return false;
    }

    @Override
    public boolean seek(long v) {
        return false;
    }

    @Override
    public long at() {
        throw new IllegalStateException("at() on the empty postings");
    }

    @Override
    public long cost() {
        return 0;
    }

    @Override
    public String toString() {
        return "Postings.EMPTY";
    }
}
