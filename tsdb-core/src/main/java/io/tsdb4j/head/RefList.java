package io.tsdb4j.head;

import io.tsdb4j.index.Postings;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;

/**
 * One head postings list: a sorted {@code int[]} while small, a RoaringBitmap once it holds more than
 * {@link #ARRAY_MAX} refs. Measured (docs/benchmarks.md): most head lists are tiny (one series per
 * high-cardinality value), where a bitmap costs ~6× an array, while big lists intersect 2–3× faster and take a
 * fraction of the bytes as bitmaps. Mutated and read as {@link HeadPostings} is.
 */
final class RefList {
    static final int ARRAY_MAX = 4096;

    private int[] refs = new int[2];
    private int n;
    private RoaringBitmap bitmap;

    void add(int ref) {
        if (bitmap != null) {
            bitmap.add(ref);
            return;
        }
        if (n > 0 && Integer.compareUnsigned(ref, refs[n - 1]) <= 0) {
            int i = Arrays.binarySearch(refs, 0, n, ref);
            if (i >= 0) return;
            insertAt(-i - 1, ref);
        } else {
            insertAt(n, ref);
        }
        if (n > ARRAY_MAX) {
            bitmap = RoaringBitmap.bitmapOf(Arrays.copyOf(refs, n));
            refs = null;
            n = 0;
        }
    }

    private void insertAt(int i, int ref) {
        if (n == refs.length) refs = Arrays.copyOf(refs, n + Math.max(2, n >> 1));
        System.arraycopy(refs, i, refs, i + 1, n - i);
        refs[i] = ref;
        n++;
    }

    void remove(int ref) {
        if (bitmap != null) {
            bitmap.remove(ref);
            return;
        }
        int i = Arrays.binarySearch(refs, 0, n, ref);
        if (i < 0) return;
        System.arraycopy(refs, i + 1, refs, i, n - i - 1);
        n--;
    }

    boolean isEmpty() {
        return bitmap != null ? bitmap.isEmpty() : n == 0;
    }

    long cardinality() {
        return bitmap != null ? bitmap.getLongCardinality() : n;
    }

    long sizeInBytes() {
        return bitmap != null ? bitmap.getLongSizeInBytes() : 16 + 4L * refs.length;
    }

    /** Postings over the current content; valid while the head is held for reading. */
    Postings postings() {
        return bitmap != null ? new RoaringPostings(bitmap) : Postings.of(refs, n);
    }
}
