package io.tsdb4j.index;

import java.util.Arrays;

/** A growable int array (series ids while writing). Not thread-safe. */
final class IntList {
    private int[] a;
    private int n;

    IntList(int capacity) {
        a = new int[Math.max(2, capacity)];
    }

    void add(int v) {
        if (n == a.length) a = Arrays.copyOf(a, n + (n >> 1) + 2);
        a[n++] = v;
    }

    int get(int i) {
        return a[i];
    }

    int size() {
        return n;
    }
}
