package io.tsdb4j.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Go's string order (raw UTF-8 bytes, unsigned) for Java strings. {@link String#compareTo} compares UTF-16 code
 * units, which puts supplementary characters (surrogate pairs, U+D800..U+DFFF) before U+E000..U+FFFF; in UTF-8
 * they come after. Prometheus sorts symbols, label sets and postings by bytes, so every sort of label text must go
 * through here. Stateless and thread-safe.
 */
public final class Utf8 {
    private Utf8() {}

    /** Go's order as a comparator; see {@link #compare(String, String)}. */
    public static final Comparator<String> ORDER = Utf8::compare;

    /**
     * Compares as Go compares the strings' UTF-8 encodings, without encoding them: code-point order, which equals
     * UTF-8 byte order for well-formed strings. (An unpaired surrogate, which UTF-8 cannot encode, sorts like the
     * supplementary characters.)
     */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) return fixup(ca) - fixup(cb);
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF (and those down by 0x800) so that UTF-16 units sort in code-point order. */
    private static int fixup(char c) {
        if (c < 0xD800) return c;
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    /** Unsigned lexicographic comparison of byte arrays (Go's {@code bytes.Compare}). */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    public static byte[] encode(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
