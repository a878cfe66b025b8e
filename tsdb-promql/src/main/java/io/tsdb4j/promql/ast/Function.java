package io.tsdb4j.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * A PromQL function's signature. {@code variadic} is 0 for a fixed argument list, {@code n > 0} when the last
 * {@code n} argument types are optional, and {@code -1} when the last argument type may repeat without limit
 * ({@code label_join}). Instances come from {@link Functions}; immutable.
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
    public Function {
        Objects.requireNonNull(name);
        argTypes = List.copyOf(argTypes);
        Objects.requireNonNull(returnType);
    }
}
