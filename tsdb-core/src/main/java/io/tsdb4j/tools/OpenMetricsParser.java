package io.tsdb4j.tools;

import io.tsdb4j.labels.InvalidLabelsException;
import io.tsdb4j.labels.Labels;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * A streaming parser of the OpenMetrics text format, for backfilling ({@code tsdb4j import openmetrics}, like
 * {@code promtool tsdb create-blocks-from openmetrics}). Reads sample lines
 * {@code name{label="value",...} value timestamp [# exemplar]} with timestamps in seconds (fractions allowed),
 * skips {@code # HELP/# TYPE/# UNIT} and other comments, and requires the closing {@code # EOF}. Every error
 * names the line number and what was wrong. Not thread-safe.
 */
public final class OpenMetricsParser {
    /** Receives each sample. */
    public interface Sink {
        void sample(Labels labels, long timestampMillis, double value) throws IOException;
    }

    /** A line that does not parse; the message carries the line number. */
    public static final class ParseError extends IOException {
        private static final long serialVersionUID = 1L;
        private final long line;

        public ParseError(long line, String message) {
            super("line " + line + ": " + message);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    private final BufferedReader in;
    private long lineNo;
    private String line;
    private int pos;

    public OpenMetricsParser(BufferedReader in) {
        this.in = in;
    }

    /** Parses to {@code # EOF}; returns the number of samples. */
    public long parse(Sink sink) throws IOException {
        long samples = 0;
        boolean eof = false;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (eof) {
                if (!line.isEmpty()) throw error("content after # EOF");
                continue;
            }
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                if (line.equals("# EOF")) eof = true;
                continue;
            }
            pos = 0;
            Labels labels = parseSeries();
            expect(' ');
            double value = parseFloat("value");
            if (pos >= line.length() || line.charAt(pos) == '#') {
                throw error("sample has no timestamp (backfilling needs one)");
            }
            expect(' ');
            if (pos < line.length() && line.charAt(pos) == '#') throw error("sample has no timestamp (backfilling needs one)");
            double ts = parseFloat("timestamp");
            if (Double.isNaN(ts) || Double.isInfinite(ts)) throw error("timestamp must be a finite number of seconds");
            if (pos < line.length()) {
                if (!line.startsWith(" # ", pos)) throw error("unexpected text after the timestamp: '" + line.substring(pos) + "'");
                // An exemplar: not stored.
            }
            sink.sample(labels, Math.round(ts * 1000), value);
            samples++;
        }
        if (!eof) throw new ParseError(lineNo, "missing the closing '# EOF' line (OpenMetrics requires it; the input may be truncated)");
        return samples;
    }

    private Labels parseSeries() throws ParseError {
        int start = pos;
        while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, true)) pos++;
        if (pos == start) throw error("expected a metric name");
        String name = line.substring(start, pos);
        Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, name);
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos++;
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (true) {
                if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    break;
                }
                int ls = pos;
                while (pos < line.length() && isNameChar(line.charAt(pos), pos == ls, false)) pos++;
                if (pos == ls) throw error("expected a label name");
                String lname = line.substring(ls, pos);
                if (!seen.add(lname) || lname.equals(Labels.METRIC_NAME)) throw error("duplicate label name \"" + lname + "\"");
                expect('=');
                String value = parseQuoted();
                b.set(lname, value);
                if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    break;
                }
                throw error("expected ',' or '}' in the label set");
            }
        }
        try {
            return b.build();
        } catch (InvalidLabelsException e) {
            throw error(e.getMessage());
        }
    }

    private String parseQuoted() throws ParseError {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= line.length()) throw error("unterminated label value");
            char c = line.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c == '\\') {
                if (pos >= line.length()) throw error("unterminated escape in label value");
                char e = line.charAt(pos++);
                switch (e) {
                    case '\\': sb.append('\\'); break;
                    case '"': sb.append('"'); break;
                    case 'n': sb.append('\n'); break;
                    default: throw error("invalid escape '\\" + e + "' in label value");
                }
            } else {
                sb.append(c);
            }
        }
    }

    private double parseFloat(String what) throws ParseError {
        int start = pos;
        while (pos < line.length() && line.charAt(pos) != ' ') pos++;
        String s = line.substring(start, pos);
        switch (s) {
            case "NaN": return Double.NaN;
            case "+Inf": case "Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    if (s.isEmpty() || s.indexOf('_') >= 0 || s.startsWith("0x") || Character.isLetter(s.charAt(s.length() - 1))) {
                        throw new NumberFormatException();
                    }
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw error("invalid " + what + " '" + s + "'");
                }
        }
    }

    private void expect(char c) throws ParseError {
        if (pos >= line.length() || line.charAt(pos) != c) {
            throw error("expected '" + c + "' at column " + (pos + 1) + (pos < line.length() ? ", found '" + line.charAt(pos) + "'" : ", found end of line"));
        }
        pos++;
    }

    private static boolean isNameChar(char c, boolean first, boolean colonOk) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colonOk && c == ':') || (!first && c >= '0' && c <= '9');
    }

    private ParseError error(String msg) {
        return new ParseError(lineNo, msg);
    }

    public long linesRead() {
        return lineNo;
    }
}
