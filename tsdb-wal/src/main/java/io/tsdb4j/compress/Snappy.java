package io.tsdb4j.compress;

import io.airlift.compress.snappy.SnappyCompressor;

import java.util.Arrays;

/**
 * Snappy <em>block</em> format (a uvarint of the decoded length, then literal and copy elements); the
 * framed/streaming format is not accepted.
 *
 * <p>Decompression is a bounds-checked loop written from the format description: every malformed input fails with
 * a {@link SnappyException}, and the declared decoded length is checked against a limit before anything is
 * allocated, so a tiny body cannot make us allocate gigabytes. Compression uses aircompressor. Stateless and
 * thread-safe.
 */
public final class Snappy {
    private Snappy() {
    }

    /** The block format's decoded length is a uvarint of at most 32 bits. */
    private static final int MAX_HEADER_BYTES = 5;

    /** Compresses {@code src[off, off+len)} into a new array holding the block format. */
    public static byte[] compress(byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        // A compressor holds a hash table and is not thread-safe; a fresh one per call keeps this method safe.
        SnappyCompressor compressor = new SnappyCompressor();
        byte[] out = new byte[compressor.maxCompressedLength(len)];
        int n = compressor.compress(src, off, len, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }

    /** Decompresses {@code src[off, off+len)} into a new array, refusing a declared length over the limit. */
    public static byte[] decompress(byte[] src, int off, int len, int maxDecodedBytes) throws SnappyException {
        long n = decodedLength(src, off, len);
        if (n > maxDecodedBytes) {
            throw new SnappyException("snappy: decoded length " + n + " exceeds the limit of " + maxDecodedBytes + " bytes", 0);
        }
        byte[] dst = new byte[(int) n];
        decompress(src, off, len, dst, 0, maxDecodedBytes);
        return dst;
    }

    /**
     * Decompresses the block in {@code src[off, off+len)}. Writes into {@code dst} from {@code dstOff} (which must have room for {@link #decodedLength}) and returns
     * the decoded length. Fails if the declared decoded length exceeds
     * {@code maxDecodedBytes} (checked before allocating), or if the input is corrupt in any way: truncated
     * header or element, copy offset of zero or before the start of the output, output longer or shorter than
     * declared, trailing bytes.
     */
    public static int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxDecodedBytes) throws SnappyException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        final int end = off + len;
        long declared = 0;
        int s = off;
        for (int shift = 0; ; shift += 7) {
            if (s >= end) throw corrupt("truncated length header", s - off);
            if (s - off >= MAX_HEADER_BYTES) throw corrupt("length header longer than 5 bytes", s - off);
            int b = src[s++] & 0xFF;
            declared |= (long) (b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if (declared > maxDecodedBytes) {
            throw new SnappyException("snappy: decoded length " + declared + " exceeds the limit of "
                    + maxDecodedBytes + " bytes", 0);
        }
        if (declared > dst.length - dstOff) throw new IllegalArgumentException("output buffer too small for " + declared + " bytes");
        final int n = dstOff + (int) declared;
        int d = dstOff;
        while (s < end) {
            final int elementStart = s;
            final int tag = src[s] & 0xFF;
            long length;
            long offset;
            switch (tag & 3) {
                case 0: { // literal
                    int x = tag >>> 2;
                    if (x < 60) {
                        s++;
                        length = x + 1L;
                    } else {
                        int extra = x - 59; // 1..4 little-endian bytes holding length - 1
                        if (end - s < 1 + extra) throw corrupt("truncated literal length", elementStart - off);
                        long v = 0;
                        for (int i = 0; i < extra; i++) v |= (long) (src[s + 1 + i] & 0xFF) << (8 * i);
                        s += 1 + extra;
                        length = v + 1;
                    }
                    if (length > end - s) throw corrupt("literal of " + length + " bytes runs past the input", elementStart - off);
                    if (length > n - d) throw corrupt("literal runs past the declared length " + n, elementStart - off);
                    System.arraycopy(src, s, dst, d, (int) length);
                    s += (int) length;
                    d += (int) length;
                    continue;
                }
                case 1: // copy with 1-byte offset: length 4..11, 11-bit offset
                    if (end - s < 2) throw corrupt("truncated copy element", elementStart - off);
                    length = 4 + ((tag >>> 2) & 7);
                    offset = ((tag & 0xE0L) << 3) | (src[s + 1] & 0xFF);
                    s += 2;
                    break;
                case 2: // copy with 2-byte offset
                    if (end - s < 3) throw corrupt("truncated copy element", elementStart - off);
                    length = 1 + (tag >>> 2);
                    offset = (src[s + 1] & 0xFF) | (src[s + 2] & 0xFF) << 8;
                    s += 3;
                    break;
                default: // copy with 4-byte offset
                    if (end - s < 5) throw corrupt("truncated copy element", elementStart - off);
                    length = 1 + (tag >>> 2);
                    offset = (src[s + 1] & 0xFFL) | (src[s + 2] & 0xFFL) << 8 | (src[s + 3] & 0xFFL) << 16
                            | (src[s + 4] & 0xFFL) << 24;
                    s += 5;
                    break;
            }
            if (offset == 0 || offset > d - dstOff) {
                throw corrupt("copy offset " + offset + " outside the " + (d - dstOff) + " bytes decoded so far", elementStart - off);
            }
            if (length > n - d) throw corrupt("copy runs past the declared length " + n, elementStart - off);
            int from = d - (int) offset;
            int count = (int) length;
            if (offset >= count) {
                System.arraycopy(dst, from, dst, d, count);
            } else {
                // Overlapping copy repeats the last `offset` bytes: must go byte by byte, front to back.
                for (int i = 0; i < count; i++) dst[d + i] = dst[from + i];
            }
            d += count;
        }
        if (d != n) throw corrupt("decoded " + (d - dstOff) + " bytes but the header declared " + (n - dstOff), end - off);
        return n - dstOff;
    }

    /**
     * The decoded length a block declares in its header, without decoding it (for size checks before reading a
     * body completely).
     */
    public static long decodedLength(byte[] src, int off, int len) throws SnappyException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        long v = 0;
        for (int i = 0, shift = 0; i < MAX_HEADER_BYTES; i++, shift += 7) {
            if (i >= len) throw corrupt("truncated length header", i);
            int b = src[off + i] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw corrupt("length header longer than 5 bytes", MAX_HEADER_BYTES);
    }

    private static SnappyException corrupt(String detail, long offset) {
        return new SnappyException("snappy: corrupt input: " + detail, offset);
    }
}
