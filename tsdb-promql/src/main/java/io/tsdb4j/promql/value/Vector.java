package io.tsdb4j.promql.value;

import io.tsdb4j.promql.ast.ValueType;

import java.util.List;

/** An instant vector: samples that share one evaluation time. The list is unmodifiable; order is meaningful only
 * after {@code sort}, {@code sort_desc}, {@code topk} and {@code bottomk}. */
public record Vector(List<Sample> samples) implements Value {
    public Vector {
        samples = List.copyOf(samples);
    }

    public int size() {
        return samples.size();
    }

    public Sample get(int i) {
        return samples.get(i);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }
}
