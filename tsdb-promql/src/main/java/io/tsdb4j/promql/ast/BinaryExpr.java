package io.tsdb4j.promql.ast;

import java.util.Objects;

/**
 * {@code lhs op rhs}. {@code matching} is non-null exactly when both sides are instant vectors (as after
 * Prometheus's type check); {@code returnBool} is the {@code bool} modifier of comparisons.
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
        PositionRange pos) implements Expr {
    public BinaryExpr {
        Objects.requireNonNull(op);
        Objects.requireNonNull(lhs);
        Objects.requireNonNull(rhs);
        Objects.requireNonNull(pos);
    }

    public BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) {
        this(op, lhs, rhs, matching, returnBool, lhs.pos().span(rhs.pos()));
    }

    /** Scalar only when both sides are scalars. */
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryExpr b && op == b.op && lhs.equals(b.lhs) && rhs.equals(b.rhs)
                && Objects.equals(matching, b.matching) && returnBool == b.returnBool;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, lhs, rhs, matching, returnBool);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
