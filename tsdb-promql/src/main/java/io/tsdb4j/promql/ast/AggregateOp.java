package io.tsdb4j.promql.ast;

import java.util.Locale;

/** Aggregation operators. {@link #hasParam()} ones take a leading parameter ({@code topk(5, x)}). */
public enum AggregateOp {
    SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, TOPK, BOTTOMK, COUNT_VALUES, QUANTILE;

    /** The keyword, e.g. {@code count_values}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean hasParam() {
        return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE;
    }

    /** Looks a keyword up case-insensitively (PromQL keywords are case-insensitive); null if not an aggregation. */
    public static AggregateOp fromKeyword(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        for (AggregateOp op : values()) if (op.name().equals(u)) return op;
        return null;
    }
}
