package io.tsdb4j.server;

import io.tsdb4j.SyncPolicy;
import io.tsdb4j.promql.parser.PromQLParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server settings. The config file is a flat subset of YAML: one {@code key: value} per line, {@code #} starts a
 * comment (at line start or after whitespace), values may be wrapped in single or double quotes (no escapes), blank
 * lines are ignored. Keys are dotted names ({@code write.max_samples_per_request}); an unknown key, a repeated key
 * or a value that does not parse is an error naming the line. Every option is listed in {@code docs/operations.md}.
 * Immutable; build with {@link #defaults()} and the {@code with*}/{@link #set} methods.
 */
public final class ServerConfig {
    /** Every known key with its default (as text). Order is the documentation order. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("listen", "127.0.0.1:9201");
        DEFAULTS.put("data_dir", "./data");
        DEFAULTS.put("storage.sync_policy", "commit");
        DEFAULTS.put("storage.sync_interval", "1s");
        DEFAULTS.put("storage.retention", "15d");
        DEFAULTS.put("http.threads", "32");
        DEFAULTS.put("http.shutdown_timeout", "10s");
        DEFAULTS.put("write.max_decoded_bytes", Integer.toString(32 << 20));
        DEFAULTS.put("write.max_samples_per_request", "1000000");
        DEFAULTS.put("write.max_concurrent_requests", "8");
        DEFAULTS.put("write.retry_after_seconds", "1");
        DEFAULTS.put("write.tenant_label", "tenant");
        DEFAULTS.put("query.timeout", "2m");
        DEFAULTS.put("query.max_samples", "50000000");
        DEFAULTS.put("query.lookback_delta", "5m");
        DEFAULTS.put("query.max_concurrent", "20");
        DEFAULTS.put("read.sample_limit", "50000000");
        DEFAULTS.put("read.max_concurrent", "10");
        DEFAULTS.put("read.max_bytes_in_frame", Integer.toString(1 << 20));
        DEFAULTS.put("admin.enabled", "false");
        DEFAULTS.put("auth.basic.username", "");
        DEFAULTS.put("auth.basic.password", "");
        DEFAULTS.put("auth.bearer_token", "");
        DEFAULTS.put("tls.keystore", "");
        DEFAULTS.put("tls.keystore_password", "");
        DEFAULTS.put("tls.keystore_type", "PKCS12");
        DEFAULTS.put("tls.cert_file", "");
        DEFAULTS.put("tls.key_file", "");
    }

    private final Map<String, String> values;

    private ServerConfig(Map<String, String> values) {
        this.values = values;
        validate();
    }

    public static ServerConfig defaults() {
        return new ServerConfig(new LinkedHashMap<>(DEFAULTS));
    }

    /** Reads a config file (see the class comment for the format). */
    public static ServerConfig load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses config text; {@code source} names it in error messages. */
    public static ServerConfig parse(String text, String source) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty() || line.equals("---")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException(source + ":" + lineNo + ": expected 'key: value', got: " + lines.get(i));
            String key = line.substring(0, colon).strip();
            String value = unquote(line.substring(colon + 1).strip(), source, lineNo);
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": unknown option '" + key + "' (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            Integer prev = seen.put(key, lineNo);
            if (prev != null) throw new IllegalArgumentException(source + ":" + lineNo + ": option '" + key + "' repeats line " + prev);
            v.put(key, value);
        }
        try {
            return new ServerConfig(v);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().split("'", 3).length > 1 ? e.getMessage().split("'", 3)[1] : null;
            Integer line = key == null ? null : seen.get(key);
            throw new IllegalArgumentException(source + (line == null ? "" : ":" + line) + ": " + e.getMessage(), e);
        }
    }

    private static String stripComment(String line) {
        boolean inSingle = false;
        boolean inDouble = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !inDouble) inSingle = !inSingle;
            else if (c == '"' && !inSingle) inDouble = !inDouble;
            else if (c == '#' && !inSingle && !inDouble && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String v, String source, int line) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            if (v.charAt(v.length() - 1) != v.charAt(0)) throw new IllegalArgumentException(source + ":" + line + ": unterminated quoted value: " + v);
            return v.substring(1, v.length() - 1);
        }
        if (!v.isEmpty() && (v.charAt(0) == '"' || v.charAt(0) == '\'')) throw new IllegalArgumentException(source + ":" + line + ": unterminated quoted value: " + v);
        return v;
    }

    /** A copy with {@code key} set (the same keys as the file). */
    public ServerConfig set(String key, String value) {
        return set(new String[] {key, value});
    }

    /** A copy with several options set at once ({@code key, value, key, value, ...}), validated together. */
    public ServerConfig set(String... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("expected key, value pairs");
        Map<String, String> v = new LinkedHashMap<>(values);
        for (int i = 0; i < keyValues.length; i += 2) {
            if (!DEFAULTS.containsKey(keyValues[i])) throw new IllegalArgumentException("unknown option '" + keyValues[i] + "'");
            v.put(keyValues[i], keyValues[i + 1]);
        }
        return new ServerConfig(v);
    }

    private void validate() {
        listenHost();
        listenPort();
        syncPolicy();
        duration("storage.sync_interval");
        duration("storage.retention");
        positive("http.threads");
        duration("http.shutdown_timeout");
        positive("write.max_decoded_bytes");
        positive("write.max_samples_per_request");
        positive("write.max_concurrent_requests");
        positive("write.retry_after_seconds");
        if (!io.tsdb4j.labels.Labels.isValidName(get("write.tenant_label"))) throw new IllegalArgumentException("option 'write.tenant_label' is not a valid label name: " + get("write.tenant_label"));
        duration("query.timeout");
        positive("query.max_samples");
        duration("query.lookback_delta");
        positive("query.max_concurrent");
        positiveLong("read.sample_limit");
        positive("read.max_concurrent");
        positive("read.max_bytes_in_frame");
        bool("admin.enabled");
        if (basicUsername().isEmpty() != basicPassword().isEmpty()) {
            throw new IllegalArgumentException("option 'auth.basic.username' and auth.basic.password must be set together");
        }
        boolean keystore = !get("tls.keystore").isEmpty();
        boolean pem = !get("tls.cert_file").isEmpty() || !get("tls.key_file").isEmpty();
        if (keystore && pem) throw new IllegalArgumentException("option 'tls.keystore' and tls.cert_file/tls.key_file are exclusive");
        if (pem && (get("tls.cert_file").isEmpty() || get("tls.key_file").isEmpty())) {
            throw new IllegalArgumentException("option 'tls.cert_file' and tls.key_file must be set together");
        }
    }

    String get(String key) {
        return values.get(key);
    }

    private int positive(String key) {
        long v = positiveLong(key);
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("option '" + key + "' is too large: " + v);
        return (int) v;
    }

    private long positiveLong(String key) {
        String s = get(key).replace("_", "");
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + key + "' must be a positive integer, got: " + get(key));
        }
        if (v <= 0) throw new IllegalArgumentException("option '" + key + "' must be a positive integer, got: " + get(key));
        return v;
    }

    private boolean bool(String key) {
        String s = get(key);
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        throw new IllegalArgumentException("option '" + key + "' must be true or false, got: " + s);
    }

    private Duration duration(String key) {
        try {
            return Duration.ofMillis(PromQLParser.parseDuration(get(key)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("option '" + key + "' must be a duration like 30s, 5m, 15d, got: " + get(key));
        }
    }

    public String listenHost() {
        String l = get("listen");
        int c = l.lastIndexOf(':');
        if (c < 0) throw new IllegalArgumentException("option 'listen' must be host:port, got: " + l);
        String host = l.substring(0, c);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    public int listenPort() {
        String l = get("listen");
        int c = l.lastIndexOf(':');
        try {
            int p = Integer.parseInt(l.substring(c + 1));
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("option 'listen' must be host:port with a port 0..65535, got: " + l);
        }
    }

    public Path dataDir() {
        return Path.of(get("data_dir"));
    }

    public SyncPolicy syncPolicy() {
        String s = get("storage.sync_policy");
        for (SyncPolicy p : SyncPolicy.values()) if (p.name().equalsIgnoreCase(s)) return p;
        throw new IllegalArgumentException("option 'storage.sync_policy' must be commit, interval or none, got: " + s);
    }

    public Duration syncInterval() { return duration("storage.sync_interval"); }
    public Duration retention() { return duration("storage.retention"); }
    public int httpThreads() { return positive("http.threads"); }
    public Duration shutdownTimeout() { return duration("http.shutdown_timeout"); }
    public int writeMaxDecodedBytes() { return positive("write.max_decoded_bytes"); }
    public int writeMaxSamples() { return positive("write.max_samples_per_request"); }
    public int writeMaxConcurrent() { return positive("write.max_concurrent_requests"); }
    public int writeRetryAfterSeconds() { return positive("write.retry_after_seconds"); }
    public String tenantLabel() { return get("write.tenant_label"); }
    public Duration queryTimeout() { return duration("query.timeout"); }
    public int queryMaxSamples() { return positive("query.max_samples"); }
    public Duration lookbackDelta() { return duration("query.lookback_delta"); }
    public int queryMaxConcurrent() { return positive("query.max_concurrent"); }
    public long readSampleLimit() { return positiveLong("read.sample_limit"); }
    public int readMaxConcurrent() { return positive("read.max_concurrent"); }
    public int readMaxBytesInFrame() { return positive("read.max_bytes_in_frame"); }
    public boolean adminEnabled() { return bool("admin.enabled"); }
    public String basicUsername() { return get("auth.basic.username"); }
    public String basicPassword() { return get("auth.basic.password"); }
    public String bearerToken() { return get("auth.bearer_token"); }
    public String tlsKeystore() { return get("tls.keystore"); }
    public String tlsKeystorePassword() { return get("tls.keystore_password"); }
    public String tlsKeystoreType() { return get("tls.keystore_type"); }
    public String tlsCertFile() { return get("tls.cert_file"); }
    public String tlsKeyFile() { return get("tls.key_file"); }

    public boolean tlsEnabled() {
        return !tlsKeystore().isEmpty() || !tlsCertFile().isEmpty();
    }

    /** The effective settings as {@code key: value} lines, secrets masked (for {@code /api/v1/status/config}). */
    public String toYaml() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            boolean secret = e.getKey().endsWith("password") || e.getKey().endsWith("token");
            if (secret && !v.isEmpty()) v = "<secret>";
            sb.append(e.getKey()).append(": ").append(v.isEmpty() ? "\"\"" : v).append('\n');
        }
        return sb.toString();
    }

    /** The settings as a map, secrets masked (for {@code /api/v1/status/flags}). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            boolean secret = e.getKey().endsWith("password") || e.getKey().endsWith("token");
            m.put(e.getKey(), secret && !v.isEmpty() ? "<secret>" : v);
        }
        return m;
    }
}
