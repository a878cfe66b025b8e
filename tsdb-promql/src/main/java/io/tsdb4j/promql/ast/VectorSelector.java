package io.tsdb4j.promql.ast;

import io.tsdb4j.labels.Matcher;
import java.util.List;
import java.util.Objects;

/**
 * An instant vector selector {@code name{matchers} @ ts offset d}.
 *
 * @param name the metric name written before the braces, or null; when present, {@code matchers} ends with the
 *     matcher {@code __name__="name"}, as in Prometheus
 * @param matchers all label matchers, in source order (the name matcher last)
 * @param originalOffsetMillis the {@code offset} as written (negative for {@code offset -5m}); 0 if none
 * @param timestampMillis the {@code @ <ts>} in milliseconds, or null
 * @param startOrEnd {@code @ start()} / {@code @ end()}, else {@link AtModifier#NONE}
 */
public record VectorSelector(String name, List<Matcher> matchers, long originalOffsetMillis, Long timestampMillis,
        AtModifier startOrEnd, PositionRange pos) implements Expr {
    public VectorSelector {
        matchers = List.copyOf(matchers);
        Objects.requireNonNull(startOrEnd);
        Objects.requireNonNull(pos);
    }

    public VectorSelector(String name, List<Matcher> matchers) {
        this(name, matchers, 0, null, AtModifier.NONE, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    public VectorSelector withOffset(long offsetMillis) {
        return new VectorSelector(name, matchers, offsetMillis, timestampMillis, startOrEnd, pos);
    }

    public VectorSelector withAt(Long timestampMillis, AtModifier startOrEnd) {
        return new VectorSelector(name, matchers, originalOffsetMillis, timestampMillis, startOrEnd, pos);
    }

    public VectorSelector withPos(PositionRange pos) {
        return new VectorSelector(name, matchers, originalOffsetMillis, timestampMillis, startOrEnd, pos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorSelector v && Objects.equals(name, v.name) && matchers.equals(v.matchers)
                && originalOffsetMillis == v.originalOffsetMillis && Objects.equals(timestampMillis, v.timestampMillis)
                && startOrEnd == v.startOrEnd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, matchers, originalOffsetMillis, timestampMillis, startOrEnd);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
