package io.tsdb4j.bench;

import io.tsdb4j.chunk.XorChunk;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * XOR chunk encoding and decoding of one full chunk (120 samples, Prometheus's target) of realistic data: a 15 s
 * scrape interval with up to ±2 ms of jitter, and either a counter (integer increments of varying size) or a
 * gauge (a float wandering around a level, two decimals). Scores are per sample.
 *
 * <p>Encoding includes creating the chunk, as the head does once per chunk ({@link XorChunk} has no reset):
 * {@code encode} with the default 128-byte array (grows by doubling), {@code encodePresized} sized like the head's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class ChunkBenchmark {
    static final int N = XorChunk.SAMPLES_PER_CHUNK;

    @Param({"counter", "gauge"})
    public String kind;

    long[] ts;
    double[] vs;
    byte[] encoded;
    final XorChunk.Iterator it = new XorChunk.Iterator();

    @Setup
    public void generate() {
        SplittableRandom rnd = new SplittableRandom(42);
        ts = new long[N];
        vs = new double[N];
        long t = 1_700_000_000_000L;
        double v = "counter".equals(kind) ? 1_234_567 : 0.5;
        for (int i = 0; i < N; i++) {
            ts[i] = t + i * 15_000L + rnd.nextLong(-2, 3);
            if ("counter".equals(kind)) {
                v += rnd.nextInt(0, 400); // requests per scrape, sometimes none
            } else {
                v = Math.round((0.5 + 0.3 * Math.sin(i / 10.0) + rnd.nextDouble(-0.05, 0.05)) * 100) / 100.0;
            }
            vs[i] = v;
        }
        XorChunk c = encode();
        encoded = c.bytes();
        int n = 0;
        for (XorChunk.Iterator i = XorChunk.iterator(encoded, N); i.next(); n++) {
            if (i.t() != ts[n] || Double.doubleToRawLongBits(i.v()) != Double.doubleToRawLongBits(vs[n])) {
                throw new IllegalStateException("round trip differs at sample " + n);
            }
        }
        if (n != N) throw new IllegalStateException("decoded " + n + " samples, wanted " + N);
        System.out.printf(Locale.ROOT, "%n%s chunk: %d bytes, %.2f bytes/sample%n", kind, encoded.length, (double) encoded.length / N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public XorChunk encode() {
        return fill(new XorChunk());
    }

    /** As the head cuts chunks: sized from the previous chunk (size + 1/8 + 16 bytes), so it never grows. */
    @Benchmark
    @OperationsPerInvocation(N)
    public XorChunk encodePresized() {
        return fill(new XorChunk(encoded.length + (encoded.length >> 3) + 16));
    }

    private XorChunk fill(XorChunk c) {
        long[] t = ts;
        double[] v = vs;
        for (int i = 0; i < N; i++) c.append(t[i], v[i]);
        return c;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double decode() {
        XorChunk.Iterator i = it.reset(encoded, 0, N);
        long st = 0;
        double sv = 0;
        while (i.next()) {
            st += i.t();
            sv += i.v();
        }
        return st + sv;
    }
}
