/**
 * The PromQL abstract syntax tree, mirroring Prometheus 2.42's {@code promql/parser/ast.go} node for node so that
 * evaluation semantics map one to one. All nodes are immutable records and thread-safe. {@code equals} and
 * {@code hashCode} are value-based and ignore source positions, so a tree printed with {@link
 * io.tsdb4j.promql.ast.Expr#toString()} and parsed again is equal to the original.
 */
package io.tsdb4j.promql.ast;
