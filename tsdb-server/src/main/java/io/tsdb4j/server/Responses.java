package io.tsdb4j.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing responses on an {@link HttpExchange}. */
final class Responses {
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    private Responses() {}

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) ex.getResponseHeaders().set("Content-Type", contentType);
        boolean noBody = body.length == 0 || status == 204 || status == 304 || "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void text(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    static void empty(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
    }

    /** {@code {"status":"error","errorType":...,"error":...}} with the status code of the type. */
    static void error(HttpExchange ex, ApiError e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = ApiJson.generator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "error");
            g.writeStringField("errorType", e.type());
            g.writeStringField("error", e.getMessage());
            g.writeEndObject();
        }
        send(ex, e.status(), JSON, out.toByteArray());
    }

    /** Writes the {@code data} value of a success response. */
    interface DataWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /** {@code {"status":"success","data":...}}. */
    static void success(HttpExchange ex, DataWriter data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = ApiJson.generator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeFieldName("data");
            data.write(g);
            g.writeEndObject();
        }
        send(ex, 200, JSON, out.toByteArray());
    }
}
