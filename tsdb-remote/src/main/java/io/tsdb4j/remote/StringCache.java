package io.tsdb4j.remote;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Label names and values repeat in every remote-write request (the same series are sent again and again): this
 * direct-mapped cache returns the same {@link String} for the same UTF-8 bytes without allocating, so decoding a
 * known series creates no strings. Misses are validated as UTF-8 and replace the slot. Not thread-safe: one per
 * decoder.
 */
final class StringCache {
    private static final int SLOTS = 1 << 13;
    private static final int MAX_LEN = 256; // longer strings are rare and not worth keeping

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    /** The string for {@code b[off, off+len)}, or null if those bytes are not valid UTF-8. */
    String get(byte[] b, int off, int len) {
        if (len == 0) return "";
        if (len > MAX_LEN) return decode(b, off, len);
        int h = 0x811C9DC5;
        for (int i = off, end = off + len; i < end; i++) h = (h ^ b[i]) * 0x01000193;
        int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
        byte[] k = keys[slot];
        if (k != null && k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) return values[slot];
        String s = decode(b, off, len);
        if (s != null) {
            keys[slot] = Arrays.copyOfRange(b, off, off + len);
            values[slot] = s;
        }
        return s;
    }

    private static String decode(byte[] b, int off, int len) {
        if (!validUtf8(b, off, off + len)) return null;
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /** Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF (what protobuf's check accepts). */
    static boolean validUtf8(byte[] b, int i, int end) {
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= end) return false; // truncated sequence
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += n + 1;
        }
        return true;
    }
}
