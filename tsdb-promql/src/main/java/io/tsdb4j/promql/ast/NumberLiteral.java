package io.tsdb4j.promql.ast;

/** A float literal. A sign written before a literal is folded into it, as Prometheus does ({@code -1}). */
public record NumberLiteral(double value, PositionRange pos) implements Expr {
    public NumberLiteral(double value) {
        this(value, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    /** Bitwise-canonical comparison: NaN equals NaN, 0.0 differs from -0.0. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NumberLiteral n && Double.compare(value, n.value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
