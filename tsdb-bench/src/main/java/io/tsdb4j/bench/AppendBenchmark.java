package io.tsdb4j.bench;

import io.tsdb4j.Appender;
import io.tsdb4j.CommitResult;
import io.tsdb4j.SyncPolicy;
import io.tsdb4j.Tsdb;
import io.tsdb4j.TsdbOptions;
import io.tsdb4j.head.HeadStats;
import io.tsdb4j.labels.Labels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded append path of {@link Tsdb}: one invocation is one scrape, a fresh appender holding 1000 samples
 * (one per series, all with the same timestamp) and its commit, as Prometheus commits a scrape. Scores are per
 * sample ({@link OperationsPerInvocation}).
 *
 * <ul>
 *   <li>{@code byRef*}: the fast path {@code append(ref, t, v)} with refs kept from the first scrape.</li>
 *   <li>{@code byLabels*}: {@code append(labels, t, v)} for existing series (same {@link Labels} instances, so the
 *       hash is cached: this measures the lookup, not label parsing).</li>
 *   <li>{@code *2}: two threads, each with its own 1000 series (like promtool's shards), one database.</li>
 *   <li>{@code sync}: {@code NONE} is what Prometheus does (the WAL is written per commit, fsynced at segment
 *       end); {@code COMMIT} fsyncs every commit.</li>
 * </ul>
 *
 * <p>Each iteration opens a fresh database in a temporary directory (deleted afterwards), so the head does not
 * grow across iterations. Timestamps come from one clock shared by the threads, advancing every scrape, so
 * they increase per series and stay within the head's appendable window; the iteration teardown fails the run
 * if the head counted any rejected sample or cut a block (see {@link #STEP_MS}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class AppendBenchmark {
    static final int BATCH = 1000;
    /**
     * Simulated time per scrape. Not 15 s: at ~25k scrapes/s that would put 100 hours of data into the head per
     * second and make it cut blocks continuously (head span > 3h), which is not the append path. 1 ms keeps an
     * iteration well inside one block range; the constant step encodes the same (delta-of-delta 0) either way.
     */
    static final long STEP_MS = 1;

    /** The database shared by all threads, fresh for every iteration. */
    @State(Scope.Benchmark)
    public static class Db {
        @Param({"NONE", "COMMIT"})
        public SyncPolicy sync;

        Path dir;
        Tsdb tsdb;
        final AtomicLong clock = new AtomicLong();

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = BenchDirs.create("tsdb4j-append-bench");
            tsdb = Tsdb.open(dir, TsdbOptions.defaults().withSyncPolicy(sync));
            clock.set(1_700_000_000_000L);
        }

        long nextTimestamp() {
            return clock.addAndGet(STEP_MS);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            HeadStats st = tsdb.headStats();
            long rejected = st.outOfOrderSamples() + st.tooOldSamples() + st.duplicateSamples();
            long cuts = tsdb.headCutsTotal() + tsdb.compactionsTotal();
            tsdb.close();
            BenchDirs.delete(dir);
            if (rejected != 0) throw new IllegalStateException(rejected + " samples were rejected during the iteration");
            if (cuts != 0) throw new IllegalStateException(cuts + " head cuts/compactions ran: this measures more than appending");
        }
    }

    /** One scraper's series: created through the label path in a sanity scrape before each iteration. */
    @State(Scope.Thread)
    public static class Scrape {
        Labels[] labels;
        long[] refs;
        double value;

        @Setup(Level.Iteration)
        public void createSeries(Db db, ThreadParams tp) throws IOException {
            int shard = tp.getThreadIndex();
            labels = new Labels[BATCH];
            refs = new long[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = Labels.of("__name__", "bench_metric_" + (i % 50), "instance", "host-" + shard + ":9100",
                        "job", "node", "series", Integer.toString(i));
            }
            value = 123456789;
            long t = db.nextTimestamp();
            Appender app = db.tsdb.appender();
            for (int i = 0; i < BATCH; i++) refs[i] = app.append(labels[i], t, value);
            CommitResult r = app.commit();
            if (r.accepted() != BATCH || !r.rejected().isEmpty()) {
                throw new IllegalStateException("sanity scrape: " + r.accepted() + " accepted, rejected " + r.rejected());
            }
        }

        double nextValue() {
            return value += 1000;
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public CommitResult byRef(Db db, Scrape s) throws IOException {
        return scrapeByRef(db, s);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public CommitResult byRef2(Db db, Scrape s) throws IOException {
        return scrapeByRef(db, s);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public CommitResult byLabels(Db db, Scrape s) throws IOException {
        return scrapeByLabels(db, s);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public CommitResult byLabels2(Db db, Scrape s) throws IOException {
        return scrapeByLabels(db, s);
    }

    private static CommitResult scrapeByRef(Db db, Scrape s) throws IOException {
        long t = db.nextTimestamp();
        double v = s.nextValue();
        long[] refs = s.refs;
        Appender app = db.tsdb.appender();
        for (int i = 0; i < BATCH; i++) app.append(refs[i], t, v);
        return app.commit();
    }

    private static CommitResult scrapeByLabels(Db db, Scrape s) throws IOException {
        long t = db.nextTimestamp();
        double v = s.nextValue();
        Labels[] labels = s.labels;
        Appender app = db.tsdb.appender();
        for (int i = 0; i < BATCH; i++) app.append(labels[i], t, v);
        return app.commit();
    }
}
