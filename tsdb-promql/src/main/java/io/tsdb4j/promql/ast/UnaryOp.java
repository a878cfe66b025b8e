package io.tsdb4j.promql.ast;

/** Unary operators: {@code +} and {@code -}. */
public enum UnaryOp {
    ADD("+"), SUB("-");

    private final String symbol;

    UnaryOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
