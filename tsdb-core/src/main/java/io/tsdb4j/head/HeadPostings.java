package io.tsdb4j.head;

import io.tsdb4j.index.Postings;
import io.tsdb4j.labels.Labels;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The head's inverted index: label name → value → {@link RefList} of series references (a sorted array while
 * small, a RoaringBitmap when large: measured in docs/benchmarks.md), plus the all-series bitmap.
 *
 * <p>Mutated by applying commits (one at a time: {@link Head#index} synchronizes on it) or with the head held
 * exclusively; read while the head is held for reading, which excludes both.
 */
final class HeadPostings {
    private final Map<String, Map<String, RefList>> index = new HashMap<>();
    private final RoaringBitmap all = new RoaringBitmap();

    void add(long ref, Labels labels) {
        int id = (int) ref;
        all.add(id);
        // Plain get and put rather than computeIfAbsent with lambdas: series are created first thing in an
        // ingest, when every lambda still has to be linked and every extra method compiled.
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i), value = labels.value(i);
            Map<String, RefList> values = index.get(name);
            if (values == null) index.put(name, values = new HashMap<>());
            RefList refs = values.get(value);
            if (refs == null) values.put(value, refs = new RefList());
            refs.add(id);
        }
    }

    void remove(long ref, Labels labels) {
        int id = (int) ref;
        all.remove(id);
        for (int i = 0; i < labels.size(); i++) {
            Map<String, RefList> values = index.get(labels.name(i));
            if (values == null) continue;
            RefList bm = values.get(labels.value(i));
            if (bm == null) continue;
            bm.remove(id);
            if (bm.isEmpty()) {
                values.remove(labels.value(i));
                if (values.isEmpty()) index.remove(labels.name(i));
            }
        }
    }

    Postings all() {
        return of(all);
    }

    Postings postings(String name, String value) {
        Map<String, RefList> values = index.get(name);
        if (values == null) return Postings.EMPTY;
        RefList list = values.get(value);
        return list == null ? Postings.EMPTY : list.postings();
    }

    List<String> labelNames() {
        List<String> out = new ArrayList<>(index.keySet());
        out.sort(Labels::compareUtf8);
        return out;
    }

    List<String> labelValues(String name) {
        Map<String, RefList> values = index.get(name);
        if (values == null) return List.of();
        List<String> out = new ArrayList<>(values.keySet());
        out.sort(Labels::compareUtf8);
        return out;
    }

    int numLabelPairs() {
        int n = 0;
        for (Map<String, RefList> v : index.values()) n += v.size();
        return n;
    }

    /** Cardinality of each label name's value set and series count per name (for status pages). */
    Map<String, Integer> seriesCountByName() {
        Map<String, Integer> out = new HashMap<>();
        for (Map.Entry<String, Map<String, RefList>> e : index.entrySet()) {
            long n = 0;
            for (RefList bm : e.getValue().values()) n += bm.cardinality();
            out.put(e.getKey(), (int) n);
        }
        return out;
    }

    Map<String, Map<String, RefList>> raw() {
        return index;
    }

    long sizeInBytes() {
        long n = all.getLongSizeInBytes();
        for (Map<String, RefList> v : index.values()) for (RefList bm : v.values()) n += bm.sizeInBytes();
        return n;
    }

    static Postings of(RoaringBitmap bm) {
        return new RoaringPostings(bm);
    }
}
