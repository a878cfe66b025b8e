package io.tsdb4j.labels;

/** xxHash64 (seed 0), the hash Prometheus uses for label sets. Pure Java, no Unsafe. */
final class XxHash64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[1024]});

    private XxHash64() {}

    /** Hashes {@code name 0xFF value 0xFF} for each pair, in UTF-8. */
    static long hashLabels(String[] kv) {
        byte[][] holder = SCRATCH.get();
        byte[] b = holder[0];
        int len = 0;
        for (String s : kv) {
            int need = len + s.length() * 3 + 1;
            if (need > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(need, b.length * 2));
                holder[0] = b;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    b[len++] = (byte) c;
                } else if (c < 0x800) {
                    b[len++] = (byte) (0xC0 | (c >> 6));
                    b[len++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[len++] = (byte) (0xF0 | (cp >> 18));
                    b[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[len++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    if (Character.isSurrogate(c)) c = '\uFFFD';
                    b[len++] = (byte) (0xE0 | (c >> 12));
                    b[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    b[len++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            b[len++] = (byte) 0xFF;
        }
        return hash(b, 0, len);
    }

    static long hash(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1;
            int limit = end - 32;
            do {
                v1 = round(v1, le64(b, p));
                v2 = round(v2, le64(b, p + 8));
                v3 = round(v3, le64(b, p + 16));
                v4 = round(v4, le64(b, p + 24));
                p += 32;
            } while (p <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += len;
        while (p + 8 <= end) {
            h ^= round(0, le64(b, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= (le32(b, p) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (b[p] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }

    private static long le64(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24
                | (b[p + 4] & 0xFFL) << 32 | (b[p + 5] & 0xFFL) << 40 | (b[p + 6] & 0xFFL) << 48 | (b[p + 7] & 0xFFL) << 56;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
}
