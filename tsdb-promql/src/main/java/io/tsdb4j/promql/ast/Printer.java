package io.tsdb4j.promql.ast;

import io.tsdb4j.labels.GoQuote;
import io.tsdb4j.labels.Matcher;
import java.math.BigDecimal;
import java.util.List;

/**
 * Prints an AST as PromQL text in Prometheus's style ({@code sum by (job) (rate(foo[5m]))}). Parsing the output
 * gives back an equal tree for any tree the parser can produce. Differences from Prometheus's printer, both needed
 * for that round trip: label matchers keep their order instead of being sorted, and {@code group_left}/{@code
 * group_right} are printed even when no {@code on}/{@code ignoring} labels are given. Stateless and thread-safe.
 */
public final class Printer {
    private Printer() {}

    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        print(sb, e);
        return sb.toString();
    }

    private static void print(StringBuilder sb, Expr e) {
        if (e instanceof NumberLiteral n) {
            sb.append(formatNumber(n.value()));
        } else if (e instanceof StringLiteral s) {
            GoQuote.quoteTo(sb, s.value());
        } else if (e instanceof ParenExpr p) {
            sb.append('(');
            print(sb, p.expr());
            sb.append(')');
        } else if (e instanceof UnaryExpr u) {
            sb.append(u.op().symbol());
            print(sb, u.expr());
        } else if (e instanceof VectorSelector v) {
            printSelectorBody(sb, v);
            printAtAndOffset(sb, v.timestampMillis(), v.startOrEnd(), v.originalOffsetMillis());
        } else if (e instanceof MatrixSelector m) {
            VectorSelector v = m.vs();
            printSelectorBody(sb, v);
            sb.append('[').append(formatDuration(m.rangeMillis())).append(']');
            printAtAndOffset(sb, v.timestampMillis(), v.startOrEnd(), v.originalOffsetMillis());
        } else if (e instanceof SubqueryExpr s) {
            print(sb, s.expr());
            sb.append('[').append(formatDuration(s.rangeMillis())).append(':');
            if (s.stepMillis() != 0) sb.append(formatDuration(s.stepMillis()));
            sb.append(']');
            printAtAndOffset(sb, s.timestampMillis(), s.startOrEnd(), s.originalOffsetMillis());
        } else if (e instanceof BinaryExpr b) {
            print(sb, b.lhs());
            sb.append(' ').append(b.op().symbol());
            if (b.returnBool()) sb.append(" bool");
            VectorMatching vm = b.matching();
            if (vm != null) {
                boolean grouped = vm.card() == Cardinality.MANY_TO_ONE || vm.card() == Cardinality.ONE_TO_MANY;
                if (vm.on() || !vm.matchingLabels().isEmpty() || grouped) {
                    sb.append(vm.on() ? " on " : " ignoring ");
                    labelList(sb, vm.matchingLabels());
                }
                if (grouped) {
                    sb.append(vm.card() == Cardinality.MANY_TO_ONE ? " group_left " : " group_right ");
                    labelList(sb, vm.include());
                }
            }
            sb.append(' ');
            print(sb, b.rhs());
        } else if (e instanceof AggregateExpr a) {
            sb.append(a.op().keyword());
            if (a.without()) {
                sb.append(" without ");
                labelList(sb, a.grouping());
                sb.append(' ');
            } else if (!a.grouping().isEmpty()) {
                sb.append(" by ");
                labelList(sb, a.grouping());
                sb.append(' ');
            }
            sb.append('(');
            if (a.param() != null) {
                print(sb, a.param());
                sb.append(", ");
            }
            print(sb, a.expr());
            sb.append(')');
        } else if (e instanceof Call c) {
            sb.append(c.func().name()).append('(');
            List<Expr> args = c.args();
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) sb.append(", ");
                print(sb, args.get(i));
            }
            sb.append(')');
        }
    }

    private static void labelList(StringBuilder sb, List<String> labels) {
        sb.append('(').append(String.join(", ", labels)).append(')');
    }

    private static void printSelectorBody(StringBuilder sb, VectorSelector v) {
        List<Matcher> ms = v.matchers();
        int n = ms.size();
        boolean named = false;
        if (v.name() != null && n > 0) {
            Matcher last = ms.get(n - 1);
            named = last.type() == Matcher.Type.EQUAL && last.name().equals("__name__")
                    && last.value().equals(v.name());
        }
        if (named) {
            sb.append(v.name());
            n--;
            if (n == 0) return;
        }
        sb.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            sb.append(ms.get(i));
        }
        sb.append('}');
    }

    private static void printAtAndOffset(StringBuilder sb, Long ts, AtModifier startOrEnd, long offset) {
        if (ts != null) {
            sb.append(" @ ").append(BigDecimal.valueOf(ts, 3).toPlainString());
        } else if (startOrEnd == AtModifier.START) {
            sb.append(" @ start()");
        } else if (startOrEnd == AtModifier.END) {
            sb.append(" @ end()");
        }
        if (offset > 0) {
            sb.append(" offset ").append(formatDuration(offset));
        } else if (offset < 0) {
            sb.append(" offset -").append(formatDuration(-offset));
        }
    }

    private static final long[] UNIT_MILLIS = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000,
            3600L * 1000, 60L * 1000, 1000L, 1L};
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

    /**
     * Formats a non-negative millisecond duration like Prometheus's {@code model.Duration}: {@code 1h30m},
     * {@code 90d} (years and weeks only when they divide evenly), {@code 0s} for zero.
     */
    public static String formatDuration(long millis) {
        if (millis == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        long ms = millis;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            long mult = UNIT_MILLIS[i];
            if (i < 2 && ms % mult != 0) continue;
            long v = ms / mult;
            if (v > 0) {
                sb.append(v).append(UNIT_NAMES[i]);
                ms -= v * mult;
            }
        }
        return sb.toString();
    }

    /**
     * Formats a float as Go's {@code fmt.Sprint} does: shortest representation that round-trips, exponent form
     * below 1e-4 and at or above 1e6 ({@code 1e+06}), {@code +Inf}, {@code -Inf}, {@code NaN}.
     */
    public static String formatNumber(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        // Java's Double.toString gives the shortest round-tripping digits (JDK 19+; close enough before).
        BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        StringBuilder sb = new StringBuilder();
        if (v < 0) sb.append('-');
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) sb.append('0');
            sb.append(ae);
        } else {
            sb.append(bd.abs().toPlainString());
        }
        return sb.toString();
    }
}
