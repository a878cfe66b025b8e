package io.tsdb4j.promql.value;

import io.tsdb4j.promql.ast.ValueType;

/** A PromQL query result: a scalar, a string, an instant vector or a range vector (matrix). Immutable. */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {
    ValueType type();
}
