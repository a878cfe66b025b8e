package io.tsdb4j.block;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.text.GoFloat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A naive model of series data for the block tests: labels to (time to raw value bits), plus random generation
 * of label sets (unicode values included) and values (NaN, the stale marker, infinities).
 */
final class Model {
    static final long STALE = 0x7FF0000000000002L;
    static final String[] NAMES = {"__name__", "a", "instance", "job", "le", "zz_last"};
    static final String[] VALUES = {"x", "y", "up", "http_requests_total", "\u00fc\u00f1\u00ee", "\uD83D\uDE00",
            "\uE000", "a b", "\"q\"", "\\", "0", "1", "\u4e2d\u6587"};

    final TreeMap<Labels, TreeMap<Long, Long>> series = new TreeMap<>();

    Model copy() {
        Model m = new Model();
        series.forEach((k, v) -> m.series.put(k, new TreeMap<>(v)));
        return m;
    }

    static Labels randomLabels(Random r) {
        while (true) {
            List<String> kv = new ArrayList<>();
            for (String n : NAMES) {
                // __name__ is absent sometimes: such series exist in real data.
                if (r.nextInt(3) == 0) continue;
                kv.add(n);
                kv.add(r.nextInt(5) == 0 ? VALUES[r.nextInt(VALUES.length)] + r.nextInt(3) : VALUES[r.nextInt(VALUES.length)]);
            }
            if (!kv.isEmpty()) return Labels.of(kv.toArray(new String[0]));
        }
    }

    static double randomValue(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> Double.longBitsToDouble(STALE);
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> Double.NEGATIVE_INFINITY;
            case 4 -> -0.0;
            case 5 -> r.nextInt(100);
            default -> r.nextGaussian() * 1000;
        };
    }

    /** Random series with strictly increasing times in [mint, maxt). */
    static Model random(Random r, int maxSeries, long mint, long maxt, int maxSamples) {
        Model m = new Model();
        int n = 1 + r.nextInt(maxSeries);
        for (int i = 0; i < n; i++) {
            TreeMap<Long, Long> s = new TreeMap<>();
            int k = 1 + r.nextInt(maxSamples);
            for (int j = 0; j < k; j++) {
                long t = mint + (long) (r.nextDouble() * (maxt - mint));
                s.put(Math.min(t, maxt - 1), Double.doubleToRawLongBits(randomValue(r)));
            }
            m.series.put(randomLabels(r), s);
        }
        return m;
    }

    /** The model cut into chunks of random sizes (1..maxPerChunk samples). */
    List<BlockWriter.SeriesData> toSeriesData(Random r, int maxPerChunk) {
        List<BlockWriter.SeriesData> out = new ArrayList<>();
        for (Map.Entry<Labels, TreeMap<Long, Long>> e : series.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            List<ChunkData> chunks = new ArrayList<>();
            XorChunk c = null;
            int limit = 0;
            for (Map.Entry<Long, Long> s : e.getValue().entrySet()) {
                if (c == null) {
                    c = new XorChunk();
                    limit = 1 + r.nextInt(maxPerChunk);
                }
                c.append(s.getKey(), Double.longBitsToDouble(s.getValue()));
                if (c.numSamples() == limit) {
                    chunks.add(ChunkData.of(c));
                    c = null;
                }
            }
            if (c != null) chunks.add(ChunkData.of(c));
            out.add(new BlockWriter.SeriesData(e.getKey(), chunks));
        }
        return out;
    }

    /** Series matching all matchers with their samples in [mint, maxt]; series left empty are dropped. */
    Model select(long mint, long maxt, Matcher... ms) {
        Model m = new Model();
        for (Map.Entry<Labels, TreeMap<Long, Long>> e : series.entrySet()) {
            if (!matches(e.getKey(), ms)) continue;
            TreeMap<Long, Long> sub = new TreeMap<>(e.getValue().subMap(mint, true, maxt, true));
            if (!sub.isEmpty()) m.series.put(e.getKey(), sub);
        }
        return m;
    }

    static boolean matches(Labels l, Matcher... ms) {
        for (Matcher m : ms) if (!m.matches(l.get(m.name()))) return false;
        return true;
    }

    /** Removes samples in [mint, maxt] of matching series. */
    void delete(long mint, long maxt, Matcher... ms) {
        for (Map.Entry<Labels, TreeMap<Long, Long>> e : series.entrySet()) {
            if (matches(e.getKey(), ms)) e.getValue().subMap(mint, true, maxt, true).clear();
        }
        series.values().removeIf(TreeMap::isEmpty);
    }

    /** Adds samples of another model; on equal timestamps this model's sample stays. */
    void mergeFrom(Model o) {
        o.series.forEach((k, v) -> {
            TreeMap<Long, Long> s = series.computeIfAbsent(k, x -> new TreeMap<>());
            v.forEach(s::putIfAbsent);
        });
    }

    /** Reads a series set fully into a model, checking order of series and samples on the way. */
    static Model of(SeriesSet set) {
        Model m = new Model();
        Labels prev = null;
        while (set.next()) {
            Labels l = set.at().labels();
            if (prev != null && prev.compareTo(l) >= 0) throw new AssertionError("series not sorted: " + prev + " then " + l);
            prev = l;
            TreeMap<Long, Long> s = new TreeMap<>();
            SampleIterator it = set.at().iterator();
            long last = Long.MIN_VALUE;
            boolean first = true;
            while (it.next()) {
                if (!first && it.t() <= last) throw new AssertionError("samples not increasing in " + l + ": " + last + " then " + it.t());
                first = false;
                last = it.t();
                s.put(it.t(), Double.doubleToRawLongBits(it.v()));
            }
            m.series.put(l, s);
        }
        return m;
    }

    /** promtool dump lines: {@code labels value time}, sorted by labels then time. */
    List<String> dumpLines() {
        List<String> out = new ArrayList<>();
        series.forEach((l, s) -> s.forEach((t, v) -> out.add(l + " " + GoFloat.formatG(Double.longBitsToDouble(v)) + " " + t)));
        return out;
    }

    long numSamples() {
        return series.values().stream().mapToLong(Map::size).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model m && m.series.equals(series);
    }

    @Override
    public int hashCode() {
        return series.hashCode();
    }

    @Override
    public String toString() {
        return series.toString();
    }
}
