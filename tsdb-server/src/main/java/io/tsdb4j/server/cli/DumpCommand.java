package io.tsdb4j.server.cli;

import io.tsdb4j.Tsdb;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.promql.parser.PromQLParser;
import io.tsdb4j.tools.Dump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Prints every sample of a data directory in the line format and order of Prometheus 2.42's
 * {@code promtool tsdb dump}: {@code <labels> <value %g> <timestamp ms>}, so the two outputs can be diffed.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print the samples of a data directory, like 'promtool tsdb dump'.")
final class DumpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "Data directory (tsdb4j's or Prometheus's).")
    Path dataDir;

    @Option(names = "--min-time", description = "Minimum timestamp (ms) to dump.", defaultValue = "" + Long.MIN_VALUE)
    long minTime;

    @Option(names = "--max-time", description = "Maximum timestamp (ms) to dump.", defaultValue = "" + Long.MAX_VALUE)
    long maxTime;

    @Option(names = "--match", description = "Series selector, e.g. '{job=\"api\"}' (default: all series).")
    String match;

    @Override
    public Integer call() throws IOException {
        Matcher[] ms = match == null ? new Matcher[0] : PromQLParser.parseMetricSelector(match).toArray(new Matcher[0]);
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        try (Tsdb db = Tsdb.openReadOnly(dataDir)) {
            Dump.dump(db, minTime, maxTime, ms, out);
        }
        out.flush();
        return 0;
    }
}
