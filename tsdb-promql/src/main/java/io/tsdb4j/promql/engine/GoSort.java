package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;

/**
 * Sorts parallel label/value arrays the way Go's {@code sort.Sort} does for short inputs (insertion sort, which
 * is what pdqsort uses up to 12 elements), so that the order of equal elements matches Prometheus. Longer inputs
 * use a stable merge sort.
 */
final class GoSort {
    @FunctionalInterface
    interface Less {
        boolean less(double[] values, int i, int j);
    }

    private GoSort() {}

    static void sort(Labels[] labels, double[] values, int n, Less less) {
        if (n <= 12) {
            for (int i = 1; i < n; i++) {
                for (int j = i; j > 0 && less.less(values, j, j - 1); j--) {
                    swap(labels, values, j, j - 1);
                }
            }
            return;
        }
        // Stable merge sort on an index permutation (never relies on the order being consistent, so NaN
        // comparisons cannot break it).
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        double[] vals = values.clone();
        mergeSort(idx, new int[n], 0, n, vals, less);
        Labels[] l2 = new Labels[n];
        for (int i = 0; i < n; i++) {
            l2[i] = labels[idx[i]];
            values[i] = vals[idx[i]];
        }
        System.arraycopy(l2, 0, labels, 0, n);
    }

    private static void mergeSort(int[] a, int[] tmp, int lo, int hi, double[] vals, Less less) {
        if (hi - lo < 2) return;
        int mid = (lo + hi) >>> 1;
        mergeSort(a, tmp, lo, mid, vals, less);
        mergeSort(a, tmp, mid, hi, vals, less);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            // Take from the right only when it is strictly less, keeping equal elements in order.
            if (lessIdx(vals, a[j], a[i], less)) tmp[k++] = a[j++];
            else tmp[k++] = a[i++];
        }
        while (i < mid) tmp[k++] = a[i++];
        while (j < hi) tmp[k++] = a[j++];
        System.arraycopy(tmp, lo, a, lo, hi - lo);
    }

    private static boolean lessIdx(double[] vals, int x, int y, Less less) {
        return less.less(vals, x, y);
    }

    private static void swap(Labels[] l, double[] v, int i, int j) {
        Labels tl = l[i];
        l[i] = l[j];
        l[j] = tl;
        double tv = v[i];
        v[i] = v[j];
        v[j] = tv;
    }
}
