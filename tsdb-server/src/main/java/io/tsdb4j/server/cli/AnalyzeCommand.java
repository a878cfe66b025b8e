package io.tsdb4j.server.cli;

import io.tsdb4j.Tsdb;
import io.tsdb4j.tools.Analyze;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code tsdb4j analyze}: cardinality and churn of a block, like {@code promtool tsdb analyze}. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Report series, label cardinality and churn of a block (the newest by default), like 'promtool tsdb analyze'.")
final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "Data directory (tsdb4j's or Prometheus's).")
    Path dataDir;

    @Parameters(arity = "0..1", paramLabel = "BLOCK", description = "Block ULID to analyze (default: the newest block, or the head).")
    String block;

    @Option(names = "--limit", defaultValue = "20", description = "How many items to show in each list (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        try (Tsdb db = Tsdb.openReadOnly(dataDir)) {
            Analyze.analyze(db, Optional.ofNullable(block), limit, out);
        }
        out.flush();
        return 0;
    }
}
