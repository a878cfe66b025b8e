package io.tsdb4j.promql.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionsTest {
    @Test
    void quantileInterpolatesAndPutsNaNFirst() {
        assertEquals(2.5, Quantiles.quantile(0.5, new double[] {4, 1, 3, 2}));
        assertEquals(Double.NEGATIVE_INFINITY, Quantiles.quantile(-1, new double[] {1}));
        assertEquals(Double.POSITIVE_INFINITY, Quantiles.quantile(2, new double[] {1}));
        assertTrue(Double.isNaN(Quantiles.quantile(0, new double[] {1, Double.NaN})));
    }

    @Test
    void bucketQuantileFixesNonMonotonicBuckets() {
        // Counts dip at le=2 (scrape skew); they are treated as 5.
        double q = Quantiles.bucketQuantile(0.5, new double[] {1, 2, 4, Double.POSITIVE_INFINITY},
                new double[] {5, 4, 10, 10}, 4);
        assertEquals(1.0, q);
        assertTrue(Double.isNaN(Quantiles.bucketQuantile(0.5, new double[] {1, 2}, new double[] {1, 2}, 2)));
        // Rank beyond the last finite bucket: its upper bound.
        assertEquals(4.0, Quantiles.bucketQuantile(0.99, new double[] {Double.POSITIVE_INFINITY, 4},
                new double[] {10, 5}, 2));
    }

    @Test
    void extrapolatedRateMatchesPrometheus() {
        Window w = new Window();
        for (int i = 0; i <= 5; i++) w.add(i * 60_000L, i * 10.0);
        w.rangeStart = 0;
        w.rangeEnd = 300_000;
        w.rangeMillis = 300_000;
        // Samples cover the whole window: no extrapolation beyond it.
        assertEquals(50.0, RangeFunctions.extrapolatedRate(w, true, false), 1e-9);
        assertEquals(50.0 / 300, RangeFunctions.extrapolatedRate(w, true, true), 1e-12);
    }

    @Test
    void goTemplateExpansion() {
        InstantFunctions.GoRegex re = new InstantFunctions.GoRegex("(a+)(?P<rest>.*)");
        assertEquals("aa-bc", re.replace("aabc", "$1-$rest"));
        assertEquals("", re.replace("aabc", "$1x"));
        assertEquals("aax", re.replace("aabc", "${1}x"));
        assertEquals("$1", re.replace("aabc", "$$1"));
        assertNull(re.replace("bc", "$1"));
    }

    @Test
    void goNumberFormatting() {
        assertEquals("1", GoFormat.formatFloatF(1.0));
        assertEquals("0.1", GoFormat.formatFloatF(0.1));
        assertEquals("+Inf", GoFormat.formatFloatF(Double.POSITIVE_INFINITY));
        assertEquals("100000000000000000000", GoFormat.formatFloatF(1e20));
        assertEquals("1e+21", GoFormat.formatFloatG(1e21));
        assertEquals(Double.POSITIVE_INFINITY, GoFormat.parseFloat("+Inf"));
        assertNull(GoFormat.parseFloat("1 "));
        assertNull(GoFormat.parseFloat("abc"));
    }

    @Test
    void goPowDiffersFromJavaOnEdges() {
        assertEquals(1.0, Operators.pow(1, Double.NaN));
        assertEquals(1.0, Operators.pow(-1, Double.POSITIVE_INFINITY));
        assertEquals(8.0, Operators.pow(2, 3));
    }
}
