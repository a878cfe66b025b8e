package io.tsdb4j.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request: method, path and parameters merged like Go's {@code r.FormValue}/{@code r.Form} (URL query
 * plus an {@code application/x-www-form-urlencoded} POST body, body values first). Used on one thread.
 */
final class Request {
    /** Largest form body we parse (Go's limit is 10 MB). */
    static final int MAX_FORM_BYTES = 10 << 20;

    final HttpExchange exchange;
    final String method;
    final String path;
    private Map<String, List<String>> params;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.path = exchange.getRequestURI().getRawPath();
    }

    /** All values of a parameter (e.g. {@code match[]}), in order. */
    List<String> all(String name) throws IOException {
        return params().getOrDefault(name, List.of());
    }

    /** The first value of a parameter, or "" (Go's {@code FormValue}). */
    String get(String name) throws IOException {
        List<String> v = params().get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    boolean has(String name) throws IOException {
        return params().containsKey(name);
    }

    private Map<String, List<String>> params() throws IOException {
        if (params != null) return params;
        Map<String, List<String>> m = new LinkedHashMap<>();
        String ct = exchange.getRequestHeaders().getFirst("Content-Type");
        if (("POST".equals(method) || "PUT".equals(method)) && ct != null
                && ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            byte[] body = readBody(exchange.getRequestBody(), MAX_FORM_BYTES);
            if (body == null) throw ApiError.badData("form body larger than " + MAX_FORM_BYTES + " bytes");
            parseInto(new String(body, StandardCharsets.UTF_8), m);
        }
        String q = exchange.getRequestURI().getRawQuery();
        if (q != null) parseInto(q, m);
        params = m;
        return m;
    }

    private static void parseInto(String s, Map<String, List<String>> m) {
        for (String pair : s.split("[&;]")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiError.badData("invalid URL escape in form: " + e.getMessage());
            }
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    /** A request body read into a reusable buffer: bytes {@code [0, length)} of {@code array}. */
    static final class Body {
        private static final int KEEP = 4 << 20;
        byte[] array = new byte[64 * 1024];
        int length;

        /** Reads a whole body; false if it is longer than {@code max} bytes (the rest is not read). */
        boolean read(InputStream in, int max) throws IOException {
            length = 0;
            if (array.length > KEEP) array = new byte[64 * 1024]; // don't keep a giant buffer for ever
            int n;
            while (true) {
                if (length == array.length) {
                    if (length >= max + 1) return false;
                    array = java.util.Arrays.copyOf(array, (int) Math.min((long) max + 1, array.length * 2L));
                }
                n = in.read(array, length, array.length - length);
                if (n <= 0) break;
                length += n;
                if (length > max) return false;
            }
            return true;
        }
    }

    /** Reads a whole body, or returns null if it is longer than {@code max} bytes (the rest is not read). */
    static byte[] readBody(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 64 * 1024));
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > max) return null;
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
