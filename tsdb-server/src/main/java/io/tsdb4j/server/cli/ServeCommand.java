package io.tsdb4j.server.cli;

import io.tsdb4j.server.ServerConfig;
import io.tsdb4j.server.TsdbServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tsdb4j serve}: runs the server until SIGTERM/SIGINT, then shuts down gracefully (stop accepting, finish
 * in-flight requests within {@code http.shutdown_timeout}, fsync the WAL, close the database). Command-line
 * options override the config file.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP server (Prometheus query API, remote write and remote read).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Data directory (default: data_dir from the config, else ./data).")
    Path dataDir;

    @Option(names = "--listen", description = "host:port to listen on (default: listen from the config, else 127.0.0.1:9201).")
    String listen;

    @Option(names = "--config", description = "Config file (flat 'key: value' YAML subset; see docs/operations.md).")
    Path config;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServerConfig cfg = config == null ? ServerConfig.defaults() : ServerConfig.load(config);
        if (dataDir != null) cfg = cfg.set("data_dir", dataDir.toString());
        if (listen != null) cfg = cfg.set("listen", listen);
        TsdbServer server = TsdbServer.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                System.getLogger(ServeCommand.class.getName()).log(System.Logger.Level.ERROR, "error during shutdown", e);
            } finally {
                stopped.countDown();
            }
        }, "tsdb4j-shutdown"));
        stopped.await();
        return 0;
    }
}
