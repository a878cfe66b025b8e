package io.tsdb4j.remote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately naive protobuf writer for tests, independent of the production code: it lets tests build
 * unusual but legal encodings (unpacked fields, unknown fields, groups, any field order) and illegal ones.
 */
final class RawProto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawProto tag(int field, int wireType) {
        return varint((long) field << 3 | wireType);
    }

    RawProto varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    RawProto fixed64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    RawProto fixed32(int v) {
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
        return this;
    }

    RawProto raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    RawProto varintField(int field, long v) {
        return tag(field, 0).varint(v);
    }

    RawProto doubleField(int field, double v) {
        return tag(field, 1).fixed64(Double.doubleToRawLongBits(v));
    }

    RawProto bytesField(int field, byte[] b) {
        tag(field, 2).varint(b.length);
        out.writeBytes(b);
        return this;
    }

    RawProto stringField(int field, String s) {
        return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
    }

    RawProto messageField(int field, RawProto m) {
        return bytesField(field, m.bytes());
    }

    RawProto label(int field, String name, String value) {
        return messageField(field, new RawProto().stringField(1, name).stringField(2, value));
    }

    /** One unknown field of every wire type, including a nested group, numbered from 100 up. */
    RawProto unknownFields() {
        varintField(100, -5);
        tag(101, 1).fixed64(0x0102030405060708L);
        bytesField(102, new byte[] {1, 2, 3});
        tag(103, 5).fixed32(7);
        tag(104, 3).varintField(1, 1).tag(105, 3).bytesField(2, new byte[] {9}).tag(105, 4).tag(104, 4);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }
}
