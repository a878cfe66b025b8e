package io.tsdb4j.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.text.GoFloat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON output byte-compatible with Prometheus 2.42's HTTP API: sample values as strings in Go's shortest
 * {@code 'f'} format (or {@code 'e'} beyond 1e21 and below 1e-6, as Prometheus's marshaller does), timestamps as
 * seconds with up to three decimals ({@code 1.5} is written {@code 1.500}, as Prometheus does), label sets as
 * objects in label order, and strings escaped like Go's {@code encoding/json} ({@code <>&}, U+2028/9, control
 * characters as lowercase {@code \\u00xx}).
 */
final class ApiJson {
    private static final JsonFactory FACTORY = new JsonFactory().setCharacterEscapes(new GoEscapes());

    private ApiJson() {}

    /** A generator over a fresh buffer; the caller writes a document, closes the generator and takes the bytes. */
    static JsonGenerator generator(ByteArrayOutputStream out) {
        try {
            return FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prometheus's JSON sample value text. */
    static String value(double v) {
        double abs = Math.abs(v);
        if (abs != 0 && !Double.isNaN(v) && !Double.isInfinite(v) && (abs < 1e-6 || abs >= 1e21)) {
            // Go's 'e' format with shortest precision; %g (shortest) picks 'e' for these exponents too and writes
            // the digits the same way.
            return GoFloat.formatG(v);
        }
        return GoFloat.formatF(v);
    }

    /** Prometheus's JSON timestamp text: milliseconds written as seconds, three decimals unless whole. */
    static String timestamp(long t) {
        StringBuilder sb = new StringBuilder(20);
        long abs = t;
        if (t < 0) {
            sb.append('-');
            abs = -t; // Long.MIN_VALUE stays negative; Prometheus has the same edge
        }
        sb.append(abs / 1000);
        long frac = abs % 1000;
        if (frac != 0) {
            sb.append('.');
            if (frac < 100) sb.append('0');
            if (frac < 10) sb.append('0');
            sb.append(frac);
        }
        return sb.toString();
    }

    static void writeTimestamp(JsonGenerator g, long t) throws IOException {
        g.writeNumber(timestamp(t));
    }

    /** {@code [t, "v"]}. */
    static void writePoint(JsonGenerator g, long t, double v) throws IOException {
        g.writeStartArray();
        writeTimestamp(g, t);
        g.writeString(value(v));
        g.writeEndArray();
    }

    static void writeLabels(JsonGenerator g, Labels l) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < l.size(); i++) g.writeStringField(l.name(i), l.value(i));
        g.writeEndObject();
    }

    /** Go encoding/json's escaping, which Prometheus's API output goes through. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        GoEscapes() {
            for (int c = 0; c < 0x20; c++) {
                if (c != '\n' && c != '\r' && c != '\t') ascii[c] = ESCAPE_CUSTOM;
            }
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch < 0x80 || ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
