package io.tsdb4j.bench;

import io.tsdb4j.Tsdb;
import io.tsdb4j.promql.engine.Engine;
import io.tsdb4j.promql.engine.QueryResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Range queries over one 2h block of the PromQL workload ({@link BenchWorkload.PromQL}: 10k {@code x} counters,
 * 1k each of {@code y} and {@code z}, 10k {@code h_bucket} series, 15 s samples), 2h at a 15 s step (481 steps); the
 * 3-way join is summed by job, as in {@link QueryCompare}, whose HTTP comparison would otherwise time 150 MB of JSON.
 * evaluated by {@link Engine} in-process. One operation is one whole query; divide {@code gc.alloc.rate.norm}
 * by the samples the query reads (printed by the setup) for bytes per sample.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class PromQLBenchmark {
    @Param({"sum_rate", "hist_quantile", "join3"})
    public String query;

    Path dir;
    Tsdb db;
    Engine engine;
    String text;
    long start;
    long end;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        text = switch (query) {
            case "sum_rate" -> QueryCompare.QUERIES[0];
            case "hist_quantile" -> QueryCompare.QUERIES[1];
            case "join3" -> QueryCompare.QUERIES[2];
            default -> throw new IllegalArgumentException(query);
        };
        dir = BenchDirs.create("tsdb4j-promql-bench");
        start = QueryCompare.gen(dir);
        end = start + BenchWorkload.TWO_HOURS;
        db = Tsdb.openReadOnly(dir);
        engine = new Engine();
        long series = switch (query) {
            case "sum_rate" -> BenchWorkload.PromQL.X;
            case "hist_quantile" -> BenchWorkload.PromQL.H;
            default -> BenchWorkload.PromQL.X + 2L * BenchWorkload.PromQL.INSTANCES;
        };
        long steps = (end - start) / QueryCompare.STEP + 1;
        long stored = series * BenchWorkload.PromQL.SAMPLES_PER_SERIES;
        // rate(...[5m]) sees ~20 samples per series per step; an instant selector one per step
        long evaluated = query.equals("join3") ? series * steps : series * steps * 20;
        System.out.printf("%n%s: %d series, %d stored samples read, %d samples evaluated (window points or steps)%n",
                text, series, stored, evaluated);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
        BenchDirs.delete(dir);
        Files.deleteIfExists(CompactionCompare.info(dir));
    }

    @Benchmark
    public QueryResult rangeQuery() {
        return engine.rangeQuery(db::querier, text, start, end, QueryCompare.STEP);
    }
}
