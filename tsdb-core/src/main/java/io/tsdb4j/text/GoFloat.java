package io.tsdb4j.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's float formatting, so our text output can be diffed against Prometheus's: {@code %g} (promtool dump) and
 * {@code strconv.FormatFloat(v, 'f', -1, 64)} (the HTTP API's sample values). Both use the shortest decimal that
 * reads back to the same double.
 */
public final class GoFloat {
    private GoFloat() {}

    /** Shortest round-tripping decimal digits and the decimal point position: value = 0.DIGITS × 10^point. */
    private record Decimal(String digits, int point) {}

    private static Decimal shortest(double v) {
        // abs(v) is finite and non-zero here. The answer is the smallest precision p whose correctly rounded
        // p-digit decimal reads back as v. Double.toString's digit count n is (nearly always) that p, so check
        // n-1 and n first and search from 1 only if that guess is wrong: two roundings instead of up to 17.
        double a = Math.abs(v);
        BigDecimal exact = new BigDecimal(a);
        int n = significantDigits(Double.toString(a));
        if (n > 1 && round(exact, n - 1).doubleValue() != a) {
            BigDecimal r = round(exact, n);
            if (r.doubleValue() == a) return decimal(r);
        }
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = round(exact, p);
            if (r.doubleValue() == a) return decimal(r);
        }
        throw new AssertionError("no round-tripping decimal for " + v);
    }

    private static BigDecimal round(BigDecimal exact, int digits) {
        return exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
    }

    private static Decimal decimal(BigDecimal r) {
        BigDecimal s = r.stripTrailingZeros();
        String digits = s.unscaledValue().toString();
        return new Decimal(digits, digits.length() - s.scale());
    }

    /** Significant digits of Double.toString's output ("123.45", "1.0E-5", "0.00123"). */
    private static int significantDigits(String s) {
        int end = s.indexOf('E');
        if (end < 0) end = s.length();
        int first = -1, last = -1;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c >= '1' && c <= '9') {
                if (first < 0) first = i;
                last = i;
            }
        }
        if (first < 0) return 1;
        int n = last - first + 1;
        int dot = s.indexOf('.');
        if (dot > first && dot < last) n--; // the point sits between significant digits
        return n;
    }

    /** Go's {@code fmt.Sprintf("%g", v)}. */
    public static String formatG(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        Decimal d = shortest(v);
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) sb.append('-');
        int exp = d.point - 1;
        // Go: with the shortest precision, %e is chosen when the exponent is < -4 or >= 6.
        if (exp < -4 || exp >= 6) return eFormat(sb, d, exp);
        return fFormat(sb, d);
    }

    private static String eFormat(StringBuilder sb, Decimal d, int exp) {
        sb.append(d.digits.charAt(0));
        if (d.digits.length() > 1) sb.append('.').append(d.digits, 1, d.digits.length());
        sb.append('e').append(exp < 0 ? '-' : '+');
        int ae = Math.abs(exp);
        if (ae < 10) sb.append('0');
        sb.append(ae);
        return sb.toString();
    }

    private static String fFormat(StringBuilder sb, Decimal d) {
        String digits = d.digits;
        int point = d.point;
        if (point <= 0) {
            sb.append("0.");
            for (int i = 0; i < -point; i++) sb.append('0');
            sb.append(digits);
        } else if (point >= digits.length()) {
            sb.append(digits);
            for (int i = digits.length(); i < point; i++) sb.append('0');
        } else {
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return sb.toString();
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: never an exponent. */
    public static String formatF(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        Decimal d = shortest(v);
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) sb.append('-');
        return fFormat(sb, d);
    }
}
