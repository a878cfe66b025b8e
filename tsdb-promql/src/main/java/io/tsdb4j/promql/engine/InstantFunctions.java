package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.promql.ast.Call;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.StringLiteral;
import io.tsdb4j.promql.ast.VectorSelector;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Functions of instant vectors and scalars, evaluated once per step. Each call site gets its own
 * {@link Evaluator.StepFn}, which may cache per-series results (label rewrites) across steps.
 */
final class InstantFunctions {
    private InstantFunctions() {}

    static Evaluator.StepFn forCall(Call c) {
        String name = c.func().name();
        List<Expr> args = c.args();
        NameDropper names = new NameDropper();
        switch (name) {
            case "time": return (in, ts, out) -> out.add(Labels.EMPTY, ts / 1000.0);
            case "pi": return (in, ts, out) -> out.add(Labels.EMPTY, Math.PI);
            case "vector": return (in, ts, out) -> out.add(Labels.EMPTY, in[0].v[0]);
            case "scalar": return (in, ts, out) -> out.add(Labels.EMPTY, in[0].n != 1 ? Double.NaN : in[0].v[0]);
            case "abs": return simple(Math::abs);
            case "ceil": return simple(Math::ceil);
            case "floor": return simple(Math::floor);
            case "exp": return simple(Math::exp);
            case "sqrt": return simple(Math::sqrt);
            case "ln": return simple(Math::log);
            case "log2": return simple(InstantFunctions::log2);
            case "log10": return simple(Math::log10);
            case "sin": return simple(Math::sin);
            case "cos": return simple(Math::cos);
            case "tan": return simple(Math::tan);
            case "asin": return simple(Math::asin);
            case "acos": return simple(Math::acos);
            case "atan": return simple(Math::atan);
            case "sinh": return simple(Math::sinh);
            case "cosh": return simple(Math::cosh);
            case "tanh": return simple(Math::tanh);
            case "asinh": return simple(InstantFunctions::asinh);
            case "acosh": return simple(InstantFunctions::acosh);
            case "atanh": return simple(InstantFunctions::atanh);
            case "rad": return simple(v -> v * Math.PI / 180);
            case "deg": return simple(v -> v * 180 / Math.PI);
            case "sgn": return simple(v -> v < 0 ? -1 : v > 0 ? 1 : v);
            case "clamp": return (in, ts, out) -> {
                double min = in[1].v[0], max = in[2].v[0];
                if (max < min) return;
                StepVector vec = in[0];
                for (int i = 0; i < vec.n; i++) {
                    out.add(names.drop(vec.metric[i]), goMax(min, goMin(max, vec.v[i])));
                }
            };
            case "clamp_max": return (in, ts, out) -> {
                double max = in[1].v[0];
                StepVector vec = in[0];
                for (int i = 0; i < vec.n; i++) out.add(names.drop(vec.metric[i]), goMin(max, vec.v[i]));
            };
            case "clamp_min": return (in, ts, out) -> {
                double min = in[1].v[0];
                StepVector vec = in[0];
                for (int i = 0; i < vec.n; i++) out.add(names.drop(vec.metric[i]), goMax(min, vec.v[i]));
            };
            case "round": return (in, ts, out) -> {
                double toNearest = args.size() >= 2 ? in[1].v[0] : 1;
                // Multiplying by the inverse causes fewer floating point surprises than dividing.
                double inverse = 1.0 / toNearest;
                StepVector vec = in[0];
                for (int i = 0; i < vec.n; i++) {
                    out.add(names.drop(vec.metric[i]), Math.floor(vec.v[i] * inverse + 0.5) / inverse);
                }
            };
            case "sort": return (in, ts, out) -> sorted(in[0], out, false);
            case "sort_desc": return (in, ts, out) -> sorted(in[0], out, true);
            case "timestamp": return (in, ts, out) -> {
                StepVector vec = in[0];
                for (int i = 0; i < vec.n; i++) out.add(names.drop(vec.metric[i]), vec.t[i] / 1000.0);
            };
            case "absent": {
                Labels labels = absentLabelsOf(args.get(0));
                return (in, ts, out) -> {
                    if (in[0].n == 0) out.add(labels, 1);
                };
            }
            case "histogram_quantile": return InstantFunctions::histogramQuantile;
            // Native histograms only: classic (float) samples produce nothing.
            case "histogram_count": case "histogram_sum": case "histogram_fraction": return (in, ts, out) -> { };
            case "label_replace": return labelReplace(args);
            case "label_join": return labelJoin(args);
            case "days_in_month": return date(args, t -> t.toLocalDate().lengthOfMonth());
            case "day_of_month": return date(args, ZonedDateTime::getDayOfMonth);
            case "day_of_week": return date(args, t -> t.getDayOfWeek().getValue() % 7);
            case "day_of_year": return date(args, ZonedDateTime::getDayOfYear);
            case "hour": return date(args, ZonedDateTime::getHour);
            case "minute": return date(args, ZonedDateTime::getMinute);
            case "month": return date(args, ZonedDateTime::getMonthValue);
            case "year": return date(args, ZonedDateTime::getYear);
            default:
                throw new PromQLException(PromQLException.ErrorType.BAD_DATA, "unknown function " + name);
        }
    }

    private static Evaluator.StepFn simple(DoubleUnaryOperator f) {
        NameDropper names = new NameDropper();
        return (in, ts, out) -> {
            StepVector vec = in[0];
            for (int i = 0; i < vec.n; i++) out.add(names.drop(vec.metric[i]), f.applyAsDouble(vec.v[i]));
        };
    }

    /** Go's math.Max/Min: NaN wins over everything, and -0 < +0. */
    static double goMax(double a, double b) {
        if (Double.isInfinite(a) && a > 0 || Double.isInfinite(b) && b > 0) return Double.POSITIVE_INFINITY;
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.NaN;
        return Math.max(a, b);
    }

    static double goMin(double a, double b) {
        if (Double.isInfinite(a) && a < 0 || Double.isInfinite(b) && b < 0) return Double.NEGATIVE_INFINITY;
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.NaN;
        return Math.min(a, b);
    }

    static double log2(double v) {
        // Exact for powers of two, like Go's Log2.
        if (v > 0 && !Double.isInfinite(v) && Double.MIN_NORMAL <= v) {
            int exp = Math.getExponent(v);
            if (v == Math.scalb(1.0, exp)) return exp;
        }
        return Math.log(v) / Math.log(2);
    }

    static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) return x;
        double a = Math.abs(x);
        double r = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log(a + Math.sqrt(a * a + 1));
        if (a < 1e-4) r = a - a * a * a / 6; // avoids cancellation near zero
        return x < 0 ? -r : r;
    }

    static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) return Double.NaN;
        if (x == 1) return 0;
        if (x > 1e8) return Math.log(x) + Math.log(2);
        return Math.log(x + Math.sqrt(x * x - 1));
    }

    static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) return Double.NaN;
        if (x == 1) return Double.POSITIVE_INFINITY;
        if (x == -1) return Double.NEGATIVE_INFINITY;
        if (x == 0) return x;
        return 0.5 * Math.log1p(2 * x / (1 - x));
    }

    private static void sorted(StepVector vec, StepVector out, boolean desc) {
        int n = vec.n;
        Labels[] labels = java.util.Arrays.copyOf(vec.metric, n);
        double[] values = java.util.Arrays.copyOf(vec.v, n);
        // Prometheus sorts by the reversed heap order with NaN counted as smallest: NaNs end up last.
        GoSort.sort(labels, values, n, (v, i, j) -> {
            if (Double.isNaN(v[j])) return true;
            return desc ? v[j] < v[i] : v[j] > v[i];
        });
        for (int i = 0; i < n; i++) out.add(labels[i], values[i]);
    }

    /** The labels {@code absent(sel)} returns: the selector's equality matchers, except duplicated names. */
    static Labels absentLabels(VectorSelector vs) {
        Labels.Builder b = Labels.builder();
        Set<String> has = new HashSet<>();
        for (Matcher m : vs.matchers()) {
            if (m.name().equals(Labels.METRIC_NAME)) continue;
            if (m.type() == Matcher.Type.EQUAL && !has.contains(m.name())) {
                b.set(m.name(), m.value());
                has.add(m.name());
            } else {
                b.delete(m.name());
            }
        }
        return b.build();
    }

    private static Labels absentLabelsOf(Expr arg) {
        Expr e = Evaluator.unwrapParens(arg);
        if (e instanceof VectorSelector vs) return absentLabels(vs);
        if (e instanceof io.tsdb4j.promql.ast.MatrixSelector ms) return absentLabels(ms.vs());
        return Labels.EMPTY;
    }

    private static void histogramQuantile(StepVector[] in, long ts, StepVector out) {
        double q = in[0].v[0];
        StepVector vec = in[1];
        Map<Labels, double[][]> groups = new LinkedHashMap<>();
        Map<Labels, int[]> sizes = new HashMap<>();
        Map<Labels, Labels> outLabels = new HashMap<>();
        List<String> le = List.of("le");
        for (int i = 0; i < vec.n; i++) {
            Labels m = vec.metric[i];
            Double ub = GoFormat.parseFloat(m.get("le"));
            if (ub == null) continue;
            Labels key = m.without(le);
            double[][] g = groups.get(key);
            int[] size = sizes.get(key);
            if (g == null) {
                g = new double[][] {new double[8], new double[8]};
                groups.put(key, g);
                size = new int[1];
                sizes.put(key, size);
                outLabels.put(key, key.withoutMetricName());
            }
            if (size[0] == g[0].length) {
                g[0] = java.util.Arrays.copyOf(g[0], size[0] * 2);
                g[1] = java.util.Arrays.copyOf(g[1], size[0] * 2);
                groups.put(key, g);
            }
            g[0][size[0]] = ub;
            g[1][size[0]] = vec.v[i];
            size[0]++;
        }
        for (Map.Entry<Labels, double[][]> e : groups.entrySet()) {
            double[][] g = e.getValue();
            int n = sizes.get(e.getKey())[0];
            out.add(outLabels.get(e.getKey()), Quantiles.bucketQuantile(q, g[0], g[1], n));
        }
    }

    private static String stringArg(Expr e) {
        return ((StringLiteral) Evaluator.unwrapParens(e)).value();
    }

    private static Evaluator.StepFn labelReplace(List<Expr> args) {
        String dst = stringArg(args.get(1));
        String repl = stringArg(args.get(2));
        String src = stringArg(args.get(3));
        String regex = stringArg(args.get(4));
        GoRegex re;
        try {
            re = new GoRegex(regex);
        } catch (PatternSyntaxException e) {
            throw PromQLException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!Labels.isValidName(dst)) {
            throw PromQLException.execution("invalid destination label name in label_replace(): " + dst);
        }
        return relabel(m -> {
            String value = re.replace(m.get(src), repl);
            if (value == null) return m;
            Labels.Builder b = m.toBuilder().delete(dst);
            if (!value.isEmpty()) b.set(dst, value);
            return b.build();
        });
    }

    /** Maps each sample's labels with {@code f}, once per distinct label set of the query (values pass through). */
    private static Evaluator.StepFn relabel(java.util.function.UnaryOperator<Labels> f) {
        Map<Labels, Labels> cache = new HashMap<>();
        return (in, ts, out) -> {
            StepVector vec = in[0];
            for (int i = 0; i < vec.n; i++) out.add(cache.computeIfAbsent(vec.metric[i], f), vec.v[i]);
        };
    }

    private static Evaluator.StepFn labelJoin(List<Expr> args) {
        String dst = stringArg(args.get(1));
        String sep = stringArg(args.get(2));
        String[] srcs = new String[args.size() - 3];
        for (int i = 3; i < args.size(); i++) {
            String s = stringArg(args.get(i));
            if (!Labels.isValidName(s)) {
                throw PromQLException.execution("invalid source label name in label_join(): " + s);
            }
            srcs[i - 3] = s;
        }
        if (!Labels.isValidName(dst)) {
            throw PromQLException.execution("invalid destination label name in label_join(): " + dst);
        }
        return relabel(m -> {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < srcs.length; k++) {
                if (k > 0) sb.append(sep);
                sb.append(m.get(srcs[k]));
            }
            String joined = sb.toString();
            Labels.Builder b = m.toBuilder();
            if (joined.isEmpty()) b.delete(dst);
            else b.set(dst, joined);
            return b.build();
        });
    }

    private static Evaluator.StepFn date(List<Expr> args, ToIntFunction<ZonedDateTime> f) {
        NameDropper names = new NameDropper();
        if (args.isEmpty()) {
            return (in, ts, out) -> out.add(Labels.EMPTY, dateValue(ts / 1000, f));
        }
        return (in, ts, out) -> {
            StepVector vec = in[0];
            for (int i = 0; i < vec.n; i++) {
                out.add(names.drop(vec.metric[i]), dateValue(goInt64(vec.v[i]), f));
            }
        };
    }

    /** Go's float64 to int64 conversion on amd64: truncation, with NaN and out-of-range values giving MinInt64. */
    static long goInt64(double v) {
        if (Double.isNaN(v) || v >= 9.223372036854775807E18 || v < -9.223372036854775808E18) return Long.MIN_VALUE;
        return (long) v;
    }

    private static double dateValue(long epochSeconds, ToIntFunction<ZonedDateTime> f) {
        try {
            return f.applyAsInt(Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC));
        } catch (DateTimeException | ArithmeticException e) {
            return Double.NaN;
        }
    }

    /**
     * A regular expression anchored at both ends with Go's replacement-template expansion ({@code $1},
     * {@code ${1}}, {@code $name}, {@code $$}).
     */
    static final class GoRegex {
        private final Pattern pattern;
        private final Set<String> groupNames = new HashSet<>();

        GoRegex(String re) {
            String javaRe = re.replace("(?P<", "(?<");
            this.pattern = Pattern.compile("^(?:" + javaRe + ")\\z", Pattern.UNIX_LINES);
            java.util.regex.Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(javaRe);
            while (m.find()) groupNames.add(m.group(1));
        }

        /** The expanded template if {@code input} matches, else null. */
        String replace(String input, String template) {
            java.util.regex.Matcher m = pattern.matcher(input);
            if (!m.find()) return null;
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (i < template.length()) {
                char c = template.charAt(i);
                if (c != '$' || i + 1 >= template.length()) {
                    sb.append(c);
                    i++;
                    continue;
                }
                char next = template.charAt(i + 1);
                if (next == '$') {
                    sb.append('$');
                    i += 2;
                    continue;
                }
                String name;
                int endIdx;
                if (next == '{') {
                    int close = template.indexOf('}', i + 2);
                    if (close < 0 || close == i + 2 || !isName(template, i + 2, close)) {
                        sb.append('$');
                        i++;
                        continue;
                    }
                    name = template.substring(i + 2, close);
                    endIdx = close + 1;
                } else {
                    int j = i + 1;
                    while (j < template.length() && isNameChar(template.charAt(j))) j++;
                    if (j == i + 1) {
                        sb.append('$');
                        i++;
                        continue;
                    }
                    name = template.substring(i + 1, j);
                    endIdx = j;
                }
                sb.append(group(m, name));
                i = endIdx;
            }
            return sb.toString();
        }

        private String group(java.util.regex.Matcher m, String name) {
            boolean digits = true;
            for (int k = 0; k < name.length(); k++) if (!Character.isDigit(name.charAt(k))) digits = false;
            String g = null;
            if (digits) {
                try {
                    int idx = Integer.parseInt(name);
                    if (idx <= m.groupCount()) g = m.group(idx);
                } catch (NumberFormatException e) {
                    g = null;
                }
            } else if (groupNames.contains(name)) {
                g = m.group(name);
            }
            return g == null ? "" : g;
        }

        private static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }

        private static boolean isName(String s, int from, int to) {
            for (int k = from; k < to; k++) if (!isNameChar(s.charAt(k))) return false;
            return true;
        }
    }
}
