package io.tsdb4j.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tsdb4j.Tsdb;
import io.tsdb4j.TsdbOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tsdb4j HTTP server: Prometheus 2.42's query API, remote write and remote read, {@code /metrics}, health and
 * admin endpoints, on the JDK's built-in {@link HttpServer} (or {@link HttpsServer} with TLS) with a fixed pool of
 * {@code http.threads} handler threads.
 *
 * <p>{@link #close()} shuts down gracefully: it stops accepting connections, lets in-flight requests finish within
 * {@code http.shutdown_timeout}, fsyncs the WAL and closes the database (when the server opened it). Thread-safe.
 */
public final class TsdbServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TsdbServer.class.getName());
    private static final Pattern LABEL_VALUES = Pattern.compile("/api/v1/label/([^/]+)/values");
    private static final Pattern TENANT_WRITE = Pattern.compile("/api/([^/]+)/prometheus/api/v1/write");
    private static final Pattern ADMIN = Pattern.compile("/api/v1/admin/tsdb/([a-z_]+)");

    static {
        // The JDK server writes headers and body in separate packets; with Nagle's algorithm against the client's
        // delayed ACKs every response stalls ~40 ms. Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final ServerConfig cfg;
    private final Tsdb db;
    private final boolean ownsDb;
    private final HttpServer http;
    private final ThreadPoolExecutor executor;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Auth auth;
    private final QueryApi queryApi;
    private final RemoteWriteHandler writeHandler;
    private final RemoteReadHandler readHandler;
    private final AdminApi adminApi;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean ready;
    private volatile boolean draining;
    private boolean closed;

    private TsdbServer(ServerConfig cfg, Tsdb db, boolean ownsDb) throws IOException {
        this.cfg = cfg;
        this.db = db;
        this.ownsDb = ownsDb;
        MetadataStore metadata = new MetadataStore();
        this.auth = new Auth(cfg);
        this.queryApi = new QueryApi(db, cfg, metrics, metadata);
        this.writeHandler = new RemoteWriteHandler(db, cfg, metrics, metadata);
        this.readHandler = new RemoteReadHandler(db, cfg);
        this.adminApi = new AdminApi(db, cfg.adminEnabled());
        InetSocketAddress addr = new InetSocketAddress(cfg.listenHost(), cfg.listenPort());
        if (cfg.tlsEnabled()) {
            HttpsServer https = HttpsServer.create(addr, 1024);
            try {
                https.setHttpsConfigurator(new HttpsConfigurator(Tls.context(cfg)));
            } catch (GeneralSecurityException e) {
                https.stop(0);
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
            this.http = https;
        } else {
            this.http = HttpServer.create(addr, 1024);
        }
        AtomicInteger n = new AtomicInteger();
        int threads = cfg.httpThreads();
        // Bounded threads and queue; when both are full the dispatcher thread runs the request itself, which
        // stops it accepting more until a slot frees: back-pressure instead of unbounded memory.
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4 * threads),
                r -> {
                    Thread t = new Thread(r, "tsdb4j-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        http.setExecutor(executor);
        http.createContext("/", this::handle);
    }

    /** Opens the database in {@code cfg.dataDir()} and starts serving; {@link #close()} closes both. */
    public static TsdbServer start(ServerConfig cfg) throws IOException {
        TsdbOptions opts = TsdbOptions.defaults().withSyncPolicy(cfg.syncPolicy()).withSyncInterval(cfg.syncInterval())
                .withRetention(cfg.retention());
        Tsdb db = Tsdb.open(cfg.dataDir(), opts);
        try {
            return startOn(cfg, db, true);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Serves an already open database, which {@link #close()} syncs but leaves open (for embedding and tests). */
    public static TsdbServer start(ServerConfig cfg, Tsdb db) throws IOException {
        return startOn(cfg, db, false);
    }

    private static TsdbServer startOn(ServerConfig cfg, Tsdb db, boolean owns) throws IOException {
        TsdbServer s = new TsdbServer(cfg, db, owns);
        s.http.start();
        s.ready = true;
        LOG.log(System.Logger.Level.INFO, "tsdb4j listening on {0}, data dir {1}", s.url(), db.dir().toAbsolutePath().normalize());
        return s;
    }

    /** The bound address (the real port when {@code listen} asked for port 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://host:port} or {@code https://host:port}. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "0.0.0.0" : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return (cfg.tlsEnabled() ? "https://" : "http://") + host + ":" + a.getPort();
    }

    public Tsdb db() {
        return db;
    }

    private void handle(HttpExchange ex) {
        String handler = "other";
        inFlight.incrementAndGet();
        try {
            Request r = new Request(ex);
            handler = handlerName(r.path);
            if (draining) {
                ex.getResponseHeaders().set("Connection", "close");
                ex.getResponseHeaders().set("Retry-After", "1");
                Responses.text(ex, 503, "shutting down\n");
                return;
            }
            if (!r.path.equals("/-/healthy") && !r.path.equals("/-/ready") && !auth.allows(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", auth.challenge());
                Responses.text(ex, 401, "Unauthorized\n");
                return;
            }
            route(r);
        } catch (ApiError e) {
            try {
                Responses.error(ex, e);
            } catch (IOException | RuntimeException sendFailed) {
                LOG.log(System.Logger.Level.DEBUG, "cannot send error response", sendFailed);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "I/O error serving " + ex.getRequestURI(), e);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "internal error serving " + ex.getRequestURI(), e);
            try {
                if (ex.getResponseCode() < 0) Responses.error(ex, new ApiError("internal", e.toString()));
            } catch (IOException | RuntimeException sendFailed) {
                LOG.log(System.Logger.Level.DEBUG, "cannot send error response", sendFailed);
            }
        } finally {
            metrics.httpRequest(handler, ex.getResponseCode());
            ex.close();
            inFlight.decrementAndGet();
        }
    }

    private static String handlerName(String path) {
        if (LABEL_VALUES.matcher(path).matches()) return "/api/v1/label/:name/values";
        if (TENANT_WRITE.matcher(path).matches() && !path.equals("/api/v1/write")) return "/api/:org/prometheus/api/v1/write";
        switch (path) {
            case "/-/healthy": case "/-/ready": case "/metrics": case "/api/v1/write": case "/api/v1/read":
            case "/api/v1/query": case "/api/v1/query_range": case "/api/v1/series": case "/api/v1/labels":
            case "/api/v1/metadata": case "/api/v1/status/tsdb": case "/api/v1/status/buildinfo":
            case "/api/v1/status/runtimeinfo": case "/api/v1/status/config": case "/api/v1/status/flags":
            case "/api/v1/admin/tsdb/delete_series": case "/api/v1/admin/tsdb/clean_tombstones":
            case "/api/v1/admin/tsdb/snapshot": case "/api/v1/query_exemplars": case "/api/v1/rules": case "/api/v1/alerts":
                return path;
            default:
                return "other";
        }
    }

    private static String refusingWrites(IOException failure) {
        return "tsdb4j refuses writes after a storage failure, restart it (the WAL replays what it holds): "
                + failure.getMessage() + (failure.getCause() != null ? ": " + failure.getCause().getMessage() : "") + "\n";
    }

    private void route(Request r) throws IOException {
        String p = r.path;
        switch (p) {
            case "/-/healthy": {
                // After a storage failure the database refuses writes until a restart: say so to liveness probes.
                java.util.Optional<IOException> failed = db.writeFailure();
                if (failed.isEmpty()) Responses.text(r.exchange, 200, "tsdb4j is Healthy.\n");
                else Responses.text(r.exchange, 503, refusingWrites(failed.get()));
                return;
            }
            case "/-/ready": {
                java.util.Optional<IOException> failed = db.writeFailure();
                if (!ready) Responses.text(r.exchange, 503, "Service Unavailable\n");
                else if (failed.isPresent()) Responses.text(r.exchange, 503, refusingWrites(failed.get()));
                else Responses.text(r.exchange, 200, "tsdb4j is Ready.\n");
                return;
            }
            case "/metrics":
                get(r);
                Responses.send(r.exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render(db, writeHandler.inFlight()).getBytes(StandardCharsets.UTF_8));
                return;
            case "/api/v1/write":
                writeHandler.handle(r, null);
                return;
            case "/api/v1/read":
                readHandler.handle(r);
                return;
            case "/api/v1/query": getOrPost(r); queryApi.query(r); return;
            case "/api/v1/query_range": getOrPost(r); queryApi.queryRange(r); return;
            case "/api/v1/series": getOrPost(r); queryApi.series(r); return;
            case "/api/v1/labels": getOrPost(r); queryApi.labelNames(r); return;
            case "/api/v1/metadata": get(r); queryApi.metadata(r); return;
            case "/api/v1/status/tsdb": get(r); queryApi.statusTsdb(r); return;
            case "/api/v1/status/buildinfo": get(r); queryApi.buildInfo(r); return;
            case "/api/v1/status/runtimeinfo": get(r); queryApi.runtimeInfo(r); return;
            case "/api/v1/status/config": get(r); queryApi.config(r); return;
            case "/api/v1/status/flags": get(r); queryApi.flags(r); return;
            // We keep no exemplars, rules or alerts; Grafana asks for them, so answer like an empty Prometheus.
            case "/api/v1/query_exemplars":
                getOrPost(r);
                Responses.success(r.exchange, g -> {
                    g.writeStartArray();
                    g.writeEndArray();
                });
                return;
            case "/api/v1/rules": get(r); Responses.success(r.exchange, g -> emptyListObject(g, "groups")); return;
            case "/api/v1/alerts": get(r); Responses.success(r.exchange, g -> emptyListObject(g, "alerts")); return;
            default:
                break;
        }
        Matcher m = LABEL_VALUES.matcher(p);
        if (m.matches()) {
            get(r);
            queryApi.labelValues(r, decode(m.group(1)));
            return;
        }
        m = ADMIN.matcher(p);
        if (m.matches()) {
            adminApi.handle(r, m.group(1));
            return;
        }
        m = TENANT_WRITE.matcher(p);
        if (m.matches()) {
            String org = decode(m.group(1));
            if (org.isEmpty()) throw ApiError.badData("empty organization in path");
            writeHandler.handle(r, org);
            return;
        }
        Responses.text(r.exchange, 404, "404 page not found\n");
    }

    private static void emptyListObject(com.fasterxml.jackson.core.JsonGenerator g, String field) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart(field);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badData("invalid URL escape in path: " + segment);
        }
    }

    private static void get(Request r) {
        if (!"GET".equals(r.method) && !"HEAD".equals(r.method)) {
            r.exchange.getResponseHeaders().set("Allow", "GET");
            throw new ApiError("bad_data", 405, "method not allowed: " + r.method);
        }
    }

    private static void getOrPost(Request r) {
        if (!"GET".equals(r.method) && !"POST".equals(r.method) && !"HEAD".equals(r.method)) {
            r.exchange.getResponseHeaders().set("Allow", "GET, POST");
            throw new ApiError("bad_data", 405, "method not allowed: " + r.method);
        }
    }

    /**
     * Graceful shutdown: not ready any more, no new connections, in-flight requests get until
     * {@code http.shutdown_timeout}, then the WAL is fsynced and (if the server opened it) the database closed.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        ready = false;
        long deadline = System.nanoTime() + cfg.shutdownTimeout().toNanos();
        // New requests get 503 from here on; wait for the running ones, then close the listener and connections.
        // (HttpServer.stop(delay) itself waits the whole delay on JDK 17 even when nothing is running.)
        draining = true;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop(0);
        executor.shutdown();
        try {
            long left = deadline - System.nanoTime();
            if (!executor.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "requests still running after the shutdown timeout; interrupting them");
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        try {
            db.sync();
        } finally {
            if (ownsDb) db.close();
        }
    }
}
