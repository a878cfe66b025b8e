package io.tsdb4j.bench;

import io.tsdb4j.head.RoaringPostings;

import io.tsdb4j.index.Postings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Postings algebra ({@link Postings#intersect}, {@link Postings#merge}, {@link Postings#without}) over sorted
 * {@code int[]} lists ({@link Postings#of(int[], int)}, what a sorted-array head index would hand out), against
 * the same algebra over RoaringBitmap iterators (what the head's package-private {@code HeadPostings} hands out;
 * the head's {@link RoaringPostings} adapter, used here), and against Roaring's own bitmap operations. Scores are per
 * query (ns/op), counting every result.
 *
 * <p>Lists: {@code big} 1M refs, {@code mid} 100k, {@code small} 10k, and ten lists of 10k for the merge, drawn
 * at random from the head's reference space 1..U (head refs are dense). {@code density=dense}: U = 1.25M (the
 * 1M list holds 80% of all series, as {@code job="node"} might); {@code sparse}: U = 16M (1M list at 6%).
 *
 * <p>The setup of {@code iterate1MArray} prints the memory of each list: 4 bytes/ref for an exact {@code int[]} against Roaring's
 * {@code getSizeInBytes} and the heap bytes actually allocated to build the bitmap (object headers included),
 * also for the 1-, 10- and 100-ref lists that dominate a head index with high-cardinality labels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class PostingsBenchmark {
    @Param({"dense", "sparse"})
    public String density;

    int[] big, mid, small;
    int[][] ten = new int[10][];
    RoaringBitmap bigBm, midBm, smallBm;
    RoaringBitmap[] tenBm = new RoaringBitmap[10];

    @Setup
    public void generate(BenchmarkParams params) {
        int universe = "dense".equals(density) ? 1_250_000 : 16_000_000;
        SplittableRandom rnd = new SplittableRandom(11);
        big = sample(rnd, universe, 1_000_000);
        mid = sample(rnd, universe, 100_000);
        small = sample(rnd, universe, 10_000);
        for (int i = 0; i < ten.length; i++) ten[i] = sample(rnd, universe, 10_000);
        bigBm = RoaringBitmap.bitmapOf(big);
        midBm = RoaringBitmap.bitmapOf(mid);
        smallBm = RoaringBitmap.bitmapOf(small);
        for (int i = 0; i < ten.length; i++) tenBm[i] = RoaringBitmap.bitmapOf(ten[i]);

        // The two representations must agree before we time them.
        check(Postings.intersect(Postings.of(big, big.length), Postings.of(small, small.length)),
                RoaringBitmap.and(bigBm, smallBm), "intersect");
        check(Postings.intersect(new RoaringPostings(bigBm), new RoaringPostings(smallBm)),
                RoaringBitmap.and(bigBm, smallBm), "roaring intersect");
        check(Postings.without(new RoaringPostings(bigBm), Postings.of(small, small.length)),
                RoaringBitmap.andNot(bigBm, smallBm), "without");

        if (!params.getBenchmark().endsWith(".iterate1MArray")) return; // print the memory table once per density
        System.out.printf(Locale.ROOT, "%nmemory, density=%s (universe %d):%n", density, universe);
        reportMemory("1M", big);
        reportMemory("100k", mid);
        reportMemory("10k", small);
        for (int n : new int[] {1, 10, 100}) {
            int[] tiny = sample(rnd, universe, n);
            reportMemory(Integer.toString(n), tiny);
        }
    }

    // ---- intersections ----

    @Benchmark
    public long intersect2Arrays() {
        return count(Postings.intersect(Postings.of(big, big.length), Postings.of(small, small.length)));
    }

    @Benchmark
    public long intersect2Roaring() {
        return count(Postings.intersect(new RoaringPostings(bigBm), new RoaringPostings(smallBm)));
    }

    @Benchmark
    public long intersect2RoaringAnd() {
        return RoaringBitmap.andCardinality(bigBm, smallBm);
    }

    @Benchmark
    public long intersect3Arrays() {
        return count(Postings.intersect(Postings.of(big, big.length), Postings.of(mid, mid.length),
                Postings.of(small, small.length)));
    }

    @Benchmark
    public long intersect3Roaring() {
        return count(Postings.intersect(new RoaringPostings(bigBm), new RoaringPostings(midBm),
                new RoaringPostings(smallBm)));
    }

    // ---- union of ten 10k lists ----

    @Benchmark
    public long merge10Arrays() {
        Postings[] ps = new Postings[ten.length];
        for (int i = 0; i < ps.length; i++) ps[i] = Postings.of(ten[i], ten[i].length);
        return count(Postings.merge(ps));
    }

    @Benchmark
    public long merge10Roaring() {
        Postings[] ps = new Postings[tenBm.length];
        for (int i = 0; i < ps.length; i++) ps[i] = new RoaringPostings(tenBm[i]);
        return count(Postings.merge(ps));
    }

    @Benchmark
    public long merge10RoaringOr() {
        return FastAggregation.or(tenBm).getLongCardinality();
    }

    // ---- difference: 1M without 10k ----

    @Benchmark
    public long withoutArrays() {
        return count(Postings.without(Postings.of(big, big.length), Postings.of(small, small.length)));
    }

    @Benchmark
    public long withoutRoaring() {
        return count(Postings.without(new RoaringPostings(bigBm), new RoaringPostings(smallBm)));
    }

    // ---- plain iteration of the 1M list ----

    @Benchmark
    public long iterate1MArray() {
        return count(Postings.of(big, big.length));
    }

    @Benchmark
    public long iterate1MRoaring() {
        return count(new RoaringPostings(bigBm));
    }

    // ---- helpers ----

    private static long count(Postings p) {
        long n = 0;
        long sum = 0;
        while (p.next()) {
            n++;
            sum += p.at();
        }
        return n + sum;
    }

    /** {@code n} distinct refs in [1, universe], sorted. */
    private static int[] sample(SplittableRandom rnd, int universe, int n) {
        if (n > universe / 2) {
            // Dense: drop refs at random until n are left (an exact count without a huge rejection loop).
            boolean[] drop = new boolean[universe + 1];
            int left = universe;
            while (left > n) {
                int r = rnd.nextInt(1, universe + 1);
                if (!drop[r]) {
                    drop[r] = true;
                    left--;
                }
            }
            int[] out = new int[n];
            int j = 0;
            for (int r = 1; r <= universe; r++) if (!drop[r]) out[j++] = r;
            return out;
        }
        RoaringBitmap seen = new RoaringBitmap();
        while (seen.getCardinality() < n) seen.add(rnd.nextInt(1, universe + 1));
        return seen.toArray();
    }

    private static void check(Postings p, RoaringBitmap want, String what) {
        int[] w = want.toArray();
        int i = 0;
        while (p.next()) {
            if (i >= w.length || p.at() != w[i]) throw new IllegalStateException(what + " differs at " + i);
            i++;
        }
        if (i != w.length) throw new IllegalStateException(what + ": " + i + " results, wanted " + w.length);
    }

    private static void reportMemory(String name, int[] refs) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // Built by adds in increasing order, as the head adds new series; copies of the refs are kept outside the
        // measurement so only the bitmap's own allocation counts (including garbage from container growth).
        int reps = refs.length >= 100_000 ? 1 : 1000;
        RoaringBitmap[] keep = new RoaringBitmap[reps];
        long before = mx.getThreadAllocatedBytes(tid);
        for (int r = 0; r < reps; r++) {
            RoaringBitmap bm = new RoaringBitmap();
            for (int ref : refs) bm.add(ref);
            keep[r] = bm;
        }
        double heapPerRef = (double) (mx.getThreadAllocatedBytes(tid) - before) / reps / refs.length;
        RoaringBitmap bm = keep[0];
        double sizePerRef = (double) bm.getSizeInBytes() / refs.length;
        bm.runOptimize();
        double runPerRef = (double) bm.getSizeInBytes() / refs.length;
        double arrayPerRef = (double) ((16 + 4L * refs.length + 7) & ~7L) / refs.length; // exact int[]: header, 8-byte alignment
        System.out.printf(Locale.ROOT,
                "  %7s refs: exact int[] %.2f B/ref | Roaring getSizeInBytes %.2f B/ref (%.2f after runOptimize), heap allocated building it by ascending add() %.2f B/ref%n",
                name, arrayPerRef, sizePerRef, runPerRef, heapPerRef);
        Arrays.fill(keep, null);
    }
}
