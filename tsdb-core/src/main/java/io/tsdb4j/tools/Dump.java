package io.tsdb4j.tools;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.Tsdb;
import io.tsdb4j.head.SeriesSnapshot;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.text.GoFloat;

import java.io.IOException;
import java.util.List;

/**
 * Writes every sample of a database in the line format and order of Prometheus 2.42's {@code promtool tsdb
 * dump}: {@code <labels> <value as Go %g> <timestamp ms>}, series in label order (verified against promtool).
 */
public final class Dump {
    private Dump() {}

    public static void dump(Tsdb db, long mint, long maxt, Matcher[] ms, Appendable out) throws IOException {
        List<SeriesSnapshot> series = db.head().select(mint, maxt, ms);
        StringBuilder line = new StringBuilder(256);
        for (SeriesSnapshot s : series) {
            String labels = s.labels().toString();
            SampleIterator it = s.iterator(mint, maxt);
            while (it.next()) {
                line.setLength(0);
                line.append(labels).append(' ').append(GoFloat.formatG(it.v())).append(' ').append(it.t()).append('\n');
                out.append(line);
            }
        }
    }
}
