package io.tsdb4j.promql.engine;

import io.tsdb4j.Querier;

/** Where the engine reads series from: opens a {@link Querier} over the closed range {@code [minT, maxT]}. */
@FunctionalInterface
public interface Queryable {
    /** The engine closes the returned querier when the query finishes. */
    Querier querier(long minT, long maxT);
}
