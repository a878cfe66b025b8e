package io.tsdb4j.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tsdb4j.labels.Matcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A remote-read {@code ReadRequest}: queries plus the response types the client accepts, in preference order.
 * Accepted types are kept as raw wire numbers so that unknown future types survive a round trip;
 * {@link #negotiate} picks the answer type. Immutable.
 */
public record ReadRequest(List<Query> queries, List<Integer> acceptedResponseTypes) {
    public ReadRequest {
        queries = List.copyOf(queries);
        acceptedResponseTypes = List.copyOf(acceptedResponseTypes);
    }

    /**
     * One {@code Query}: the closed time range {@code [startTimestampMs, endTimestampMs]}, label matchers mapped
     * to core {@link Matcher}s (EQ=0, NEQ=1, RE=2, NRE=3), and optional hints (null when absent).
     */
    public record Query(long startTimestampMs, long endTimestampMs, List<Matcher> matchers, ReadHints hints) {
        public Query {
            matchers = List.copyOf(matchers);
        }
    }

    /**
     * The response type to answer with: the first accepted type the server supports; {@link ResponseType#SAMPLES}
     * if the client listed none; null if none of the listed types is supported (answer 400).
     */
    public ResponseType negotiate(Collection<ResponseType> supported) {
        if (acceptedResponseTypes.isEmpty()) return ResponseType.SAMPLES;
        for (int n : acceptedResponseTypes) {
            ResponseType t = ResponseType.forNumber(n);
            if (t != null && supported.contains(t)) return t;
        }
        return null;
    }

    /** Decodes a {@code ReadRequest} (protobuf bytes, after snappy). */
    public static ReadRequest parse(byte[] protobuf) throws RemoteProtocolException {
        return parse(protobuf, 0, protobuf.length);
    }

    /**
     * Decodes the {@code ReadRequest} in {@code buf[off, off+len)}. Matchers are compiled here, so an invalid
     * regular expression or unknown matcher type is a protocol error naming the query and matcher.
     */
    public static ReadRequest parse(byte[] buf, int off, int len) throws RemoteProtocolException {
        Objects.checkFromIndexSize(off, len, buf.length);
        CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
        List<Query> queries = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (Wire.field(tag)) {
                    case 1:
                        Wire.expect(tag, Wire.LEN, "ReadRequest");
                        queries.add(readQuery(in, queries.size()));
                        break;
                    case 2: // repeated enum: packed (proto3 default) or not
                        if (Wire.wireType(tag) == Wire.LEN) {
                            int old = Wire.enter(in);
                            while (!in.isAtEnd()) types.add(in.readEnum());
                            in.popLimit(old);
                        } else {
                            Wire.expect(tag, Wire.VARINT, "ReadRequest");
                            types.add(in.readEnum());
                        }
                        break;
                    default:
                        Wire.skip(in, tag);
                }
            }
        } catch (IOException e) {
            throw new RemoteProtocolException("malformed ReadRequest: " + e.getMessage(), Wire.offset(in), e);
        }
        return new ReadRequest(queries, types);
    }

    private static Query readQuery(CodedInputStream in, int q) throws IOException {
        int old = Wire.enter(in);
        long start = 0, end = 0;
        List<Matcher> matchers = new ArrayList<>();
        ReadHints hints = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.VARINT, "Query");
                    start = in.readInt64();
                    break;
                case 2:
                    Wire.expect(tag, Wire.VARINT, "Query");
                    end = in.readInt64();
                    break;
                case 3:
                    Wire.expect(tag, Wire.LEN, "Query");
                    matchers.add(readMatcher(in, q, matchers.size()));
                    break;
                case 4:
                    Wire.expect(tag, Wire.LEN, "Query");
                    hints = readHints(in);
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        return new Query(start, end, matchers, hints);
    }

    private static Matcher readMatcher(CodedInputStream in, int q, int m) throws IOException {
        int old = Wire.enter(in);
        int type = 0;
        String name = "", value = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.VARINT, "LabelMatcher");
                    type = in.readEnum();
                    break;
                case 2:
                    Wire.expect(tag, Wire.LEN, "LabelMatcher");
                    name = Wire.readUtf8(in, "matcher name");
                    break;
                case 3:
                    Wire.expect(tag, Wire.LEN, "LabelMatcher");
                    value = Wire.readUtf8(in, "matcher value");
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        Matcher.Type t;
        switch (type) {
            case 0: t = Matcher.Type.EQUAL; break;
            case 1: t = Matcher.Type.NOT_EQUAL; break;
            case 2: t = Matcher.Type.REGEX; break;
            case 3: t = Matcher.Type.NOT_REGEX; break;
            default: throw new InvalidProtocolBufferException("query " + q + " matcher " + m + ": unknown matcher type " + type);
        }
        try {
            return Matcher.of(t, name, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidProtocolBufferException("query " + q + " matcher " + m + ": " + e.getMessage());
        }
    }

    private static ReadHints readHints(CodedInputStream in) throws IOException {
        int old = Wire.enter(in);
        long step = 0, start = 0, end = 0, range = 0;
        String func = "";
        List<String> grouping = new ArrayList<>();
        boolean by = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1: Wire.expect(tag, Wire.VARINT, "ReadHints"); step = in.readInt64(); break;
                case 2: Wire.expect(tag, Wire.LEN, "ReadHints"); func = Wire.readUtf8(in, "hints func"); break;
                case 3: Wire.expect(tag, Wire.VARINT, "ReadHints"); start = in.readInt64(); break;
                case 4: Wire.expect(tag, Wire.VARINT, "ReadHints"); end = in.readInt64(); break;
                case 5: Wire.expect(tag, Wire.LEN, "ReadHints"); grouping.add(Wire.readUtf8(in, "hints grouping")); break;
                case 6: Wire.expect(tag, Wire.VARINT, "ReadHints"); by = in.readRawVarint64() != 0; break;
                case 7: Wire.expect(tag, Wire.VARINT, "ReadHints"); range = in.readInt64(); break;
                default: Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        return new ReadHints(step, func, start, end, grouping, by, range);
    }

    /** Encodes this request (not compressed); accepted types are written packed, as proto3 does. */
    public byte[] toByteArray() {
        int total = 0;
        int[] qsize = new int[queries.size()];
        for (int i = 0; i < qsize.length; i++) {
            qsize[i] = querySize(queries.get(i));
            total += Wire.lenFieldSize(qsize[i]);
        }
        int typesSize = 0;
        for (int n : acceptedResponseTypes) typesSize += CodedOutputStream.computeEnumSizeNoTag(n);
        if (typesSize > 0) total += Wire.lenFieldSize(typesSize);
        byte[] out = new byte[total];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < qsize.length; i++) {
                Query q = queries.get(i);
                Wire.writeLenTag(cos, 1, qsize[i]);
                Wire.writeInt64(cos, 1, q.startTimestampMs());
                Wire.writeInt64(cos, 2, q.endTimestampMs());
                for (Matcher m : q.matchers()) {
                    Wire.writeLenTag(cos, 3, matcherSize(m));
                    if (typeNumber(m) != 0) cos.writeEnum(1, typeNumber(m));
                    Wire.writeString(cos, 2, m.name());
                    Wire.writeString(cos, 3, m.value());
                }
                if (q.hints() != null) {
                    ReadHints h = q.hints();
                    Wire.writeLenTag(cos, 4, hintsSize(h));
                    Wire.writeInt64(cos, 1, h.stepMs());
                    Wire.writeString(cos, 2, h.func());
                    Wire.writeInt64(cos, 3, h.startMs());
                    Wire.writeInt64(cos, 4, h.endMs());
                    for (String g : h.grouping()) cos.writeString(5, g); // repeated: empty strings are kept
                    if (h.by()) cos.writeBool(6, true);
                    Wire.writeInt64(cos, 7, h.rangeMs());
                }
            }
            if (typesSize > 0) {
                Wire.writeLenTag(cos, 2, typesSize);
                for (int n : acceptedResponseTypes) cos.writeEnumNoTag(n);
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("size computation disagrees with output (bug)", e);
        }
        return out;
    }

    private static int typeNumber(Matcher m) {
        switch (m.type()) {
            case EQUAL: return 0;
            case NOT_EQUAL: return 1;
            case REGEX: return 2;
            default: return 3;
        }
    }

    private static int querySize(Query q) {
        int n = Wire.int64FieldSize(q.startTimestampMs()) + Wire.int64FieldSize(q.endTimestampMs());
        for (Matcher m : q.matchers()) n += Wire.lenFieldSize(matcherSize(m));
        if (q.hints() != null) n += Wire.lenFieldSize(hintsSize(q.hints()));
        return n;
    }

    private static int matcherSize(Matcher m) {
        int t = typeNumber(m);
        return (t == 0 ? 0 : 1 + CodedOutputStream.computeEnumSizeNoTag(t)) + Wire.stringFieldSize(m.name())
                + Wire.stringFieldSize(m.value());
    }

    private static int hintsSize(ReadHints h) {
        int n = Wire.int64FieldSize(h.stepMs()) + Wire.stringFieldSize(h.func()) + Wire.int64FieldSize(h.startMs())
                + Wire.int64FieldSize(h.endMs()) + Wire.int64FieldSize(h.rangeMs()) + (h.by() ? 2 : 0);
        for (String g : h.grouping()) n += 1 + CodedOutputStream.computeStringSizeNoTag(g);
        return n;
    }
}
