package io.tsdb4j;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A querier sees the data of its moment, also when the head is cut into a block while it is open. */
class QuerierIsolationTest {
    @TempDir
    Path dir;

    @Test
    void aHeadCutWhileAQuerierIsOpenHidesNothingFromIt() throws Exception {
        TsdbOptions opts = TsdbOptions.defaults().withBlockRange(Duration.ofMillis(200)).withBackgroundCompaction(false);
        try (Tsdb db = Tsdb.open(dir, opts)) {
            Labels l = Labels.of("__name__", "x");
            for (long t = 1; t <= 1000; t++) {
                Appender app = db.appender();
                app.append(l, t, t);
                app.commit();
            }
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                db.compact(); // cuts the head into blocks and truncates it while q is open
                assertEquals(1000, count(q));
            }
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertEquals(1000, count(q));
            }
        }
    }

    private static int count(Querier q) {
        int n = 0;
        SeriesSet set = q.select(Matcher.equal("__name__", "x"));
        while (set.next()) {
            SampleIterator it = set.at().iterator();
            while (it.next()) n++;
        }
        return n;
    }
}
