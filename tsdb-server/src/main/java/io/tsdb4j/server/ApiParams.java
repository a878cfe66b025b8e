package io.tsdb4j.server;

import io.tsdb4j.promql.parser.PromQLParser;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/** Parsing of API time and duration parameters exactly as Prometheus 2.42's {@code parseTime}/{@code parseDuration}. */
final class ApiParams {
    /** Prometheus's {@code minTime}/{@code maxTime} in milliseconds (the defaults of series and label queries). */
    static final long MIN_TIME = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;
    static final long MAX_TIME = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;
    static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";
    static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

    /** What Go's strconv.ParseFloat accepts (decimal forms; hex floats are not expected here). */
    private static final Pattern GO_FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d[\\d_]*(?:\\.[\\d_]*)?|\\.\\d[\\d_]*)(?:[eE][+-]?\\d+)?|(?i:inf|infinity|nan))");
    private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter();

    private ApiParams() {}

    private static Double goFloat(String s) {
        if (!GO_FLOAT.matcher(s).matches() || s.contains("_")) return null;
        String t = s.toLowerCase(java.util.Locale.ROOT).replace("infinity", "inf");
        if (t.endsWith("inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (t.endsWith("nan")) return Double.NaN;
        return Double.parseDouble(s);
    }

    /**
     * An optional time parameter, as Prometheus's {@code parseTimeParam}: {@code dflt} when absent, else
     * {@link #parseTime}, a bad value answering 400 with "Invalid time value for 'NAME': ...". (The required
     * {@code start}/{@code end} of a range query are reported without that prefix, as Prometheus does.)
     */
    static long timeParam(Request r, String name, long dflt) throws java.io.IOException {
        String s = r.get(name);
        if (s.isEmpty()) return dflt;
        try {
            return parseTime(s);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidParam(name, "Invalid time value for '" + name + "': " + e.getMessage());
        }
    }

    /** Milliseconds since the epoch from unix seconds (float) or RFC 3339; error text as Prometheus's. */
    static long parseTime(String s) {
        Double f = goFloat(s);
        if (f != null) {
            double sec = f < 0 ? Math.ceil(f) : Math.floor(f); // math.Modf
            double frac = f - sec;
            double ms = Math.signum(frac) * Math.floor(Math.abs(frac * 1000) + 0.5); // math.Round(frac*1000)
            return saturatingSecondsToMillis(sec) + (long) ms;
        }
        if (s.equals(MIN_TIME_FORMATTED)) return MIN_TIME;
        if (s.equals(MAX_TIME_FORMATTED)) return MAX_TIME;
        try {
            OffsetDateTime t = OffsetDateTime.parse(s, RFC3339);
            return t.toEpochSecond() * 1000 + t.getNano() / 1_000_000;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid timestamp");
        }
    }

    private static long saturatingSecondsToMillis(double sec) {
        // Go converts with int64(s) (undefined beyond range; in practice saturating on amd64 to MinInt64), then
        // multiplies with wraparound; such timestamps select nothing either way.
        long l = (long) sec;
        return l * 1000;
    }

    /** A duration in nanoseconds from float seconds or a Prometheus duration; error text as Prometheus's. */
    static long parseDurationNanos(String s) {
        Double f = goFloat(s);
        if (f != null) {
            double ns = f * 1e9;
            if (ns > (double) Long.MAX_VALUE || ns < (double) Long.MIN_VALUE || Double.isNaN(ns)) {
                throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid duration. It overflows int64");
            }
            return (long) ns;
        }
        try {
            return new BigDecimal(PromQLParser.parseDuration(s)).multiply(BigDecimal.valueOf(1_000_000)).longValueExact();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid duration");
        }
    }
}
