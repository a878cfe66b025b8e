/**
 * The PromQL parser: {@link io.tsdb4j.promql.parser.PromQLParser} turns query text into the
 * {@link io.tsdb4j.promql.ast} tree with Prometheus 2.42's grammar, type checks and error messages.
 */
package io.tsdb4j.promql.parser;
