package io.tsdb4j.promql.ast;

/**
 * A PromQL expression node. Implementations are immutable records whose {@code equals}/{@code hashCode} ignore
 * {@link #pos()}; {@code toString()} prints PromQL text that parses back to an equal tree (see {@link Printer}).
 */
public sealed interface Expr permits NumberLiteral, StringLiteral, ParenExpr, UnaryExpr, VectorSelector,
        MatrixSelector, SubqueryExpr, BinaryExpr, AggregateExpr, Call {

    /** The type this expression evaluates to. */
    ValueType type();

    /** Where in the query text the node came from ({@link PositionRange#NONE} if synthesized). */
    PositionRange pos();
}
