package io.tsdb4j.tools;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.Series;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.Tsdb;
import io.tsdb4j.block.Block;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reports on one block the way {@code promtool tsdb analyze} does: series and label counts, the label pairs and
 * names most involved in churn (how much of the block's time range their series leave uncovered, in block
 * lengths), the most common label pairs, label names by cumulative value length, and the highest cardinality
 * labels and metric names. Analyzes the newest block by default, or the head if there is no block.
 */
public final class Analyze {
    private Analyze() {}

    public static void analyze(Tsdb db, Optional<String> blockId, int limit, Appendable out) throws IOException {
        List<BlockMeta> blocks = db.blocks();
        BlockMeta meta = null;
        if (blockId.isPresent()) {
            for (BlockMeta m : blocks) if (m.ulid().toString().equals(blockId.get())) meta = m;
            if (meta == null) throw new IOException("no block " + blockId.get() + " in " + db.dir());
        } else if (!blocks.isEmpty()) {
            meta = blocks.get(blocks.size() - 1);
        }
        long mint, maxt;
        String id;
        Block block = null;
        SeriesSet set;
        if (meta != null) {
            block = Block.open(db.dir().resolve(meta.ulid().toString()));
            mint = meta.minTime();
            maxt = meta.maxTime();
            id = meta.ulid().toString();
            set = block.select(mint, maxt - 1);
        } else {
            mint = db.head().minTime();
            maxt = db.head().maxTime() + 1;
            if (mint == Long.MAX_VALUE) {
                out.append("No blocks and an empty head in ").append(db.dir().toString()).append('\n');
                return;
            }
            id = "head";
            set = db.querier(mint, maxt).select();
        }
        try {
            Map<String, Long> pairUncovered = new HashMap<>();
            Map<String, Long> nameUncovered = new HashMap<>();
            Map<String, Long> pairCount = new HashMap<>();
            Map<String, java.util.Set<String>> valuesByName = new HashMap<>();
            Map<String, Long> seriesByMetric = new HashMap<>();
            long series = 0, entries = 0;
            long span = maxt - mint;
            while (set.next()) {
                Series s = set.at();
                SampleIterator it = s.iterator();
                long first = Long.MIN_VALUE, last = Long.MIN_VALUE;
                while (it.next()) {
                    if (first == Long.MIN_VALUE) first = it.t();
                    last = it.t();
                }
                if (first == Long.MIN_VALUE) continue;
                series++;
                long uncovered = span - (last - first);
                Labels l = s.labels();
                for (int i = 0; i < l.size(); i++) {
                    String key = l.name(i) + "=" + l.value(i);
                    nameUncovered.merge(l.name(i), uncovered, Long::sum);
                    pairUncovered.merge(key, uncovered, Long::sum);
                    pairCount.merge(key, 1L, Long::sum);
                    valuesByName.computeIfAbsent(l.name(i), k -> new java.util.HashSet<>()).add(l.value(i));
                    entries++;
                }
                seriesByMetric.merge(l.metricName(), 1L, Long::sum);
            }
            out.append("Block ID: ").append(id).append('\n');
            out.append("Duration: ").append(goDuration(span)).append('\n');
            out.append("Series: ").append(Long.toString(series)).append('\n');
            out.append("Label names: ").append(Integer.toString(valuesByName.size())).append('\n');
            out.append("Postings (unique label pairs): ").append(Integer.toString(pairUncovered.size())).append('\n');
            out.append("Postings entries (total label pairs): ").append(Long.toString(entries)).append('\n');

            section(out, "Label pairs most involved in churning", scaled(pairUncovered, span), limit);
            section(out, "Label names most involved in churning", scaled(nameUncovered, span), limit);
            section(out, "Most common label pairs", pairCount, limit);
            Map<String, Long> lengths = new HashMap<>();
            Map<String, Long> cardinality = new HashMap<>();
            valuesByName.forEach((n, vs) -> {
                long len = 0;
                for (String v : vs) len += v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                lengths.put(n, len);
                cardinality.put(n, (long) vs.size());
            });
            section(out, "Label names with highest cumulative label value length", lengths, limit);
            section(out, "Highest cardinality labels", cardinality, limit);
            seriesByMetric.remove("");
            section(out, "Highest cardinality metric names", seriesByMetric, limit);
        } finally {
            if (block != null) block.close();
        }
    }

    private static Map<String, Long> scaled(Map<String, Long> uncovered, long span) {
        Map<String, Long> out = new HashMap<>();
        uncovered.forEach((k, v) -> out.put(k, span == 0 ? 0 : (long) ((double) v / span)));
        return out;
    }

    private static void section(Appendable out, String title, Map<String, Long> values, int limit) throws IOException {
        out.append('\n').append(title).append(":\n");
        List<Map.Entry<String, Long>> e = new ArrayList<>(values.entrySet());
        e.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < Math.min(limit, e.size()); i++) {
            out.append(Long.toString(e.get(i).getValue())).append(' ').append(e.get(i).getKey()).append('\n');
        }
    }

    /** Go's {@code time.Duration.String()} for a span in milliseconds, e.g. {@code 2h0m0s}, {@code 12m0.001s}. */
    static String goDuration(long ms) {
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        if (ms < 1000) return sb.append(ms).append("ms").toString();
        long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
        if (h > 0) sb.append(h).append('h');
        if (h > 0 || m > 0) sb.append(m).append('m');
        sb.append(s);
        if (frac > 0) {
            String f = String.format("%03d", frac);
            while (f.endsWith("0")) f = f.substring(0, f.length() - 1);
            sb.append('.').append(f);
        }
        return sb.append('s').toString();
    }
}
