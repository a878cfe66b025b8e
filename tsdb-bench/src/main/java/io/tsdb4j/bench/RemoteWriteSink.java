package io.tsdb4j.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * A trivial remote-write endpoint for measuring {@link RemoteWriteBench}'s own ceiling: reads and discards the
 * body of {@code POST /api/v1/write} and answers 204 (no decoding, no storage); {@code /-/ready} answers 200.
 * Same HTTP stack as the tsdb4j server (the JDK's {@link HttpServer}), so it also shows what that stack costs.
 *
 * <p>Usage: {@code RemoteWriteSink HOST PORT}. Runs until killed.
 */
public final class RemoteWriteSink {
    private RemoteWriteSink() {}

    public static void main(String[] args) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 1024);
        http.setExecutor(Executors.newFixedThreadPool(32));
        http.createContext("/", RemoteWriteSink::handle);
        http.start();
    }

    private static void handle(HttpExchange ex) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = ex.getRequestBody()) {
            while (in.read(buf) >= 0) {
                // discard
            }
        }
        String path = ex.getRequestURI().getPath();
        if (path.equals("/api/v1/write")) {
            ex.sendResponseHeaders(204, -1);
        } else if (path.equals("/-/ready") || path.equals("/-/healthy")) {
            byte[] ok = "ok\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
        } else {
            ex.sendResponseHeaders(404, -1);
        }
        ex.close();
    }
}
