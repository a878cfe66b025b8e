package io.tsdb4j.remote;

import io.tsdb4j.labels.Labels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.Map;

/** Shared jqwik generators: Prometheus-valid label sets with unicode values, bit-level doubles, any timestamps. */
final class Gen {
    private Gen() {
    }

    static final double STALE_NAN = Double.longBitsToDouble(0x7FF0000000000002L);

    static Arbitrary<String> labelName() {
        Arbitrary<String> plain = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars('_').ofLength(1),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9').withChars('_').ofMaxLength(10))
                .as(String::concat);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, plain),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("__name__", "job", "instance", "le", "_")));
    }

    /** Non-empty strings of valid Unicode code points (no lone surrogates), from ASCII to emoji. */
    static Arbitrary<String> labelValue() {
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0x1F)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return cp.list().ofMinSize(1).ofMaxSize(12).map(l -> {
            StringBuilder sb = new StringBuilder();
            for (int c : l) sb.appendCodePoint(c);
            return sb.toString();
        });
    }

    static Arbitrary<Labels> labels(int minSize, int maxSize) {
        return Arbitraries.maps(labelName(), labelValue()).ofMinSize(minSize).ofMaxSize(maxSize).map(Labels::of);
    }

    static Arbitrary<Labels> seriesLabels() {
        return labels(1, 6);
    }

    /** Ordinary values, the special ones, and arbitrary bit patterns (every NaN payload included). */
    static Arbitrary<Double> value() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.doubles()),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0.0, -0.0, 1.0, Double.NaN, STALE_NAN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(Double::longBitsToDouble)));
    }

    static Arbitrary<Long> timestamp() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1_600_000_000_000L, 1_800_000_000_000L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)));
    }

    static Arbitrary<String> anyText() {
        return Arbitraries.oneOf(Arbitraries.just(""), labelValue());
    }

    static boolean sameBits(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    static Map.Entry<String, String> entry(String k, String v) {
        return Map.entry(k, v);
    }
}
