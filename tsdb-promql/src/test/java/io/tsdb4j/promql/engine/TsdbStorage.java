package io.tsdb4j.promql.engine;

import io.tsdb4j.Appender;
import io.tsdb4j.CommitResult;
import io.tsdb4j.Querier;
import io.tsdb4j.Tsdb;
import io.tsdb4j.TsdbOptions;
import io.tsdb4j.SyncPolicy;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real database as test storage: each load block is one appender and one commit, like Prometheus's own
 * harness. Like Prometheus's {@code teststorage}, the block range is 24h so that sequential loads of long
 * series stay inside the head's appendable window.
 */
final class TsdbStorage implements TestStorage {
    private final Path dir;
    private final Tsdb db;

    TsdbStorage() {
        try {
            dir = Files.createTempDirectory("promql-conformance");
            db = Tsdb.open(dir, TsdbOptions.defaults().withBlockRange(Duration.ofHours(24)).withSyncPolicy(SyncPolicy.NONE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void load(Map<Labels, List<double[]>> block) {
        Appender app = db.appender();
        for (Map.Entry<Labels, List<double[]>> e : block.entrySet()) {
            for (double[] s : e.getValue()) app.append(e.getKey(), (long) s[0], s[1]);
        }
        try {
            CommitResult r = app.commit();
            if (!r.rejected().isEmpty()) throw new IllegalStateException("load rejected samples: " + r.rejected());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Querier querier(long minT, long maxT) {
        return db.querier(minT, maxT);
    }

    @Override
    public void close() {
        try {
            db.close();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
