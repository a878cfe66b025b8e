package io.tsdb4j.chunk;

import io.tsdb4j.SampleIterator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An XOR chunk being appended to, or a finished one wrapped for reading. Appending allocates nothing except
 * when the byte array must grow (doubling), and its bytes are exactly those Prometheus 2.42 writes for the same
 * samples, including the bit writer's trailing zero byte quirk.
 *
 * <p>Not thread-safe for appends. Readers may iterate a prefix concurrently with an appender if they were
 * handed the sample count and array under a happens-before edge: appends only OR bits into the last byte and
 * add bytes after it, and {@link #iterator(byte[], int)} reads only as many samples as it is told.
 */
public final class XorChunk {
    public static final byte ENCODING = 1;
    /** Prometheus's target; the head cuts by time and never exceeds twice this. */
    public static final int SAMPLES_PER_CHUNK = 120;

    private static final int NO_WINDOW = 0xFF;
    /** Room past the write position: an 8-byte store, a ninth byte, and the byte a whole-byte write leaves. */
    private static final int SLACK = 10;

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // Bytes past the written bits are always zero, so writes OR into them.
    private byte[] b;
    private long bitLen;      // bits written, including the 2-byte header
    private boolean byteTail; // the last write was whole bytes: see size()
    private int count;

    // Appender state.
    private long t;
    private long tDelta;
    private long vBits;
    private int leading = NO_WINDOW;
    private int trailing;

    public XorChunk() {
        this(128);
    }

    public XorChunk(int initialCapacity) {
        b = new byte[Math.max(16, initialCapacity)];
        bitLen = 16;
    }

    public int numSamples() {
        return count;
    }

    /** The backing array; bytes {@code [0, size())} are the chunk. May be replaced by a later append. */
    public byte[] array() {
        return b;
    }

    /**
     * Bytes in use. As in Prometheus's bstream, a write of whole bytes always leaves a started byte behind, so a
     * chunk whose last write ended on a byte boundary with whole bytes carries one empty byte more.
     */
    public int size() {
        return byteTail ? (int) (bitLen >>> 3) + 1 : (int) ((bitLen + 7) >>> 3);
    }

    /** A trimmed copy of the chunk bytes, as stored in chunk files. */
    public byte[] bytes() {
        return Arrays.copyOf(b, size());
    }

    /** Time of the last appended sample. */
    public long lastTime() {
        return t;
    }

    public double lastValue() {
        return Double.longBitsToDouble(vBits);
    }

    /**
     * Appends a sample. The caller guarantees {@code t} is greater than the previous sample's time (the head
     * checks order before appending; the format cannot represent anything else).
     *
     * <p>From the third sample on, the timestamp's and the value's bits are gathered into one word and written
     * with one store when they fit (almost always): the stream is a plain concatenation of bits, so only the
     * trailing-byte quirk depends on how Prometheus split its writes, and {@link #byteTail} follows its last one.
     */
    public void append(long ts, double v) {
        long bits = Double.doubleToRawLongBits(v);
        if (count >= 2) {
            appendXor(ts, bits);
        } else if (count == 0) {
            writeVarint(ts);
            writeBits(bits, 64);
            tDelta = 0;
        } else {
            long delta = ts - t;
            writeUvarint(delta);
            writeValue(bits);
            tDelta = delta;
        }
        t = ts;
        vBits = bits;
        count++;
        b[0] = (byte) (count >>> 8);
        b[1] = (byte) count;
    }

    private void appendXor(long ts, long bits) {
        long delta = ts - t;
        long dod = delta - tDelta;
        tDelta = delta;
        // The timestamp: a prefix of 1-4 bits, then the delta of deltas in 0, 14, 17, 20 or 64 bits.
        long acc;
        int len;
        if (dod == 0) {
            acc = 0;
            len = 1;
        } else if (bitRange(dod, 14)) {
            acc = (0b10L << 14) | (dod & 0x3FFF);
            len = 16;
        } else if (bitRange(dod, 17)) {
            acc = (0b110L << 17) | (dod & 0x1FFFF);
            len = 20;
        } else if (bitRange(dod, 20)) {
            acc = (0b1110L << 20) | (dod & 0xFFFFF);
            len = 24;
        } else {
            write(0b1111, 4);
            write(dod, 64);
            acc = 0;
            len = 0;
        }
        // The value: '0' if unchanged; '10' and the XOR's bits inside the previous window; or '11', the leading
        // zero count (5 bits), the significant bit count (6 bits, 64 as 0) and those bits.
        long x = bits ^ vBits;
        if (x == 0) {
            write(acc << 1, len + 1);
            byteTail = false;
            return;
        }
        int lz = Long.numberOfLeadingZeros(x);
        int tz = Long.numberOfTrailingZeros(x);
        if (lz >= 32) lz = 31; // must fit 5 bits
        int sig;
        if (leading != NO_WINDOW && lz >= leading && tz >= trailing) {
            sig = 64 - leading - trailing;
            acc = (acc << 2) | 0b10;
            len += 2;
        } else {
            leading = lz;
            trailing = tz;
            sig = 64 - lz - tz;
            acc = (acc << 13) | (0b11L << 11) | ((long) lz << 6) | (sig & 63);
            len += 13;
        }
        long value = x >>> trailing;
        if (len + sig <= 64) {
            write((acc << sig) | value, len + sig);
        } else {
            write(acc, len);
            write(value, sig);
        }
        byteTail = (sig & 7) == 0; // Prometheus's last write was the value's bits
    }

    private static boolean bitRange(long x, int nbits) {
        return -((1L << (nbits - 1)) - 1) <= x && x <= (1L << (nbits - 1));
    }

    /** The second sample's value (the later ones go through {@link #appendXor}). */
    private void writeValue(long bits) {
        long x = bits ^ vBits;
        if (x == 0) {
            writeBit(false);
            return;
        }
        writeBit(true);
        int lz = Long.numberOfLeadingZeros(x);
        int tz = Long.numberOfTrailingZeros(x);
        if (lz >= 32) lz = 31;
        leading = lz;
        trailing = tz;
        writeBit(true);
        writeBits(lz, 5);
        int sig = 64 - lz - tz;
        writeBits(sig, 6); // 64 wraps to 0 in 6 bits; the reader maps 0 back to 64
        writeBits(x >>> tz, sig);
    }

    private void writeVarint(long v) {
        writeUvarint((v << 1) ^ (v >> 63));
    }

    private void writeUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            write((v & 0x7F) | 0x80, 8);
            v >>>= 7;
        }
        write(v, 8);
        byteTail = true;
    }

    private void writeBit(boolean bit) {
        write(bit ? 1 : 0, 1);
        byteTail = false;
    }

    private void writeBits(long u, int nbits) {
        if (nbits == 0) return;
        write(u, nbits);
        byteTail = (nbits & 7) == 0; // Prometheus writes the whole bytes of a value first, then single bits
    }

    /**
     * Appends the low {@code n} (1..64) bits of {@code u} with one big-endian 8-byte store (and a ninth byte when
     * they straddle it). Bytes past the bits written so far are zero, so the store only has to keep the bits
     * already in the first byte; it reads that one byte, which a wider store before it can forward.
     */
    private void write(long u, int n) {
        int idx = (int) (bitLen >>> 3);
        int off = (int) (bitLen & 7);
        byte[] b = this.b;
        if (idx + SLACK > b.length) {
            this.b = b = Arrays.copyOf(b, Math.max(idx + SLACK, b.length * 2));
        }
        long aligned = u << (64 - n); // the bits at the top of the word (and u's higher bits shifted out)
        BIG_ENDIAN_LONG.set(b, idx, ((b[idx] & 0xFFL) << 56) | (aligned >>> off));
        if (off + n > 64) b[idx + 8] = (byte) (aligned << (8 - off));
        bitLen += n;
    }

    /** Iterates all samples of this chunk. */
    public Iterator iterator() {
        return new Iterator().reset(b, 0, count);
    }

    /** Iterates the first {@code numSamples} samples of chunk bytes (header at offset 0). */
    public static Iterator iterator(byte[] chunk, int numSamples) {
        return new Iterator().reset(chunk, 0, numSamples);
    }

    /** The sample count stored in a chunk's header. */
    public static int numSamples(byte[] chunk, int off) {
        return ((chunk[off] & 0xFF) << 8) | (chunk[off + 1] & 0xFF);
    }

    /** Decodes XOR chunk bytes; reusable with {@link #reset}. */
    public static final class Iterator implements SampleIterator {
        private byte[] b;
        private long bitPos;
        private long bitEnd;
        private int remaining;
        private int read;
        private long t, tDelta, vBits;
        private int leading, trailing;
        private boolean corrupt;

        /** Points this iterator at the chunk starting at {@code off} in {@code b}, limited to {@code numSamples}. */
        public Iterator reset(byte[] b, int off, int numSamples) {
            return reset(b, off, b.length - off, numSamples);
        }

        public Iterator reset(byte[] b, int off, int length, int numSamples) {
            this.b = b;
            int stored = length >= 2 ? numSamples(b, off) : 0;
            this.remaining = Math.min(numSamples, stored);
            this.bitPos = (long) (off + 2) * 8;
            this.bitEnd = (long) (off + length) * 8;
            this.read = 0;
            this.t = Long.MIN_VALUE;
            this.tDelta = 0;
            this.vBits = 0;
            this.leading = 0;
            this.trailing = 0;
            this.corrupt = false;
            return this;
        }

        /** True if decoding ran past the end of the bytes (a corrupt chunk). */
        public boolean corrupt() {
            return corrupt;
        }

        @Override
        public boolean next() {
            if (remaining == 0 || corrupt) return false;
            if (read == 0) {
                t = readVarint();
                vBits = readBits(64);
            } else if (read == 1) {
                tDelta = readUvarint();
                t += tDelta;
                readValue();
            } else {
                int prefix = 0;
                int i = 0;
                for (; i < 4; i++) {
                    prefix <<= 1;
                    if (!readBit()) break;
                    prefix |= 1;
                }
                int sz;
                switch (prefix) {
                    case 0b0: sz = 0; break;
                    case 0b10: sz = 14; break;
                    case 0b110: sz = 17; break;
                    case 0b1110: sz = 20; break;
                    default: sz = 64; break; // 0b1111
                }
                long dod = 0;
                if (sz == 64) {
                    dod = readBits(64);
                } else if (sz > 0) {
                    long u = readBits(sz);
                    dod = u > (1L << (sz - 1)) ? u - (1L << sz) : u;
                }
                tDelta += dod;
                t += tDelta;
                readValue();
            }
            if (corrupt) return false;
            read++;
            remaining--;
            return true;
        }

        private void readValue() {
            if (!readBit()) return;
            if (readBit()) {
                leading = (int) readBits(5);
                int sig = (int) readBits(6);
                if (sig == 0) sig = 64;
                trailing = 64 - leading - sig;
                if (trailing < 0) {
                    corrupt = true;
                    return;
                }
            }
            int sig = 64 - leading - trailing;
            vBits ^= readBits(sig) << trailing;
        }

        @Override
        public boolean seek(long target) {
            if (read > 0 && t >= target) return true;
            while (next()) {
                if (t >= target) return true;
            }
            return false;
        }

        @Override
        public long t() {
            return t;
        }

        @Override
        public double v() {
            return Double.longBitsToDouble(vBits);
        }

        private boolean readBit() {
            if (bitPos >= bitEnd) {
                corrupt = true;
                return false;
            }
            int byt = b[(int) (bitPos >>> 3)];
            boolean bit = ((byt >>> (7 - (bitPos & 7))) & 1) != 0;
            bitPos++;
            return bit;
        }

        private long readBits(int n) {
            if (n == 0) return 0;
            if (bitPos + n > bitEnd) {
                corrupt = true;
                bitPos = bitEnd;
                return 0;
            }
            int idx = (int) (bitPos >>> 3);
            int off = (int) (bitPos & 7);
            if (idx + 9 <= b.length) {
                // One big-endian 8-byte load (plus a ninth byte when the bits straddle it) instead of a loop
                // over bytes; bits past bitEnd in the array are shifted out.
                long word = (long) BIG_ENDIAN_LONG.get(b, idx) << off;
                if (off + n > 64) word |= (b[idx + 8] & 0xFF) >>> (8 - off);
                bitPos += n;
                return word >>> (64 - n);
            }
            long v = 0;
            while (n > 0) { // the chunk's last bytes
                idx = (int) (bitPos >>> 3);
                off = (int) (bitPos & 7);
                int avail = 8 - off;
                int take = Math.min(avail, n);
                int byt = b[idx] & 0xFF;
                int bits = (byt >>> (avail - take)) & ((1 << take) - 1);
                v = (v << take) | bits;
                bitPos += take;
                n -= take;
            }
            return v;
        }

        private long readUvarint() {
            long x = 0;
            int s = 0;
            for (int i = 0; i < 10; i++) {
                int byt = (int) readBits(8);
                if (corrupt) return 0;
                if (byt < 0x80) return x | ((long) byt << s);
                x |= (long) (byt & 0x7F) << s;
                s += 7;
            }
            corrupt = true;
            return 0;
        }

        private long readVarint() {
            long ux = readUvarint();
            return (ux >>> 1) ^ -(ux & 1);
        }
    }
}
