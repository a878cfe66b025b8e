package io.tsdb4j;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for reading whole results in tests. */
public final class TestUtil {
    private TestUtil() {}

    public record Sample(long t, double v) {}

    /** All series (labels → samples) a querier returns for the matchers, in result order. */
    public static Map<Labels, List<Sample>> read(Querier q, Matcher... ms) {
        Map<Labels, List<Sample>> out = new LinkedHashMap<>();
        SeriesSet set = q.select(ms);
        while (set.next()) {
            Series s = set.at();
            List<Sample> samples = new ArrayList<>();
            SampleIterator it = s.iterator();
            while (it.next()) samples.add(new Sample(it.t(), it.v()));
            out.put(s.labels(), samples);
        }
        return out;
    }

    public static Map<Labels, List<Sample>> readAll(Tsdb db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return read(q, Matcher.regex("__name__", ".+"));
        }
    }
}
