package io.tsdb4j.promql.parser;

/** Lexical token kinds, grouped as in Prometheus so that error messages describe them the same way. */
enum TokenType {
    EOF, ERROR, IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING,
    LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, EQL, COLON,
    // operators
    ADD(Kind.OP), SUB(Kind.OP), MUL(Kind.OP), DIV(Kind.OP), MOD(Kind.OP), POW(Kind.OP), EQLC(Kind.OP), NEQ(Kind.OP),
    LTE(Kind.OP), LSS(Kind.OP), GTE(Kind.OP), GTR(Kind.OP), EQL_REGEX(Kind.OP), NEQ_REGEX(Kind.OP), LAND(Kind.OP),
    LOR(Kind.OP), LUNLESS(Kind.OP), ATAN2(Kind.OP), AT(Kind.OP),
    // aggregators
    SUM(Kind.AGGR), AVG(Kind.AGGR), COUNT(Kind.AGGR), MIN(Kind.AGGR), MAX(Kind.AGGR), GROUP(Kind.AGGR),
    STDDEV(Kind.AGGR), STDVAR(Kind.AGGR), TOPK(Kind.AGGR), BOTTOMK(Kind.AGGR), COUNT_VALUES(Kind.AGGR),
    QUANTILE(Kind.AGGR),
    // keywords
    BOOL(Kind.KEYWORD), BY(Kind.KEYWORD), GROUP_LEFT(Kind.KEYWORD), GROUP_RIGHT(Kind.KEYWORD),
    IGNORING(Kind.KEYWORD), OFFSET(Kind.KEYWORD), ON(Kind.KEYWORD), WITHOUT(Kind.KEYWORD),
    // @ preprocessors
    START(Kind.PREPROC), END(Kind.PREPROC);

    enum Kind { OTHER, OP, AGGR, KEYWORD, PREPROC }

    final Kind kind;

    TokenType() {
        this(Kind.OTHER);
    }

    TokenType(Kind kind) {
        this.kind = kind;
    }
}
