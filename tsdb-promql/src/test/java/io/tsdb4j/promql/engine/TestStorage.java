package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;

import java.util.List;
import java.util.Map;

/**
 * Storage the PromQL test-file harness loads data into and queries. One {@link #load} call per {@code load}
 * block, so an implementation over a real database can append the block through one appender and commit once.
 */
interface TestStorage extends Queryable, AutoCloseable {
    /** Appends a load block: per series, samples as {@code {timestampMillis, value}} pairs in time order. */
    void load(Map<Labels, List<double[]>> block);

    @Override
    void close();
}
