package io.tsdb4j.tools;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.Tsdb;
import io.tsdb4j.Querier;
import io.tsdb4j.Series;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.text.GoFloat;

import java.io.IOException;

/**
 * Writes every sample of a database in the line format and order of Prometheus 2.42's {@code promtool tsdb
 * dump}: {@code <labels> <value as Go %g> <timestamp ms>}, series in label order (verified against promtool).
 */
public final class Dump {
    private Dump() {}

    public static void dump(Tsdb db, long mint, long maxt, Matcher[] ms, Appendable out) throws IOException {
        StringBuilder line = new StringBuilder(256);
        try (Querier q = db.querier(mint, maxt)) {
            SeriesSet set = q.select(ms); // no matchers: every series
            while (set.next()) {
                Series s = set.at();
                String labels = s.labels().toString();
                SampleIterator it = s.iterator();
                while (it.next()) {
                    line.setLength(0);
                    line.append(labels).append(' ').append(GoFloat.formatG(it.v())).append(' ').append(it.t()).append('\n');
                    out.append(line);
                }
            }
        }
    }
}
