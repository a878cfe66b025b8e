package io.tsdb4j.promql.engine;

import java.util.Arrays;

/** Quantile estimation: over plain values ({@code quantile}, {@code quantile_over_time}) and over classic
 * histogram buckets ({@code histogram_quantile}). */
final class Quantiles {
    private Quantiles() {}

    /** Sorts ascending with NaNs first, as Prometheus's value ordering does. Sorts {@code values} in place. */
    static void sortNaNFirst(double[] values, int n) {
        int nan = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                double tmp = values[nan];
                values[nan] = values[i];
                values[i] = tmp;
                nan++;
            }
        }
        Arrays.sort(values, nan, n);
    }

    /** The q-quantile of the values (linear interpolation between closest ranks). Sorts {@code values}. */
    static double quantile(double q, double[] values) {
        int len = values.length;
        if (len == 0 || Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortNaNFirst(values, len);
        double n = len;
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
    }

    /**
     * The q-quantile from cumulative bucket counts: {@code upperBounds[i]} with {@code counts[i]} observations at
     * or below it. Buckets are sorted, equal bounds merged and counts forced monotonic (they can dip when the
     * buckets were scraped at slightly different moments). Modifies the arrays.
     */
    static double bucketQuantile(double q, double[] upperBounds, double[] counts, int n) {
        if (Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortBuckets(upperBounds, counts, n);
        if (upperBounds[n - 1] != Double.POSITIVE_INFINITY) return Double.NaN;
        // Coalesce buckets with the same upper bound.
        int w = 0;
        double lastUb = upperBounds[0], lastCount = counts[0];
        for (int i = 1; i < n; i++) {
            if (upperBounds[i] == lastUb) {
                lastCount += counts[i];
            } else {
                upperBounds[w] = lastUb;
                counts[w] = lastCount;
                w++;
                lastUb = upperBounds[i];
                lastCount = counts[i];
            }
        }
        upperBounds[w] = lastUb;
        counts[w] = lastCount;
        n = w + 1;
        // Ensure monotonic counts.
        double max = counts[0];
        for (int i = 1; i < n; i++) {
            if (counts[i] > max) max = counts[i];
            else if (counts[i] < max) counts[i] = max;
        }
        if (n < 2) return Double.NaN;
        double observations = counts[n - 1];
        if (observations == 0) return Double.NaN;
        double rank = q * observations;
        // First bucket (among all but the last) whose count reaches the rank.
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (counts[mid] >= rank) hi = mid;
            else lo = mid + 1;
        }
        int b = lo;
        if (b == n - 1) return upperBounds[n - 2];
        if (b == 0 && upperBounds[0] <= 0) return upperBounds[0];
        double bucketStart = 0;
        double bucketEnd = upperBounds[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = upperBounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    private static void sortBuckets(double[] ub, double[] c, int n) {
        // Insertion sort: bucket counts per histogram are small and usually already sorted.
        for (int i = 1; i < n; i++) {
            double u = ub[i], cc = c[i];
            int j = i - 1;
            while (j >= 0 && u < ub[j]) {
                ub[j + 1] = ub[j];
                c[j + 1] = c[j];
                j--;
            }
            ub[j + 1] = u;
            c[j + 1] = cc;
        }
    }
}
