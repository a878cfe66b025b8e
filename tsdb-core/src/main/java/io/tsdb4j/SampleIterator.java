package io.tsdb4j;

/**
 * Iterates the samples of one series in increasing time order. Primitive accessors, no boxing: after
 * {@link #next()} or {@link #seek(long)} returned true, {@link #t()} and {@link #v()} describe the current sample.
 */
public interface SampleIterator {
    /** Advances to the next sample; false when exhausted. */
    boolean next();

    /**
     * Advances to the first sample with timestamp {@code >= t}; if the current sample already qualifies it stays.
     * Returns false when no such sample exists.
     */
    boolean seek(long t);

    long t();

    double v();

    SampleIterator EMPTY = new SampleIterator() {
        @Override public boolean next() { return false; }
        @Override public boolean seek(long t) { return false; }
        @Override public long t() { throw new IllegalStateException("empty iterator"); }
        @Override public double v() { throw new IllegalStateException("empty iterator"); }
    };
}
