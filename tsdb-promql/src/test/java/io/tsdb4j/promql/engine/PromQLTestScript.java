package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser for Prometheus's PromQL test-file language (v2.42: {@code load}, {@code clear}, {@code eval},
 * {@code eval_ordered}, {@code eval_fail}); see {@code promql-testdata/DSL.md}.
 */
final class PromQLTestScript {
    sealed interface Command permits Load, Clear, Eval {}

    /** One load block: series (later lines with the same labels replace earlier ones) and their samples. */
    record Load(int line, LinkedHashMap<Labels, List<double[]>> series) implements Command {}

    record Clear(int line) implements Command {}

    /** An expected series line: labels and value, with its 1-based position among the expected lines. */
    record Expected(Labels labels, double value, int pos) {}

    record Eval(int line, String expr, long time, boolean fail, boolean ordered, Double scalar,
            List<Expected> expected) implements Command {}

    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private static final Pattern EVAL = Pattern.compile("^eval(?:_(fail|ordered))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern LOAD = Pattern.compile("^load\\s+(\\S+)$");

    private PromQLTestScript() {}

    static List<Command> parse(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].trim();
            lines[i] = l.startsWith("#") ? "" : l;
        }
        List<Command> cmds = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) continue;
            String word = l.split("[ \t]+", 2)[0].toLowerCase(Locale.ROOT);
            int lineNo = i + 1;
            if (word.equals("clear")) {
                cmds.add(new Clear(lineNo));
            } else if (word.equals("load")) {
                Matcher m = LOAD.matcher(l);
                if (!m.matches()) throw error(lineNo, "invalid load command");
                long step = parseDuration(m.group(1));
                LinkedHashMap<Labels, List<double[]>> series = new LinkedHashMap<>();
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
                    i++;
                    SeriesDesc d = parseSeriesDesc(lines[i], i + 1);
                    List<double[]> samples = new ArrayList<>();
                    long ts = 0;
                    for (Double v : d.values) {
                        if (v != null) samples.add(new double[] {ts, v});
                        ts += step;
                    }
                    series.remove(d.labels);
                    series.put(d.labels, samples);
                }
                cmds.add(new Load(lineNo, series));
            } else if (word.startsWith("eval")) {
                Matcher m = EVAL.matcher(l);
                if (!m.matches()) throw error(lineNo, "invalid eval command: " + l);
                String mod = m.group(1);
                long time = m.group(2) == null ? 0 : parseDuration(m.group(2));
                String expr = m.group(3);
                Double scalar = null;
                List<Expected> expected = new ArrayList<>();
                int pos = 0;
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
                    i++;
                    String el = lines[i];
                    Double num = GoFormat.parseFloat(el);
                    if (num != null) {
                        scalar = num;
                        break;
                    }
                    SeriesDesc d = parseSeriesDesc(el, i + 1);
                    if (d.values.size() != 1 || d.values.get(0) == null) {
                        throw error(i + 1, "expected exactly one value in expected line: " + el);
                    }
                    pos++;
                    expected.add(new Expected(d.labels, d.values.get(0), pos));
                }
                cmds.add(new Eval(lineNo, expr, time, "fail".equals(mod), "ordered".equals(mod), scalar, expected));
            } else {
                throw error(lineNo, "unknown command: " + l);
            }
        }
        return cmds;
    }

    private static IllegalArgumentException error(int line, String msg) {
        return new IllegalArgumentException("line " + line + ": " + msg);
    }

    /** Prometheus duration syntax: unit groups from largest to smallest, e.g. {@code 1h30m}, {@code 500ms}. */
    static long parseDuration(String s) {
        if (s.equals("0")) return 0;
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)").matcher(s);
        long total = 0;
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) throw new IllegalArgumentException("bad duration " + s);
            long n = Long.parseLong(m.group(1));
            long unit;
            switch (m.group(2)) {
                case "ms": unit = 1; break;
                case "s": unit = 1000; break;
                case "m": unit = 60_000; break;
                case "h": unit = 3_600_000; break;
                case "d": unit = 86_400_000; break;
                case "w": unit = 7 * 86_400_000L; break;
                default: unit = 365 * 86_400_000L; break;
            }
            total += n * unit;
            pos = m.end();
        }
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration");
        return total;
    }

    private record SeriesDesc(Labels labels, List<Double> values) {}

    private static final String NUM = "(?:[0-9]*\\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\\.?(?:[eE][+-]?[0-9]+)?|[iI][nN][fF]|[nN][aA][nN])";
    private static final Pattern SINGLE = Pattern.compile("([+-]?)(" + NUM + ")");
    private static final Pattern SERIES = Pattern.compile("([+-]?)(" + NUM + ")(?:([+-])(" + NUM + "))?x([0-9]+)");
    private static final Pattern BLANKS = Pattern.compile("_x([0-9]+)");

    private static SeriesDesc parseSeriesDesc(String line, int lineNo) {
        int[] pos = {0};
        Labels labels = parseLabels(line, pos, lineNo);
        String rest = line.substring(pos[0]).trim();
        List<Double> values = new ArrayList<>();
        if (!rest.isEmpty()) {
            for (String item : rest.split("\\s+")) {
                Matcher m;
                if (item.equals("_")) {
                    values.add(null);
                } else if (item.equals("stale")) {
                    values.add(Double.longBitsToDouble(STALE_NAN_BITS));
                } else if ((m = BLANKS.matcher(item)).matches()) {
                    int k = Integer.parseInt(m.group(1));
                    for (int j = 0; j < k; j++) values.add(null);
                } else if ((m = SINGLE.matcher(item)).matches()) {
                    values.add(signed(m.group(1), m.group(2)));
                } else if ((m = SERIES.matcher(item)).matches()) {
                    double a = signed(m.group(1), m.group(2));
                    double b = m.group(4) == null ? 0 : signed(m.group(3), m.group(4));
                    int k = Integer.parseInt(m.group(5));
                    double cur = a;
                    values.add(cur);
                    for (int j = 0; j < k; j++) {
                        cur += b;
                        values.add(cur);
                    }
                } else {
                    throw error(lineNo, "bad value item '" + item + "' in: " + line);
                }
            }
        }
        return new SeriesDesc(labels, values);
    }

    private static double signed(String sign, String num) {
        double v = number(num);
        return "-".equals(sign) ? -v : v;
    }

    /** PromQL number text: an integer with Go's base prefixes first, else a float. */
    static double number(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        if (l.equals("inf")) return Double.POSITIVE_INFINITY;
        if (l.equals("nan")) return Double.NaN;
        if (s.matches("[0-9]+")) {
            try {
                if (s.length() > 1 && s.charAt(0) == '0') return Long.parseLong(s.substring(1), 8);
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                // too large for int64: falls through to float parsing
            }
        }
        return Double.parseDouble(s);
    }

    private static Labels parseLabels(String line, int[] pos, int lineNo) {
        int i = 0;
        int n = line.length();
        Labels.Builder b = Labels.builder();
        int startName = i;
        while (i < n && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == ':')) i++;
        if (i > startName) b.set(Labels.METRIC_NAME, line.substring(startName, i));
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                while (i < n && Character.isWhitespace(line.charAt(i))) i++;
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int ns = i;
                while (i < n && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) i++;
                String name = line.substring(ns, i);
                while (i < n && Character.isWhitespace(line.charAt(i))) i++;
                if (i >= n || line.charAt(i) != '=') throw error(lineNo, "expected '=' in labels: " + line);
                i++;
                while (i < n && Character.isWhitespace(line.charAt(i))) i++;
                int[] p = {i};
                String value = parseString(line, p, lineNo);
                i = p[0];
                b.set(name, value);
                while (i < n && Character.isWhitespace(line.charAt(i))) i++;
                if (i < n && line.charAt(i) == ',') i++;
            }
        }
        pos[0] = i;
        return b.build();
    }

    private static String parseString(String s, int[] p, int lineNo) {
        int i = p[0];
        char q = s.charAt(i++);
        if (q != '"' && q != '\'' && q != '`') throw error(lineNo, "expected string in: " + s);
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == q) {
                p[0] = i;
                return sb.toString();
            }
            if (c == '\\' && q != '`') {
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'a': sb.append('\u0007'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'v': sb.append('\u000b'); break;
                    case '\\': sb.append('\\'); break;
                    case '"': sb.append('"'); break;
                    case '\'': sb.append('\''); break;
                    case 'x': sb.append((char) Integer.parseInt(s.substring(i, i + 2), 16)); i += 2; break;
                    case 'u': sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    case 'U': sb.appendCodePoint(Integer.parseInt(s.substring(i, i + 8), 16)); i += 8; break;
                    default:
                        if (e >= '0' && e <= '7') {
                            sb.append((char) Integer.parseInt(s.substring(i - 1, i + 2), 8));
                            i += 2;
                        } else {
                            throw error(lineNo, "bad escape in: " + s);
                        }
                }
            } else {
                sb.append(c);
            }
        }
        throw error(lineNo, "unterminated string in: " + s);
    }
}
