package io.tsdb4j.promql.ast;

import java.util.Objects;

/**
 * A subquery {@code expr[range:step] @ ts offset d}.
 *
 * @param stepMillis the step as written; 0 when omitted ({@code [5m:]}), meaning the engine's default
 * @param originalOffsetMillis the {@code offset} as written; 0 if none
 * @param timestampMillis the {@code @ <ts>} in milliseconds, or null
 * @param startOrEnd {@code @ start()} / {@code @ end()}, else {@link AtModifier#NONE}
 */
public record SubqueryExpr(Expr expr, long rangeMillis, long stepMillis, long originalOffsetMillis,
        Long timestampMillis, AtModifier startOrEnd, PositionRange pos) implements Expr {
    public SubqueryExpr {
        Objects.requireNonNull(expr);
        Objects.requireNonNull(startOrEnd);
        Objects.requireNonNull(pos);
    }

    public SubqueryExpr(Expr expr, long rangeMillis, long stepMillis) {
        this(expr, rangeMillis, stepMillis, 0, null, AtModifier.NONE, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    public SubqueryExpr withOffset(long offsetMillis) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, offsetMillis, timestampMillis, startOrEnd, pos);
    }

    public SubqueryExpr withAt(Long timestampMillis, AtModifier startOrEnd) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, originalOffsetMillis, timestampMillis, startOrEnd, pos);
    }

    public SubqueryExpr withPos(PositionRange pos) {
        return new SubqueryExpr(expr, rangeMillis, stepMillis, originalOffsetMillis, timestampMillis, startOrEnd, pos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubqueryExpr s && expr.equals(s.expr) && rangeMillis == s.rangeMillis
                && stepMillis == s.stepMillis && originalOffsetMillis == s.originalOffsetMillis
                && Objects.equals(timestampMillis, s.timestampMillis) && startOrEnd == s.startOrEnd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(expr, rangeMillis, stepMillis, originalOffsetMillis, timestampMillis, startOrEnd);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
