package io.tsdb4j.promql.value;

import io.tsdb4j.promql.ast.ValueType;

import java.util.List;

/** A range vector: series sorted by labels. The list is unmodifiable. */
public record Matrix(List<Series> series) implements Value {
    public Matrix {
        series = List.copyOf(series);
    }

    public int size() {
        return series.size();
    }

    public Series get(int i) {
        return series.get(i);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }
}
