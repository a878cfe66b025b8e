package io.tsdb4j;

import io.tsdb4j.labels.Labels;

/** One series of a query result: its labels and a way to iterate its samples within the querier's range. */
public interface Series {
    Labels labels();

    /** A fresh iterator each call. */
    SampleIterator iterator();
}
