package io.tsdb4j.promql.parser;

import io.tsdb4j.labels.GoQuote;

/** One lexed token: its kind, start offset and source text (for ERROR: the message). */
record Token(TokenType type, int pos, String text) {
    int end() {
        return pos + text.length();
    }

    /** How Prometheus names the token in "unexpected ..." messages. */
    String desc() {
        switch (type) {
            case EOF: return "end of input";
            case ERROR: return text;
            case IDENTIFIER: return "identifier " + GoQuote.quote(text);
            case METRIC_IDENTIFIER: return "metric identifier " + GoQuote.quote(text);
            case NUMBER: return "number " + quoteShort(text);
            case DURATION: return "duration " + quoteShort(text);
            case STRING: return "string " + quoteShort(text);
            default: break;
        }
        switch (type.kind) {
            case OP: return "<op:" + text + ">";
            case AGGR: return "<aggr:" + text + ">";
            case KEYWORD: return "<" + text + ">";
            default: return quoteShort(text);
        }
    }

    /** Go's {@code %.10q...} for long values, {@code %q} otherwise. */
    private static String quoteShort(String s) {
        if (s.length() > 10) {
            int cut = s.offsetByCodePoints(0, Math.min(10, s.codePointCount(0, s.length())));
            return GoQuote.quote(s.substring(0, cut)) + "...";
        }
        return GoQuote.quote(s);
    }
}
