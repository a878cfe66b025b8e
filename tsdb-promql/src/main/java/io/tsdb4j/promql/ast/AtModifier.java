package io.tsdb4j.promql.ast;

/** Which {@code @} form a selector or subquery carries besides (or instead of) a fixed timestamp. */
public enum AtModifier {
    /** No {@code @ start()}/{@code @ end()}; a fixed {@code @ <ts>} may still be present as a timestamp. */
    NONE,
    /** {@code @ start()}: the start of the evaluation range. */
    START,
    /** {@code @ end()}: the end of the evaluation range. */
    END
}
