package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;

import java.util.HashMap;
import java.util.Map;

/**
 * Canonical grouping keys and matching signatures for one operator. Keys are computed once per input series;
 * interning makes equal label sets one {@link Key} instance with a dense id, so the per-step work (every series
 * at every step) compares by identity or indexes an array instead of hashing and comparing label sets.
 */
final class KeyInterner {
    /** A canonical label set; equality is identity. */
    static final class Key {
        final Labels labels;
        final int id;

        private Key(Labels labels, int id) {
            this.labels = labels;
            this.id = id;
        }
    }

    private final Map<Labels, Key> keys = new HashMap<>();

    Key intern(Labels labels) {
        Key k = keys.get(labels);
        if (k == null) {
            k = new Key(labels, keys.size());
            keys.put(labels, k);
        }
        return k;
    }
}
