package io.tsdb4j.remote;

import com.google.protobuf.CodedOutputStream;

import java.util.Arrays;

/** A growable byte array that hands out exactly-sized {@link CodedOutputStream} windows. Not thread-safe. */
final class GrowableBuffer {
    private byte[] buf;
    private int size;

    GrowableBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** A stream over the next {@code n} bytes, which now count as written; the caller must fill all of them. */
    CodedOutputStream reserve(int n) {
        ensure(n);
        CodedOutputStream out = CodedOutputStream.newInstance(buf, size, n);
        size += n;
        return out;
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int n) {
        long need = (long) size + n;
        if (need > Integer.MAX_VALUE - 8) throw new IllegalStateException("message larger than 2 GiB");
        if (need > buf.length) buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * buf.length)));
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
