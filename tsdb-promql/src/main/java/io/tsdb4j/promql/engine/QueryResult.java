package io.tsdb4j.promql.engine;

import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Scalar;
import io.tsdb4j.promql.value.StringValue;
import io.tsdb4j.promql.value.Value;
import io.tsdb4j.promql.value.Vector;

/** The outcome of a successful query: its value (scalar, string, vector or matrix). Immutable. */
public record QueryResult(Value value) {
    public ValueType type() {
        return value.type();
    }

    public Vector vector() {
        return (Vector) value;
    }

    public Matrix matrix() {
        return (Matrix) value;
    }

    public Scalar scalar() {
        return (Scalar) value;
    }

    public StringValue string() {
        return (StringValue) value;
    }
}
