package io.tsdb4j.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;

/**
 * Protobuf wire-level helpers shared by the hand-written codecs: wire types, strict wire-type checks for known
 * fields, skipping of unknown fields (including deprecated groups, iteratively so hostile nesting cannot overflow
 * the stack), and size arithmetic for encoders. Low-level failures are {@link InvalidProtocolBufferException}s;
 * each codec turns them into a {@link RemoteProtocolException} carrying its own context and the byte offset.
 */
final class Wire {
    private Wire() {
    }

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private static final int MAX_GROUP_DEPTH = 100;
    private static final String[] WIRE_NAMES = {"varint", "fixed64", "length-delimited", "start-group", "end-group", "fixed32", "6", "7"};

    static int field(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** Fails unless the known field {@code tag} has wire type {@code expected}. */
    static void expect(int tag, int expected, String message) throws InvalidProtocolBufferException {
        if ((tag & 7) != expected) {
            throw new InvalidProtocolBufferException("field " + (tag >>> 3) + " of " + message + " has wire type "
                    + WIRE_NAMES[tag & 7] + ", expected " + WIRE_NAMES[expected]);
        }
    }

    /** Skips an unknown field whose tag was just read. */
    static void skip(CodedInputStream in, int tag) throws IOException {
        switch (tag & 7) {
            case VARINT: in.readRawVarint64(); return;
            case FIXED64: in.skipRawBytes(8); return;
            case LEN: {
                int len = in.readRawVarint32();
                if (len < 0) throw new InvalidProtocolBufferException("negative length " + len);
                in.skipRawBytes(len);
                return;
            }
            case FIXED32: in.skipRawBytes(4); return;
            case START_GROUP: skipGroup(in, tag >>> 3); return;
            case END_GROUP: throw new InvalidProtocolBufferException("end-group tag for field " + (tag >>> 3) + " without a start");
            default: throw new InvalidProtocolBufferException("invalid wire type " + (tag & 7) + " in tag of field " + (tag >>> 3));
        }
    }

    private static void skipGroup(CodedInputStream in, int field) throws IOException {
        int[] open = new int[8];
        int depth = 0;
        open[depth++] = field;
        while (depth > 0) {
            if (in.isAtEnd()) throw new InvalidProtocolBufferException("group of field " + open[depth - 1] + " is not closed");
            int t = in.readTag();
            int w = t & 7;
            if (w == START_GROUP) {
                if (depth == MAX_GROUP_DEPTH) throw new InvalidProtocolBufferException("groups nested more than " + MAX_GROUP_DEPTH + " deep");
                if (depth == open.length) open = java.util.Arrays.copyOf(open, depth * 2);
                open[depth++] = t >>> 3;
            } else if (w == END_GROUP) {
                if (open[depth - 1] != t >>> 3) {
                    throw new InvalidProtocolBufferException("end-group for field " + (t >>> 3) + " closes group of field " + open[depth - 1]);
                }
                depth--;
            } else {
                skip(in, t);
            }
        }
    }

    /** Reads the length of a length-delimited field and limits the stream to it; returns the old limit. */
    static int enter(CodedInputStream in) throws IOException {
        int len = in.readRawVarint32();
        if (len < 0) throw new InvalidProtocolBufferException("negative length " + len);
        return in.pushLimit(len); // fails with "truncated" if len runs past the current limit
    }

    /** Reads a string field, failing with a message naming {@code what} if it is not valid UTF-8. */
    static String readUtf8(CodedInputStream in, String what) throws IOException {
        try {
            return in.readStringRequireUtf8();
        } catch (InvalidProtocolBufferException e) {
            if (e.getMessage() != null && e.getMessage().contains("UTF-8")) {
                throw new InvalidProtocolBufferException(what + " is not valid UTF-8");
            }
            throw e;
        }
    }

    static long offset(CodedInputStream in) {
        return in.getTotalBytesRead();
    }

    /** Size of a length-delimited field (one-byte tag, field numbers below 16) holding {@code len} bytes. */
    static int lenFieldSize(int len) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(len) + len;
    }

    /** Size of an int64 field that proto3 omits when zero. */
    static int int64FieldSize(long v) {
        return v == 0 ? 0 : 1 + CodedOutputStream.computeInt64SizeNoTag(v);
    }

    /** Size of a double field that proto3 omits when zero (compared by bits, so -0.0 is written). */
    static int doubleFieldSize(double v) {
        return Double.doubleToRawLongBits(v) == 0 ? 0 : 9;
    }

    /** Size of a string field that proto3 omits when empty (one-byte tag). */
    static int stringFieldSize(String s) {
        return s.isEmpty() ? 0 : 1 + CodedOutputStream.computeStringSizeNoTag(s);
    }

    static void writeInt64(CodedOutputStream out, int field, long v) throws IOException {
        if (v != 0) out.writeInt64(field, v);
    }

    static void writeDouble(CodedOutputStream out, int field, double v) throws IOException {
        if (Double.doubleToRawLongBits(v) != 0) out.writeDouble(field, v);
    }

    static void writeString(CodedOutputStream out, int field, String s) throws IOException {
        if (!s.isEmpty()) out.writeString(field, s);
    }

    static void writeLenTag(CodedOutputStream out, int field, int len) throws IOException {
        out.writeTag(field, LEN);
        out.writeUInt32NoTag(len);
    }
}
