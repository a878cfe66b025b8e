package io.tsdb4j.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * {@code op by|without (grouping) ([param,] expr)}.
 *
 * @param param the parameter of {@code topk}, {@code bottomk}, {@code quantile}, {@code count_values}; else null
 * @param grouping the labels of {@code by}/{@code without}, in source order
 * @param without true for {@code without}, false for {@code by} or no clause
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without,
        PositionRange pos) implements Expr {
    public AggregateExpr {
        Objects.requireNonNull(op);
        Objects.requireNonNull(expr);
        grouping = List.copyOf(grouping);
        Objects.requireNonNull(pos);
    }

    public AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without) {
        this(op, expr, param, grouping, without, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AggregateExpr a && op == a.op && expr.equals(a.expr) && Objects.equals(param, a.param)
                && grouping.equals(a.grouping) && without == a.without;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, expr, param, grouping, without);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
