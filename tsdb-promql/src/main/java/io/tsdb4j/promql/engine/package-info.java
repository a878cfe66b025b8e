/**
 * The PromQL evaluation engine: {@link io.tsdb4j.promql.engine.Engine} evaluates parsed queries over a
 * {@link io.tsdb4j.promql.engine.Queryable} with Prometheus 2.42 semantics for float samples (5m lookback,
 * staleness markers, extrapolated {@code rate}/{@code increase}/{@code delta}, vector matching, {@code @} and
 * negative offsets, subqueries, step-invariant sub-expressions evaluated once). Errors are
 * {@link io.tsdb4j.promql.engine.PromQLException}s carrying Prometheus's error types.
 */
package io.tsdb4j.promql.engine;
