package io.tsdb4j.promql.value;

import io.tsdb4j.promql.ast.ValueType;

/** A single number evaluated at time {@code t} (milliseconds). */
public record Scalar(long t, double v) implements Value {
    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    @Override
    public String toString() {
        return "scalar: " + Sample.formatValue(v) + " @[" + t + "]";
    }
}
