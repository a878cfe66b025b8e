package io.tsdb4j.index;

import io.tsdb4j.encoding.Utf8;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A naive model of an index's content (sorted series with labels and chunk metas), the writer driven from it, and
 * a canonical dump of everything a reader exposes, built either from a reader or from the model.
 */
final class IndexModel {
    /** One series: name/value pairs sorted by name (UTF-8 order) and (minTime, maxTime, ref) triples. */
    record Series(String[] labels, long[] chunks) {
        int chunkCount() {
            return chunks.length / 3;
        }
    }

    static final Comparator<String[]> LABELS_ORDER = (a, b) -> {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int c = Utf8.compare(a[i], b[i]);
            if (c != 0) return c;
        }
        return Integer.compare(a.length, b.length);
    };

    final List<String> symbols;
    final List<Series> series;
    /** Series ids the writer returned, parallel to {@link #series}. */
    long[] ids;

    /**
     * Sorts and deduplicates label maps into series (the first chunk list wins for duplicates); symbols are every
     * label string, plus "" if {@code withEmptySymbol}.
     */
    IndexModel(List<Map<String, String>> labelMaps, List<long[]> chunkLists, boolean withEmptySymbol) {
        TreeMap<String[], long[]> sorted = new TreeMap<>(LABELS_ORDER);
        TreeSet<String> syms = new TreeSet<>(Utf8.ORDER);
        if (withEmptySymbol) syms.add("");
        for (int i = 0; i < labelMaps.size(); i++) {
            TreeMap<String, String> m = new TreeMap<>(Utf8.ORDER);
            m.putAll(labelMaps.get(i));
            String[] l = new String[m.size() * 2];
            int j = 0;
            for (Map.Entry<String, String> e : m.entrySet()) {
                l[j++] = e.getKey();
                l[j++] = e.getValue();
                syms.add(e.getKey());
                syms.add(e.getValue());
            }
            sorted.putIfAbsent(l, chunkLists.get(i));
        }
        this.symbols = new ArrayList<>(syms);
        this.series = new ArrayList<>();
        sorted.forEach((l, c) -> series.add(new Series(l, c)));
    }

    void write(Path path) throws IOException {
        ids = new long[series.size()];
        try (IndexWriter w = IndexWriter.create(path)) {
            for (String s : symbols) w.addSymbol(s);
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                ids[i] = w.addSeries(s.labels(), s.chunks(), s.chunkCount());
            }
            w.finish();
        }
    }

    /** The dump a correct reader of this model's file produces. */
    String expectedDump() {
        StringBuilder sb = new StringBuilder();
        sb.append("symbols ").append(symbols).append('\n');
        TreeMap<String, TreeMap<String, List<Long>>> post = new TreeMap<>(Utf8.ORDER);
        for (int i = 0; i < series.size(); i++) {
            String[] l = series.get(i).labels();
            for (int j = 0; j < l.length; j += 2) {
                post.computeIfAbsent(l[j], k -> new TreeMap<>(Utf8.ORDER))
                        .computeIfAbsent(l[j + 1], k -> new ArrayList<>()).add(ids[i]);
            }
        }
        sb.append("names ").append(post.keySet()).append('\n');
        for (Map.Entry<String, TreeMap<String, List<Long>>> n : post.entrySet()) {
            sb.append("values ").append(n.getKey()).append(' ').append(n.getValue().keySet()).append('\n');
            for (Map.Entry<String, List<Long>> v : n.getValue().entrySet()) {
                sb.append("postings ").append(n.getKey()).append('=').append(v.getKey()).append(' ')
                        .append(v.getValue()).append('\n');
            }
        }
        sb.append("all ").append(Arrays.toString(ids)).append('\n');
        for (int i = 0; i < series.size(); i++) {
            sb.append("series ").append(ids[i]).append(' ').append(Arrays.toString(series.get(i).labels()))
                    .append(' ').append(Arrays.toString(series.get(i).chunks())).append('\n');
        }
        return sb.toString();
    }

    /** Everything the reader exposes, in the same shape as {@link #expectedDump()}; postings via AssertingPostings. */
    static String dump(IndexReader r) {
        StringBuilder sb = new StringBuilder();
        List<String> syms = new ArrayList<>();
        for (Iterator<String> it = r.symbols(); it.hasNext(); ) syms.add(it.next());
        for (int i = 0; i < syms.size(); i++) {
            if (!syms.get(i).equals(r.symbol(i))) throw new AssertionError("symbol(" + i + ") != iterator");
        }
        sb.append("symbols ").append(syms).append('\n');
        sb.append("names ").append(r.labelNames()).append('\n');
        for (String n : r.labelNames()) {
            List<String> values = r.labelValues(n);
            sb.append("values ").append(n).append(' ').append(values).append('\n');
            for (String v : values) {
                sb.append("postings ").append(n).append('=').append(v).append(' ')
                        .append(Arrays.toString(Postings.toArray(AssertingPostings.wrap(r.postings(n, v)))))
                        .append('\n');
            }
        }
        long[] all = Postings.toArray(AssertingPostings.wrap(r.allPostings()));
        sb.append("all ").append(Arrays.toString(all)).append('\n');
        for (long id : all) {
            List<String> labels = new ArrayList<>();
            List<Long> chunks = new ArrayList<>();
            r.series(id, (n, v) -> {
                labels.add(n);
                labels.add(v);
            }, (mint, maxt, ref) -> {
                chunks.add(mint);
                chunks.add(maxt);
                chunks.add(ref);
            });
            sb.append("series ").append(id).append(' ').append(labels).append(' ').append(chunks).append('\n');
        }
        return sb.toString();
    }
}
