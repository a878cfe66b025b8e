package io.tsdb4j.labels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by name, without duplicate names or empty values: the identity of a series.
 *
 * <p>Label names follow Prometheus's rule {@code [a-zA-Z_][a-zA-Z0-9_]*}. Label values are any string; an empty
 * value means "no such label" and is dropped, as in Prometheus. Ordering of label sets ({@link #compareTo}) and
 * of values is by UTF-8 bytes, as Go compares strings, so indexes sort the way Prometheus sorts them.
 *
 * <p>{@link #hash()} is a stable 64-bit hash (the same across processes and versions of this class' format):
 * it is safe to persist.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    /** name0, value0, name1, value1, ... sorted by name. */
    private final String[] kv;
    private long hash;
    private boolean hashed;

    private Labels(String[] kv) {
        this.kv = kv;
    }

    /** Builds a label set from name/value pairs in any order; validates names, rejects duplicates, drops empty values. */
    public static Labels of(String... nameValuePairs) {
        if ((nameValuePairs.length & 1) != 0) {
            throw new InvalidLabelsException("odd number of arguments: label names and values come in pairs");
        }
        return fromPairs(nameValuePairs.clone());
    }

    public static Labels of(Map<String, String> map) {
        String[] kv = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        return fromPairs(kv);
    }

    /** Takes ownership of {@code kv} (name/value pairs in any order). */
    static Labels fromPairs(String[] kv) {
        int n = kv.length / 2;
        for (int i = 0; i < n; i++) {
            String name = kv[2 * i];
            if (name == null || kv[2 * i + 1] == null) throw new InvalidLabelsException("null label name or value");
            if (!isValidName(name)) throw new InvalidLabelsException("invalid label name \"" + name + "\"");
        }
        sortPairs(kv, n);
        int out = 0;
        for (int i = 0; i < n; i++) {
            String name = kv[2 * i];
            String value = kv[2 * i + 1];
            if (i > 0 && name.equals(kv[2 * (i - 1)])) {
                throw new InvalidLabelsException("duplicate label name \"" + name + "\"");
            }
            if (value.isEmpty()) continue;
            kv[out++] = name;
            kv[out++] = value;
        }
        return new Labels(out == kv.length ? kv : Arrays.copyOf(kv, out));
    }

    /**
     * Wraps pairs already sorted by name, valid, unique and without empty values (decoders of trusted formats
     * use this after checking). Throws if the order is wrong, so a corrupt file cannot create an unsorted set.
     */
    public static Labels fromSortedPairs(String[] kv) {
        for (int i = 2; i < kv.length; i += 2) {
            if (kv[i - 2].compareTo(kv[i]) >= 0) {
                throw new InvalidLabelsException("labels not sorted or duplicated at \"" + kv[i] + "\"");
            }
        }
        return new Labels(kv);
    }

    private static void sortPairs(String[] kv, int n) {
        // Insertion sort: label sets are small (typically < 20) and often already sorted.
        for (int i = 1; i < n; i++) {
            String kn = kv[2 * i], kvv = kv[2 * i + 1];
            int j = i - 1;
            while (j >= 0 && kv[2 * j].compareTo(kn) > 0) {
                kv[2 * (j + 1)] = kv[2 * j];
                kv[2 * (j + 1) + 1] = kv[2 * j + 1];
                j--;
            }
            kv[2 * (j + 1)] = kn;
            kv[2 * (j + 1) + 1] = kvv;
        }
    }

    /** Prometheus's label name rule: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static boolean isValidName(String name) {
        int n = name.length();
        if (n == 0) return false;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** Prometheus's metric name rule: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    public static boolean isValidMetricName(String name) {
        int n = name.length();
        if (n == 0) return false;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return kv.length / 2;
    }

    public boolean isEmpty() {
        return kv.length == 0;
    }

    public String name(int i) {
        return kv[2 * i];
    }

    public String value(int i) {
        return kv[2 * i + 1];
    }

    /** The value of {@code name}, or {@code ""} if absent (Prometheus semantics: absent equals empty). */
    public String get(String name) {
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = kv[2 * mid].compareTo(name);
            if (c == 0) return kv[2 * mid + 1];
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return "";
    }

    public boolean has(String name) {
        return !get(name).isEmpty();
    }

    public String metricName() {
        return get(METRIC_NAME);
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < kv.length; i += 2) action.accept(kv[i], kv[i + 1]);
    }

    /** A copy of the name/value pairs, sorted by name. */
    public String[] toPairs() {
        return kv.clone();
    }

    public List<String> names() {
        List<String> out = new ArrayList<>(size());
        for (int i = 0; i < kv.length; i += 2) out.add(kv[i]);
        return out;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < kv.length; i += 2) b.set(kv[i], kv[i + 1]);
        return b;
    }

    /** This set without the given names. */
    public Labels without(Collection<String> names) {
        Builder b = toBuilder();
        for (String n : names) b.delete(n);
        return b.build();
    }

    /** This set with only the given names. */
    public Labels keep(Collection<String> names) {
        Builder b = new Builder();
        for (int i = 0; i < kv.length; i += 2) if (names.contains(kv[i])) b.set(kv[i], kv[i + 1]);
        return b.build();
    }

    public Labels withoutMetricName() {
        if (!has(METRIC_NAME)) return this;
        return without(List.of(METRIC_NAME));
    }

    /**
     * Stable 64-bit hash: xxHash64 (seed 0) of the UTF-8 bytes of {@code name 0xFF value 0xFF ...}, the byte
     * sequence Prometheus hashes. Cached.
     */
    public long hash() {
        if (!hashed) {
            hash = XxHash64.hashLabels(kv);
            hashed = true;
        }
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Labels)) return false;
        Labels other = (Labels) o;
        return (!hashed || !other.hashed || hash == other.hash) && Arrays.equals(kv, other.kv);
    }

    @Override
    public int hashCode() {
        long h = hash();
        return (int) (h ^ (h >>> 32));
    }

    /** Prometheus's order: label by label, name then value, by UTF-8 bytes; a prefix sorts first. */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(kv.length, o.kv.length);
        for (int i = 0; i < n; i++) {
            int c = compareUtf8(kv[i], o.kv[i]);
            if (c != 0) return c;
        }
        return Integer.compare(kv.length, o.kv.length);
    }

    /**
     * Compares strings as Go does: by UTF-8 bytes, unsigned. Equal to {@link String#compareTo} except when a
     * supplementary character meets a character in U+E000..U+FFFF.
     */
    public static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i), cb = b.charAt(i);
            if (ca != cb) {
                // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, which sort after U+E000..U+FFFF in UTF-8.
                boolean sa = Character.isSurrogate(ca), sb = Character.isSurrogate(cb);
                if (sa != sb) {
                    if (sa) return cb >= 0xE000 ? 1 : Character.compare(ca, cb);
                    return ca >= 0xE000 ? -1 : Character.compare(ca, cb);
                }
                return Character.compare(ca, cb);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** {@code {a="b", c="d"}} exactly as Prometheus's {@code Labels.String()} (Go-quoted values). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kv.length * 8 + 2).append('{');
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) sb.append(", ");
            sb.append(kv[i]).append('=');
            GoQuote.quoteTo(sb, kv[i + 1]);
        }
        return sb.append('}').toString();
    }

    /** Total UTF-8 bytes of names and values (for memory accounting and limits). */
    public int byteSize() {
        int n = 0;
        for (String s : kv) n += s.getBytes(StandardCharsets.UTF_8).length;
        return n;
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private final ArrayList<String> pairs = new ArrayList<>();

        public Builder set(String name, String value) {
            for (int i = 0; i < pairs.size(); i += 2) {
                if (pairs.get(i).equals(name)) {
                    pairs.set(i + 1, value);
                    return this;
                }
            }
            pairs.add(name);
            pairs.add(value);
            return this;
        }

        public Builder delete(String name) {
            for (int i = 0; i < pairs.size(); i += 2) {
                if (pairs.get(i).equals(name)) {
                    pairs.remove(i + 1);
                    pairs.remove(i);
                    return this;
                }
            }
            return this;
        }

        public String get(String name) {
            for (int i = 0; i < pairs.size(); i += 2) if (pairs.get(i).equals(name)) return pairs.get(i + 1);
            return "";
        }

        public Labels build() {
            return fromPairs(pairs.toArray(new String[0]));
        }
    }
}
