package io.tsdb4j.promql.ast;

import java.util.Objects;

/** A string literal, already unescaped. */
public record StringLiteral(String value, PositionRange pos) implements Expr {
    public StringLiteral {
        Objects.requireNonNull(value);
    }

    public StringLiteral(String value) {
        this(value, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringLiteral s && value.equals(s.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
