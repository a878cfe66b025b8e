package io.tsdb4j.block;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * A ULID as Prometheus names blocks (oklog/ulid v1): 128 bits, a 48-bit Unix-millisecond time followed by 80
 * random bits, written as 26 Crockford base-32 characters ({@code 0123456789ABCDEFGHJKMNPQRSTVWXYZ}). The string
 * order of canonical (uppercase) ULIDs equals {@link #compareTo} order, which sorts by creation time first.
 *
 * <p>Immutable and thread-safe.
 */
public final class Ulid implements Comparable<Ulid> {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final byte[] DECODE = new byte[128];
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Largest time a ULID can hold (48 bits). */
    public static final long MAX_TIME = (1L << 48) - 1;

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
            DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i; // oklog's strict parser accepts lowercase too
        }
    }

    /** Bits 127..64. */
    private final long hi;
    /** Bits 63..0. */
    private final long lo;

    private Ulid(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /** A new ULID for the current time with 80 bits from {@link SecureRandom}. */
    public static Ulid generate() {
        return generate(System.currentTimeMillis());
    }

    /** A new ULID for time {@code ms} (0..2^48-1) with 80 random bits. */
    public static Ulid generate(long ms) {
        if (ms < 0 || ms > MAX_TIME) throw new IllegalArgumentException("ULID time " + ms + " outside [0, 2^48)");
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long hi = (ms << 16) | ((r[0] & 0xFFL) << 8) | (r[1] & 0xFFL);
        long lo = 0;
        for (int i = 2; i < 10; i++) lo = (lo << 8) | (r[i] & 0xFFL);
        return new Ulid(hi, lo);
    }

    /** The ULID with the given 128 bits. */
    public static Ulid of(long hi, long lo) {
        return new Ulid(hi, lo);
    }

    /**
     * Parses a 26-character ULID strictly: every character must be in the Crockford alphabet (either case, as
     * oklog's {@code ParseStrict}), and the first at most {@code 7} (128 bits).
     *
     * @throws IllegalArgumentException naming the string and what is wrong
     */
    public static Ulid parse(String s) {
        Objects.requireNonNull(s, "ulid");
        if (s.length() != 26) throw new IllegalArgumentException("ULID \"" + s + "\" has " + s.length() + " characters, want 26");
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 26; i++) {
            char c = s.charAt(i);
            int v = c < 128 ? DECODE[c] : -1;
            if (v < 0) throw new IllegalArgumentException("ULID \"" + s + "\" has invalid character '" + c + "' at " + i);
            if (i == 0 && v > 7) throw new IllegalArgumentException("ULID \"" + s + "\" overflows 128 bits");
            // Shift the 128-bit (hi, lo) left by 5 and add v.
            hi = (hi << 5) | (lo >>> 59);
            lo = (lo << 5) | v;
        }
        return new Ulid(hi, lo);
    }

    /** True if {@code s} parses as a ULID (how a data directory's entries are recognised as blocks). */
    public static boolean isValid(String s) {
        if (s == null || s.length() != 26) return false;
        for (int i = 0; i < 26; i++) {
            char c = s.charAt(i);
            int v = c < 128 ? DECODE[c] : -1;
            if (v < 0 || (i == 0 && v > 7)) return false;
        }
        return true;
    }

    /** Creation time in Unix milliseconds. */
    public long time() {
        return hi >>> 16;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    @Override
    public int compareTo(Ulid o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ulid u && u.hi == hi && u.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }

    /** The canonical 26-character uppercase form. */
    @Override
    public String toString() {
        char[] out = new char[26];
        long h = hi;
        long l = lo;
        for (int i = 25; i >= 0; i--) {
            out[i] = ALPHABET[(int) (l & 31)];
            l = (l >>> 5) | (h << 59);
            h >>>= 5;
        }
        return new String(out);
    }
}
