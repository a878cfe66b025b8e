package io.tsdb4j.query;

import io.tsdb4j.index.Postings;

import java.util.List;

/** What {@link PostingsForMatchers} needs of an index: the head's and a block's both provide it. */
public interface LabelIndex {
    /** Every series. */
    Postings allPostings();

    /** Series with label {@code name="value"}; {@link Postings#EMPTY} if none. */
    Postings postings(String name, String value);

    /** Sorted values of a label name (UTF-8 byte order). */
    List<String> labelValues(String name);
}
