package io.tsdb4j.encoding;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over bytes with the decoders of Prometheus's formats. Works over a heap array or any
 * {@link ByteBuffer} (for example a memory-mapped file) through absolute reads, so one instance can be
 * re-pointed with {@code wrap} and reused: a flyweight.
 *
 * <p>Errors are sticky like Prometheus's {@code Decbuf}: a read past the end or a malformed varint sets
 * {@link #err()} and returns zero; check once after decoding a whole entry. Not thread-safe.
 */
public final class Decbuf {
    private ByteBuffer bb;
    private byte[] arr;
    private int pos;
    private int end;
    private String err;

    public Decbuf() {}

    public Decbuf(byte[] b) {
        wrap(b, 0, b.length);
    }

    public Decbuf wrap(byte[] b, int off, int len) {
        this.arr = b;
        this.bb = null;
        this.pos = off;
        this.end = off + len;
        this.err = null;
        return this;
    }

    /** Reads {@code [off, off+len)} of {@code b} using absolute gets; the buffer's position is not touched. */
    public Decbuf wrap(ByteBuffer b, int off, int len) {
        this.arr = null;
        this.bb = b;
        this.pos = off;
        this.end = off + len;
        this.err = null;
        return this;
    }

    public String err() {
        return err;
    }

    public boolean ok() {
        return err == null;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        pos = p;
    }

    public int remaining() {
        return end - pos;
    }

    public int end() {
        return end;
    }

    private boolean need(int n) {
        if (err != null) return false;
        if (end - pos < n) {
            err = "unexpected end of data at " + pos + " (need " + n + " bytes, have " + (end - pos) + ")";
            return false;
        }
        return true;
    }

    private byte at(int i) {
        return arr != null ? arr[i] : bb.get(i);
    }

    public int getByte() {
        if (!need(1)) return 0;
        return at(pos++) & 0xFF;
    }

    public int getBE16() {
        if (!need(2)) return 0;
        int v = ((at(pos) & 0xFF) << 8) | (at(pos + 1) & 0xFF);
        pos += 2;
        return v;
    }

    public int getBE32() {
        if (!need(4)) return 0;
        int v;
        if (arr != null) v = ByteOrderUtil.getBE32(arr, pos);
        else v = bb.getInt(pos); // ByteBuffer default order is big-endian; callers must not change it
        pos += 4;
        return v;
    }

    public long getBE64() {
        if (!need(8)) return 0;
        long v;
        if (arr != null) v = ByteOrderUtil.getBE64(arr, pos);
        else v = bb.getLong(pos);
        pos += 8;
        return v;
    }

    public double getBE64Double() {
        return Double.longBitsToDouble(getBE64());
    }

    public long getUvarint() {
        if (err != null) return 0;
        long x = 0;
        int s = 0;
        for (int i = 0; i < 10; i++) {
            if (pos >= end) {
                err = "unexpected end of data in uvarint at " + pos;
                return 0;
            }
            int b = at(pos++) & 0xFF;
            if (b < 0x80) {
                if (i == 9 && b > 1) {
                    err = "uvarint overflows 64 bits at " + pos;
                    return 0;
                }
                return x | ((long) b << s);
            }
            x |= (long) (b & 0x7F) << s;
            s += 7;
        }
        err = "uvarint overflows 64 bits at " + pos;
        return 0;
    }

    public long getVarint() {
        long ux = getUvarint();
        return (ux >>> 1) ^ -(ux & 1);
    }

    /** A uvarint that must fit a non-negative int (lengths, counts). */
    public int getUvarint32() {
        long v = getUvarint();
        if (v < 0 || v > Integer.MAX_VALUE) {
            if (err == null) err = "length " + Long.toUnsignedString(v) + " out of range at " + pos;
            return 0;
        }
        return (int) v;
    }

    public String getUvarintStr() {
        int n = getUvarint32();
        if (!need(n)) return "";
        String s;
        if (arr != null) {
            s = new String(arr, pos, n, StandardCharsets.UTF_8);
        } else {
            byte[] tmp = new byte[n];
            bb.get(pos, tmp, 0, n);
            s = new String(tmp, StandardCharsets.UTF_8);
        }
        pos += n;
        return s;
    }

    public void skip(int n) {
        if (need(n)) pos += n;
    }

    /** Copies {@code n} bytes into {@code dst} at {@code off}. */
    public void getBytes(byte[] dst, int off, int n) {
        if (!need(n)) return;
        if (arr != null) System.arraycopy(arr, pos, dst, off, n);
        else bb.get(pos, dst, off, n);
        pos += n;
    }
}
