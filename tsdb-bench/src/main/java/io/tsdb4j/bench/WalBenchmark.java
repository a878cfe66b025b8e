package io.tsdb4j.bench;

import io.tsdb4j.encoding.Encbuf;
import io.tsdb4j.record.RecordEncoder;
import io.tsdb4j.wal.Wal;
import io.tsdb4j.wal.WalOptions;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The WAL write path of a commit: a samples record of 1000 samples (one scrape: refs 1..1000, one timestamp,
 * counter values) encoded with {@link RecordEncoder#samples} into a reused {@link Encbuf}, and logged with
 * {@link Wal#log(byte[], int, int)} (written to the OS, no fsync), with and without Snappy compression. Scores
 * are per sample; the log step alone is {@code encodeAndLog} minus {@code encode}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class WalBenchmark {
    static final int BATCH = 1000;

    /** One scrape's samples and a reused encoding buffer. */
    @State(Scope.Thread)
    public static class Scrape {
        final long[] refs = new long[BATCH];
        final long[] ts = new long[BATCH];
        final double[] vs = new double[BATCH];
        final Encbuf buf = new Encbuf(16 * 1024);
        long t = 1_700_000_000_000L;

        @Setup
        public void generate() {
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < BATCH; i++) {
                refs[i] = i + 1;
                ts[i] = t;
                vs[i] = rnd.nextInt(0, 10_000_000);
            }
            encode();
        }

        /** Advances the scrape (next timestamp, counters grow) and encodes its record into {@link #buf}. */
        Encbuf encode() {
            t += 15_000;
            for (int i = 0; i < BATCH; i++) {
                ts[i] = t;
                vs[i] += (i & 15) * 3;
            }
            buf.reset();
            RecordEncoder.samples(buf, refs, ts, vs, BATCH);
            return buf;
        }
    }

    /** A WAL in a fresh temporary directory per iteration (deleted afterwards). */
    @State(Scope.Thread)
    public static class Log {
        @Param({"false", "true"})
        public boolean compress;

        Path dir;
        Wal wal;
        long records;

        @Setup(Level.Iteration)
        public void open() throws IOException {
            dir = BenchDirs.create("tsdb4j-wal-bench");
            wal = Wal.open(dir, WalOptions.defaults().withCompress(compress));
            records = 0;
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            long bytes = wal.position();
            wal.close();
            BenchDirs.delete(dir);
            System.out.printf(Locale.ROOT, "  [compress=%s: %.2f WAL bytes/sample]", compress, (double) bytes / (records * BATCH));
        }
    }

    /** The encode step alone: 1000 samples into a reused buffer. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encode(Scrape s) {
        return s.encode().len();
    }

    /** What a commit does to the WAL: encode the scrape's record, then log it (written to the OS, no fsync). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long encodeAndLog(Scrape s, Log l) throws IOException {
        Encbuf b = s.encode();
        l.records++;
        return l.wal.log(b.array(), 0, b.len());
    }
}
