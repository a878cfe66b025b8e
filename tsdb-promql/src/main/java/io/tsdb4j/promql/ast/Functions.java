package io.tsdb4j.promql.ast;

import static io.tsdb4j.promql.ast.ValueType.MATRIX;
import static io.tsdb4j.promql.ast.ValueType.SCALAR;
import static io.tsdb4j.promql.ast.ValueType.STRING;
import static io.tsdb4j.promql.ast.ValueType.VECTOR;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Registry of the functions of Prometheus 2.42 with their signatures. Immutable and thread-safe. */
public final class Functions {
    private static final Map<String, Function> BY_NAME;

    static {
        Map<String, Function> m = new TreeMap<>();
        add(m, "abs", 0, VECTOR, VECTOR);
        add(m, "absent", 0, VECTOR, VECTOR);
        add(m, "absent_over_time", 0, VECTOR, MATRIX);
        add(m, "acos", 0, VECTOR, VECTOR);
        add(m, "acosh", 0, VECTOR, VECTOR);
        add(m, "asin", 0, VECTOR, VECTOR);
        add(m, "asinh", 0, VECTOR, VECTOR);
        add(m, "atan", 0, VECTOR, VECTOR);
        add(m, "atanh", 0, VECTOR, VECTOR);
        add(m, "avg_over_time", 0, VECTOR, MATRIX);
        add(m, "ceil", 0, VECTOR, VECTOR);
        add(m, "changes", 0, VECTOR, MATRIX);
        add(m, "clamp", 0, VECTOR, VECTOR, SCALAR, SCALAR);
        add(m, "clamp_max", 0, VECTOR, VECTOR, SCALAR);
        add(m, "clamp_min", 0, VECTOR, VECTOR, SCALAR);
        add(m, "cos", 0, VECTOR, VECTOR);
        add(m, "cosh", 0, VECTOR, VECTOR);
        add(m, "count_over_time", 0, VECTOR, MATRIX);
        add(m, "days_in_month", 1, VECTOR, VECTOR);
        add(m, "day_of_month", 1, VECTOR, VECTOR);
        add(m, "day_of_week", 1, VECTOR, VECTOR);
        add(m, "day_of_year", 1, VECTOR, VECTOR);
        add(m, "deg", 0, VECTOR, VECTOR);
        add(m, "delta", 0, VECTOR, MATRIX);
        add(m, "deriv", 0, VECTOR, MATRIX);
        add(m, "exp", 0, VECTOR, VECTOR);
        add(m, "floor", 0, VECTOR, VECTOR);
        add(m, "histogram_count", 0, VECTOR, VECTOR);
        add(m, "histogram_sum", 0, VECTOR, VECTOR);
        add(m, "histogram_fraction", 0, VECTOR, SCALAR, SCALAR, VECTOR);
        add(m, "histogram_quantile", 0, VECTOR, SCALAR, VECTOR);
        add(m, "holt_winters", 0, VECTOR, MATRIX, SCALAR, SCALAR);
        add(m, "hour", 1, VECTOR, VECTOR);
        add(m, "idelta", 0, VECTOR, MATRIX);
        add(m, "increase", 0, VECTOR, MATRIX);
        add(m, "irate", 0, VECTOR, MATRIX);
        add(m, "label_replace", 0, VECTOR, VECTOR, STRING, STRING, STRING, STRING);
        add(m, "label_join", -1, VECTOR, VECTOR, STRING, STRING, STRING);
        add(m, "last_over_time", 0, VECTOR, MATRIX);
        add(m, "ln", 0, VECTOR, VECTOR);
        add(m, "log10", 0, VECTOR, VECTOR);
        add(m, "log2", 0, VECTOR, VECTOR);
        add(m, "max_over_time", 0, VECTOR, MATRIX);
        add(m, "min_over_time", 0, VECTOR, MATRIX);
        add(m, "minute", 1, VECTOR, VECTOR);
        add(m, "month", 1, VECTOR, VECTOR);
        add(m, "pi", 0, SCALAR);
        add(m, "predict_linear", 0, VECTOR, MATRIX, SCALAR);
        add(m, "present_over_time", 0, VECTOR, MATRIX);
        add(m, "quantile_over_time", 0, VECTOR, SCALAR, MATRIX);
        add(m, "rad", 0, VECTOR, VECTOR);
        add(m, "rate", 0, VECTOR, MATRIX);
        add(m, "resets", 0, VECTOR, MATRIX);
        add(m, "round", 1, VECTOR, VECTOR, SCALAR);
        add(m, "scalar", 0, SCALAR, VECTOR);
        add(m, "sgn", 0, VECTOR, VECTOR);
        add(m, "sin", 0, VECTOR, VECTOR);
        add(m, "sinh", 0, VECTOR, VECTOR);
        add(m, "sort", 0, VECTOR, VECTOR);
        add(m, "sort_desc", 0, VECTOR, VECTOR);
        add(m, "sqrt", 0, VECTOR, VECTOR);
        add(m, "stddev_over_time", 0, VECTOR, MATRIX);
        add(m, "stdvar_over_time", 0, VECTOR, MATRIX);
        add(m, "sum_over_time", 0, VECTOR, MATRIX);
        add(m, "tan", 0, VECTOR, VECTOR);
        add(m, "tanh", 0, VECTOR, VECTOR);
        add(m, "time", 0, SCALAR);
        add(m, "timestamp", 0, VECTOR, VECTOR);
        add(m, "vector", 0, VECTOR, SCALAR);
        add(m, "year", 1, VECTOR, VECTOR);
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private Functions() {}

    private static void add(Map<String, Function> m, String name, int variadic, ValueType ret, ValueType... args) {
        m.put(name, new Function(name, List.of(args), variadic, ret));
    }

    /** The function called {@code name} (case-sensitive, as in Prometheus), or null. */
    public static Function get(String name) {
        return BY_NAME.get(name);
    }

    /** All functions, sorted by name. */
    public static Collection<Function> all() {
        return BY_NAME.values();
    }
}
