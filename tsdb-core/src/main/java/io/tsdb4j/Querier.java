package io.tsdb4j;

import io.tsdb4j.labels.Matcher;

import java.util.List;

/**
 * A read view of the database over the closed time range {@code [minT, maxT]} fixed at creation. It sees every
 * batch committed before it was created and, consistently, nothing committed later. Blocks it reads stay
 * readable until {@link #close()}. Thread-safe; results are independent of each other.
 */
public interface Querier extends AutoCloseable {
    long minTime();

    long maxTime();

    /**
     * Series matching all matchers (at least one matcher must not match the empty string, as in Prometheus),
     * sorted by labels, with their samples inside the querier's range. Series with no sample in range are left out.
     */
    SeriesSet select(Matcher... matchers);

    /** Sorted label names of series matching the matchers (of all series in range if none are given). */
    List<String> labelNames(Matcher... matchers);

    /** Sorted values of label {@code name} among series matching the matchers. */
    List<String> labelValues(String name, Matcher... matchers);

    @Override
    void close();
}
