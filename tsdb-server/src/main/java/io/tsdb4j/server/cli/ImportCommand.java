package io.tsdb4j.server.cli;

import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.tools.OpenMetricsImport;
import io.tsdb4j.tools.OpenMetricsParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code tsdb4j import openmetrics FILE --data-dir DIR}: backfill into blocks. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Backfill data into blocks.",
        subcommands = ImportCommand.OpenMetrics.class)
final class ImportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing format: openmetrics");
    }

    @Command(name = "openmetrics", mixinStandardHelpOptions = true,
            description = "Import an OpenMetrics text file (timestamps in seconds, ending with '# EOF') into blocks, "
                    + "like 'promtool tsdb create-blocks-from openmetrics'. The file is validated first: a bad line is "
                    + "reported with its number and nothing is written.")
    static final class OpenMetrics implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "OpenMetrics text file.")
        Path file;

        @Option(names = "--data-dir", required = true, description = "Data directory to write blocks into.")
        Path dataDir;

        @Option(names = "--block-duration", defaultValue = "2h", description = "Block span, e.g. 2h (default ${DEFAULT-VALUE}).")
        String blockDuration;

        @Override
        public Integer call() throws IOException {
            long duration = io.tsdb4j.promql.parser.PromQLParser.parseDuration(blockDuration);
            long size = Files.size(file);
            boolean tty = System.console() != null;
            long start = System.nanoTime();
            OpenMetricsImport.Result r;
            try {
                r = OpenMetricsImport.run(file, dataDir, duration, done -> {
                    if (tty) {
                        int pct = (int) Math.min(100, done * 100 / Math.max(1, 2 * size));
                        String bar = "#".repeat(pct / 4) + " ".repeat(25 - pct / 4);
                        System.err.print("\r[" + bar + "] " + pct + "%");
                    }
                });
            } catch (OpenMetricsParser.ParseError e) {
                if (tty) System.err.println();
                System.err.println("tsdb4j import: " + file + ": " + e.getMessage() + " (nothing was written)");
                return 1;
            }
            if (tty) System.err.println();
            double secs = (System.nanoTime() - start) / 1e9;
            long bytes = 0;
            for (BlockMeta m : r.blocks()) bytes += dirSize(dataDir.resolve(m.ulid().toString()));
            System.out.printf(Locale.ROOT, "imported %d samples of %d series into %d block(s) (%d..%d ms, %.1f MB) in %.1f s%n",
                    r.samples(), r.series(), r.blocks().size(), r.minTime(), r.maxTime(), bytes / 1e6, secs);
            return 0;
        }

        private static long dirSize(Path d) throws IOException {
            try (var s = Files.walk(d)) {
                return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        }
    }
}
