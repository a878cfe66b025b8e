package io.tsdb4j.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tsdb4j.labels.InvalidLabelsException;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads repeated {@code Label} messages into a reusable scratch array and turns them into a validated
 * {@link Labels}: names must follow Prometheus's rule and be unique; values must be valid UTF-8 (checked while
 * reading); empty values are dropped, as {@link Labels} does. Unsorted input is accepted and sorted (the spec says
 * senders sort; Prometheus sorts on receipt). Not thread-safe.
 */
final class LabelCollector {
    private String[] kv = new String[32];
    private int size; // strings used, two per label
    private final StringCache strings = new StringCache();
    /** The array the stream reads and where its first byte sits, so strings can be looked up in place. */
    private byte[] source;
    private int sourceOff;

    /** Sets the array (and offset) that the streams passed to {@link #readLabel} read from. */
    void source(byte[] buf, int off) {
        this.source = buf;
        this.sourceOff = off;
    }

    void reset() {
        Arrays.fill(kv, 0, size, null);
        size = 0;
    }

    int count() {
        return size / 2;
    }

    /** Reads one {@code Label} message; the tag was just read and checked to be length-delimited. */
    void readLabel(CodedInputStream in) throws IOException {
        int old = Wire.enter(in);
        String name = "";
        String value = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.LEN, "Label");
                    name = readString(in, "label name");
                    break;
                case 2:
                    Wire.expect(tag, Wire.LEN, "Label");
                    value = readString(in, "label value");
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        if (size == kv.length) kv = Arrays.copyOf(kv, size * 2);
        kv[size++] = name;
        kv[size++] = value;
    }

    /** Reads the {@code Label} fields (tags included) in {@code source[from, to)}. */
    void readLabels(int from, int to) throws IOException {
        CodedInputStream run = CodedInputStream.newInstance(source, from, to - from);
        int off = sourceOff;
        sourceOff = from;
        try {
            while (!run.isAtEnd()) {
                run.readTag();
                readLabel(run);
            }
        } finally {
            sourceOff = off;
        }
    }

    /** A length-delimited string, looked up in the cache straight from the source array. */
    private String readString(CodedInputStream in, String what) throws IOException {
        if (source == null) return Wire.readUtf8(in, what);
        int len = in.readRawVarint32();
        if (len < 0 || len > in.getBytesUntilLimit()) throw new InvalidProtocolBufferException(what + ": truncated string");
        int pos = sourceOff + in.getTotalBytesRead();
        String s = strings.get(source, pos, len);
        if (s == null) throw new InvalidProtocolBufferException(what + " is not valid UTF-8");
        in.skipRawBytes(len);
        return s;
    }

    /**
     * Validates and builds the collected labels. {@code owner} and {@code index} name the owner in messages
     * ("exemplar", 3 gives "exemplar 3 labels"; index -1 leaves it out); the text is only built on failure.
     */
    Labels build(boolean requireNonEmpty, String owner, int index) throws InvalidProtocolBufferException {
        int n = size / 2;
        boolean sortedUniqueNoEmpty = true;
        for (int i = 0; i < n; i++) {
            String name = kv[2 * i];
            if (!Labels.isValidName(name)) {
                throw new InvalidProtocolBufferException(what(owner, index) + ": invalid label name \"" + name + "\"");
            }
            if (kv[2 * i + 1].isEmpty()) sortedUniqueNoEmpty = false;
            if (i > 0 && kv[2 * i - 2].compareTo(name) >= 0) sortedUniqueNoEmpty = false;
        }
        Labels labels;
        if (n == 0) {
            labels = Labels.EMPTY;
        } else if (sortedUniqueNoEmpty) {
            // Common case: senders sort. Names are ASCII after validation, so String order is byte order.
            labels = Labels.fromSortedPairs(Arrays.copyOf(kv, size));
        } else {
            try {
                labels = Labels.of(Arrays.copyOf(kv, size));
            } catch (InvalidLabelsException e) {
                throw new InvalidProtocolBufferException(what(owner, index) + ": " + e.getMessage());
            }
        }
        if (requireNonEmpty && labels.isEmpty()) {
            throw new InvalidProtocolBufferException(what(owner, index) + ": empty label set");
        }
        return labels;
    }

    private static String what(String owner, int index) {
        return index < 0 ? owner + " labels" : owner + " " + index + " labels";
    }

    /** Size of the repeated {@code Label} field {@code field} holding all of {@code labels}. */
    static int labelsFieldSize(Labels labels) {
        int total = 0;
        for (int i = 0, n = labels.size(); i < n; i++) total += Wire.lenFieldSize(labelSize(labels.name(i), labels.value(i)));
        return total;
    }

    private static int labelSize(String name, String value) {
        return Wire.stringFieldSize(name) + Wire.stringFieldSize(value);
    }

    /** Writes every label of {@code labels} as a {@code Label} message in field {@code field}. */
    static void writeLabels(CodedOutputStream out, int field, Labels labels) throws IOException {
        for (int i = 0, n = labels.size(); i < n; i++) {
            String name = labels.name(i);
            String value = labels.value(i);
            Wire.writeLenTag(out, field, labelSize(name, value));
            Wire.writeString(out, 1, name);
            Wire.writeString(out, 2, value);
        }
    }
}
