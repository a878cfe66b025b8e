package io.tsdb4j.promql.ast;

import java.util.Objects;

/** {@code -expr} or {@code +expr} on a non-literal operand (signs on number literals are folded). */
public record UnaryExpr(UnaryOp op, Expr expr, PositionRange pos) implements Expr {
    public UnaryExpr {
        Objects.requireNonNull(op);
        Objects.requireNonNull(expr);
    }

    public UnaryExpr(UnaryOp op, Expr expr) {
        this(op, expr, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnaryExpr u && op == u.op && expr.equals(u.expr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, expr);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
