package io.tsdb4j.promql.ast;

import java.util.Objects;

/** A parenthesized expression; kept in the tree as Prometheus does. */
public record ParenExpr(Expr expr, PositionRange pos) implements Expr {
    public ParenExpr {
        Objects.requireNonNull(expr);
    }

    public ParenExpr(Expr expr) {
        this(expr, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParenExpr p && expr.equals(p.expr);
    }

    @Override
    public int hashCode() {
        return 31 * expr.hashCode() + 1;
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
