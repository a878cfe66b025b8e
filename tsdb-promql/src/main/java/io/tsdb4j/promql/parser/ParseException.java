package io.tsdb4j.promql.parser;

/**
 * A query that does not parse or type-check. The message reads like Prometheus's:
 * {@code 1:5: parse error: unexpected <op:+>}. {@link #position()} is the 0-based character offset of the offending
 * token or node in the query; {@link #line()} and {@link #column()} are 1-based.
 */
public final class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final int line;
    private final int column;
    private final String detail;

    public ParseException(String query, int position, String detail) {
        super(format(query, position, detail));
        this.position = position;
        int ln = 1;
        int lastBreak = -1;
        for (int i = 0; i < Math.min(position, query.length()); i++) {
            if (query.charAt(i) == '\n') {
                ln++;
                lastBreak = i;
            }
        }
        this.line = ln;
        this.column = position - lastBreak;
        this.detail = detail;
    }

    private static String format(String query, int pos, String detail) {
        if (pos < 0 || pos > query.length()) return "invalid position: parse error: " + detail;
        int line = 1;
        int lastBreak = -1;
        for (int i = 0; i < pos; i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        return line + ":" + (pos - lastBreak) + ": parse error: " + detail;
    }

    /** 0-based character offset into the query. */
    public int position() {
        return position;
    }

    /** 1-based line. */
    public int line() {
        return line;
    }

    /** 1-based column. */
    public int column() {
        return column;
    }

    /** The message without the position prefix, e.g. {@code unexpected end of input}. */
    public String detail() {
        return detail;
    }
}
