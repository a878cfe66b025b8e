/** PromQL result values: {@link io.tsdb4j.promql.value.Scalar}, {@link io.tsdb4j.promql.value.StringValue},
 * {@link io.tsdb4j.promql.value.Vector} and {@link io.tsdb4j.promql.value.Matrix}. All immutable, thread-safe. */
package io.tsdb4j.promql.value;
