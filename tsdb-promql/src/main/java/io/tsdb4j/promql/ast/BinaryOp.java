package io.tsdb4j.promql.ast;

/** Binary operators with Prometheus's precedence (higher binds tighter) and classification. */
public enum BinaryOp {
    LOR("or", 1), LAND("and", 2), LUNLESS("unless", 2),
    EQLC("==", 3), NEQ("!=", 3), LTE("<=", 3), LSS("<", 3), GTE(">=", 3), GTR(">", 3),
    ADD("+", 4), SUB("-", 4),
    MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
    POW("^", 6);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** The operator as written in PromQL. */
    public String symbol() {
        return symbol;
    }

    /** 1 ({@code or}) to 6 ({@code ^}). */
    public int precedence() {
        return precedence;
    }

    /** Only {@code ^} is right-associative. */
    public boolean rightAssociative() {
        return this == POW;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    /** {@code and}, {@code or}, {@code unless}. */
    public boolean isSetOperator() {
        return this == LAND || this == LOR || this == LUNLESS;
    }
}
