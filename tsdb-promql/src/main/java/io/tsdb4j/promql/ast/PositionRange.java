package io.tsdb4j.promql.ast;

/**
 * Half-open range {@code [start, end)} of character offsets in the query text a node was parsed from. Used for
 * error messages only; node equality ignores it. {@link #NONE} marks synthesized nodes.
 */
public record PositionRange(int start, int end) {
    public static final PositionRange NONE = new PositionRange(0, 0);

    /** The smallest range covering both. */
    public PositionRange span(PositionRange other) {
        return new PositionRange(Math.min(start, other.start), Math.max(end, other.end));
    }
}
