package io.tsdb4j.promql.value;

import io.tsdb4j.promql.ast.ValueType;

/** A string result evaluated at time {@code t} (milliseconds). */
public record StringValue(long t, String v) implements Value {
    @Override
    public ValueType type() {
        return ValueType.STRING;
    }
}
