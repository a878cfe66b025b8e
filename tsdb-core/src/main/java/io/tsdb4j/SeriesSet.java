package io.tsdb4j;

/** Series of a {@link Querier#select} result, sorted by labels. {@code while (set.next()) use(set.at());} */
public interface SeriesSet {
    boolean next();

    Series at();

    SeriesSet EMPTY = new SeriesSet() {
        @Override public boolean next() { return false; }
        @Override public Series at() { throw new IllegalStateException("empty series set"); }
    };
}
