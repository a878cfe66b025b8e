package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;

import java.util.IdentityHashMap;

/**
 * Drops {@code __name__} from label sets, remembering the result per input instance: the same input series
 * appears at every step with the same {@link Labels} object, so each is rewritten once per query instead of once
 * per step. One per call site; not thread-safe.
 */
final class NameDropper {
    private final IdentityHashMap<Labels, Labels> cache = new IdentityHashMap<>();

    Labels drop(Labels l) {
        Labels r = cache.get(l);
        if (r == null) {
            r = l.withoutMetricName();
            cache.put(l, r);
        }
        return r;
    }
}
