package io.tsdb4j.promql.ast;

import java.util.Objects;

/**
 * A range vector selector {@code vs[range]}. Offset and {@code @} of the whole selector live in {@link #vs()}, as
 * in Prometheus ({@code foo[5m] offset 1h} has {@code vs().originalOffsetMillis() == 3600000}).
 */
public record MatrixSelector(VectorSelector vs, long rangeMillis, PositionRange pos) implements Expr {
    public MatrixSelector {
        Objects.requireNonNull(vs);
        Objects.requireNonNull(pos);
    }

    public MatrixSelector(VectorSelector vs, long rangeMillis) {
        this(vs, rangeMillis, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatrixSelector m && vs.equals(m.vs) && rangeMillis == m.rangeMillis;
    }

    @Override
    public int hashCode() {
        return 31 * vs.hashCode() + Long.hashCode(rangeMillis);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
