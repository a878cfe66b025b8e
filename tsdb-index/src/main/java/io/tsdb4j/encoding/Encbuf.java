package io.tsdb4j.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable, reusable byte buffer with the encoders of Prometheus's formats. Reset and reuse one per writer
 * so that encoding allocates nothing once the buffer has grown to its working size (strings excepted:
 * {@link #putUvarintStr} encodes through {@link String#getBytes}).
 *
 * <p>Not thread-safe.
 */
public final class Encbuf {
    private byte[] buf;
    private int len;

    public Encbuf() {
        this(256);
    }

    public Encbuf(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Forgets the content, keeps the capacity. */
    public Encbuf reset() {
        len = 0;
        return this;
    }

    public int len() {
        return len;
    }

    /** The backing array; valid bytes are {@code [0, len())}. Invalidated by the next write that grows it. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Drops bytes past {@code newLen} (used to undo a partially written entry). */
    public void truncate(int newLen) {
        if (newLen < 0 || newLen > len) throw new IllegalArgumentException("truncate to " + newLen + " of " + len);
        len = newLen;
    }

    /**
     * Makes room for {@code extra} more bytes and returns the backing array, for a loop that writes from
     * {@link #len()} on with the static encoders below and then calls {@link #setLen}: one capacity check per
     * batch instead of one per value.
     */
    public byte[] reserve(int extra) {
        ensure(extra);
        return buf;
    }

    /** Sets the length after writing into the array {@link #reserve} returned. */
    public void setLen(int newLen) {
        if (newLen < 0 || newLen > buf.length) throw new IllegalArgumentException("length " + newLen + " of " + buf.length);
        len = newLen;
    }

    /** Go's {@code binary.PutUvarint} into {@code b} at {@code p} (room for 10 bytes); returns the end. */
    public static int putUvarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    /** Go's {@code binary.PutVarint} into {@code b} at {@code p} (room for 10 bytes); returns the end. */
    public static int putVarint(byte[] b, int p, long v) {
        return putUvarint(b, p, (v << 1) ^ (v >> 63));
    }

    private void ensure(int extra) {
        int need = len + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    public Encbuf putByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    public Encbuf putBytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public Encbuf putBytes(byte[] b) {
        return putBytes(b, 0, b.length);
    }

    public Encbuf putBE16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public Encbuf putBE32(int v) {
        ensure(4);
        ByteOrderUtil.putBE32(buf, len, v);
        len += 4;
        return this;
    }

    public Encbuf putBE64(long v) {
        ensure(8);
        ByteOrderUtil.putBE64(buf, len, v);
        len += 8;
        return this;
    }

    public Encbuf putBE64Double(double v) {
        return putBE64(Double.doubleToRawLongBits(v));
    }

    /** Overwrites 4 bytes at {@code pos} (for length fields written after their content). */
    public void setBE32(int pos, int v) {
        ByteOrderUtil.putBE32(buf, pos, v);
    }

    /** Go's {@code binary.PutUvarint}: 7 bits per byte, least significant group first. */
    public Encbuf putUvarint(long v) {
        ensure(10);
        len = putUvarint(buf, len, v);
        return this;
    }

    /** Go's {@code binary.PutVarint}: zigzag, then uvarint. */
    public Encbuf putVarint(long v) {
        ensure(10);
        len = putVarint(buf, len, v);
        return this;
    }

    /** uvarint byte length, then the UTF-8 bytes. */
    public Encbuf putUvarintStr(String s) {
        // The JDK checks and copies a Latin-1 string with vectorized intrinsics; a per-char loop here was the
        // slowest part of logging a new series (label values run to hundreds of characters).
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putUvarint(b.length);
        return putBytes(b);
    }

    /** Number of bytes {@link #putUvarint} writes for {@code v}. */
    public static int uvarintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
