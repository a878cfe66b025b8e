package io.tsdb4j.promql.engine;

import java.math.BigDecimal;
import java.util.Locale;

/** Number formatting and parsing that matches Go's strconv/fmt, for messages and labels Prometheus produces. */
final class GoFormat {
    private GoFormat() {}

    /** Go's {@code %f}: six decimals. */
    static String fixed6(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return String.format(Locale.ROOT, "%.6f", v);
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest exact decimal without exponent. */
    static String formatFloatF(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** Go's {@code %v} / {@code strconv.FormatFloat(v, 'g', -1, 64)}. */
    static String formatFloatG(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 21) {
            String digits = bd.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (v < 0) sb.append('-');
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) sb.append('0');
            sb.append(ae);
            return sb.toString();
        }
        return bd.toPlainString();
    }

    /**
     * Go's {@code strconv.ParseFloat(s, 64)}: decimal or hex floats, {@code Inf}/{@code Infinity}/{@code NaN} in
     * any case with an optional sign, underscores only between digits of prefixed forms (not accepted here).
     * Returns null when the text is not a number.
     */
    static Double parseFloat(String s) {
        if (s.isEmpty()) return null;
        String body = s;
        boolean neg = false;
        if (body.charAt(0) == '+' || body.charAt(0) == '-') {
            neg = body.charAt(0) == '-';
            body = body.substring(1);
        }
        String lower = body.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) return (s.charAt(0) == '+' || s.charAt(0) == '-') ? null : Double.NaN;
        if (body.isEmpty()) return null;
        boolean hex = lower.startsWith("0x");
        for (int i = 0; i < body.length(); i++) {
            char c = lower.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '+' || c == '-'
                    || (hex && ((c >= 'a' && c <= 'f') || c == 'x' || c == 'p'));
            if (!ok) return null;
        }
        try {
            if (hex) {
                String h = lower.contains("p") ? lower : lower + "p0";
                double d = Double.parseDouble(h);
                return neg ? -d : d;
            }
            double d = Double.parseDouble(body);
            return neg ? -d : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
