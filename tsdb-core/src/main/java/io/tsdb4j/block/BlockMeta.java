package io.tsdb4j.block;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A block's {@code meta.json}: its ULID, the time range {@code [minTime, maxTime)} (maxTime <b>exclusive</b>), stats
 * and compaction history. {@link #toJson()} writes exactly what Prometheus 2.42 writes (Go's {@code MarshalIndent}
 * with a tab: this key order, members omitted when zero/false/empty as in Go's {@code omitempty}, no trailing
 * newline); {@link #parse} accepts any valid JSON object with these keys and ignores unknown ones.
 *
 * <p>Immutable (lists are copied) and thread-safe.
 */
public record BlockMeta(Ulid ulid, long minTime, long maxTime, Stats stats, Compaction compaction, int version) {
    public static final String FILE_NAME = "meta.json";
    public static final int VERSION_1 = 1;

    /** Counts; Go {@code uint64}s. */
    public record Stats(long numSamples, long numSeries, long numChunks, long numTombstones) {
        public static final Stats EMPTY = new Stats(0, 0, 0, 0);

        public Stats withNumTombstones(long n) {
            return new Stats(numSamples, numSeries, numChunks, n);
        }
    }

    /** A parent block of a compacted block. */
    public record Parent(Ulid ulid, long minTime, long maxTime) {
        public Parent {
            Objects.requireNonNull(ulid, "ulid");
        }
    }

    /**
     * Compaction history: {@code level} 1 for blocks cut from the head; {@code sources} the level-1 blocks merged
     * into this one; {@code deletable} set on blocks that may be removed (parents of a finished compaction, or
     * blocks left empty); {@code failed} set when compacting this block failed; {@code hints} e.g. {@code
     * "from-out-of-order"}.
     */
    public record Compaction(int level, List<Ulid> sources, boolean deletable, List<Parent> parents, boolean failed,
                             List<String> hints) {
        public Compaction {
            sources = List.copyOf(sources);
            parents = List.copyOf(parents);
            hints = List.copyOf(hints);
        }

        /** Level 1 with itself as the only source: a block cut from the head. */
        public static Compaction level1(Ulid self) {
            return new Compaction(1, List.of(self), false, List.of(), false, List.of());
        }

        public Compaction withDeletable(boolean d) {
            return new Compaction(level, sources, d, parents, failed, hints);
        }

        public Compaction withFailed(boolean f) {
            return new Compaction(level, sources, deletable, parents, f, hints);
        }
    }

    public BlockMeta {
        Objects.requireNonNull(ulid, "ulid");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(compaction, "compaction");
    }

    public BlockMeta withStats(Stats s) {
        return new BlockMeta(ulid, minTime, maxTime, s, compaction, version);
    }

    public BlockMeta withCompaction(Compaction c) {
        return new BlockMeta(ulid, minTime, maxTime, stats, c, version);
    }

    /** True if the block's range {@code [minTime, maxTime)} intersects the closed range {@code [mint, maxt]}. */
    public boolean overlapsClosed(long mint, long maxt) {
        return minTime <= maxt && mint < maxTime;
    }

    // ---- JSON -----------------------------------------------------------------------------------------------

    /** The JSON text exactly as Prometheus 2.42 writes it. */
    public String toJson() {
        StringBuilder b = new StringBuilder(512);
        b.append("{\n");
        b.append("\t\"ulid\": ").append('"').append(ulid).append("\",\n");
        b.append("\t\"minTime\": ").append(minTime).append(",\n");
        b.append("\t\"maxTime\": ").append(maxTime).append(",\n");
        b.append("\t\"stats\": ");
        List<String> st = new ArrayList<>(4);
        if (stats.numSamples != 0) st.add("\"numSamples\": " + Long.toUnsignedString(stats.numSamples));
        if (stats.numSeries != 0) st.add("\"numSeries\": " + Long.toUnsignedString(stats.numSeries));
        if (stats.numChunks != 0) st.add("\"numChunks\": " + Long.toUnsignedString(stats.numChunks));
        if (stats.numTombstones != 0) st.add("\"numTombstones\": " + Long.toUnsignedString(stats.numTombstones));
        appendObject(b, st, 1);
        b.append(",\n");
        b.append("\t\"compaction\": ");
        List<String> cm = new ArrayList<>(6);
        cm.add("\"level\": " + compaction.level);
        if (!compaction.sources.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Ulid u : compaction.sources) items.add('"' + u.toString() + '"');
            cm.add("\"sources\": " + array(items, 3));
        }
        if (compaction.deletable) cm.add("\"deletable\": true");
        if (!compaction.parents.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (Parent p : compaction.parents) {
                StringBuilder o = new StringBuilder();
                appendObject(o, List.of("\"ulid\": \"" + p.ulid + '"', "\"minTime\": " + p.minTime,
                        "\"maxTime\": " + p.maxTime), 3);
                items.add(o.toString());
            }
            cm.add("\"parents\": " + array(items, 3));
        }
        if (compaction.failed) cm.add("\"failed\": true");
        if (!compaction.hints.isEmpty()) {
            List<String> items = new ArrayList<>();
            for (String h : compaction.hints) items.add(goQuote(h));
            cm.add("\"hints\": " + array(items, 3));
        }
        appendObject(b, cm, 1);
        b.append(",\n");
        b.append("\t\"version\": ").append(version).append("\n}");
        return b.toString();
    }

    /** Appends {@code {members}} whose members sit at {@code depth + 1} tabs; Go writes {@code {}} when empty. */
    private static void appendObject(StringBuilder b, List<String> members, int depth) {
        if (members.isEmpty()) {
            b.append("{}");
            return;
        }
        b.append("{\n");
        for (int i = 0; i < members.size(); i++) {
            b.append("\t".repeat(depth + 1)).append(members.get(i));
            b.append(i + 1 < members.size() ? ",\n" : "\n");
        }
        b.append("\t".repeat(depth)).append('}');
    }

    private static String array(List<String> items, int itemDepth) {
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < items.size(); i++) {
            b.append("\t".repeat(itemDepth)).append(items.get(i)).append(i + 1 < items.size() ? ",\n" : "\n");
        }
        return b.append("\t".repeat(itemDepth - 1)).append(']').toString();
    }

    /** A JSON string as Go's encoding/json writes it (HTML-safe escapes for {@code <>&}, U+2028/9 escaped). */
    static String goQuote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        b.append("\\ufffd"); // Go replaces invalid UTF-8 with U+FFFD
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Parses meta.json text. {@code source} names the file in errors.
     *
     * @throws FileCorruptionException if the text is not a JSON object of the expected shape
     */
    public static BlockMeta parse(byte[] json, Path source) {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, source);
            Ulid ulid = null;
            long minTime = 0;
            long maxTime = 0;
            Stats stats = Stats.EMPTY;
            Compaction comp = new Compaction(0, List.of(), false, List.of(), false, List.of());
            int version = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                switch (key) {
                    case "ulid" -> ulid = ulid(p, t, source);
                    case "minTime" -> minTime = number(p, t, source);
                    case "maxTime" -> maxTime = number(p, t, source);
                    case "version" -> version = (int) number(p, t, source);
                    case "stats" -> stats = parseStats(p, t, source);
                    case "compaction" -> comp = parseCompaction(p, t, source);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw bad(source, p, "unterminated object");
            if (ulid == null) throw bad(source, p, "no \"ulid\"");
            return new BlockMeta(ulid, minTime, maxTime, stats, comp, version);
        } catch (IOException e) {
            throw new FileCorruptionException(source, -1, "invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Stats parseStats(JsonParser p, JsonToken t, Path src) throws IOException {
        expect(p, t, JsonToken.START_OBJECT, src);
        long s = 0, se = 0, c = 0, tb = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "numSamples" -> s = number(p, v, src);
                case "numSeries" -> se = number(p, v, src);
                case "numChunks" -> c = number(p, v, src);
                case "numTombstones" -> tb = number(p, v, src);
                default -> p.skipChildren();
            }
        }
        return new Stats(s, se, c, tb);
    }

    private static Compaction parseCompaction(JsonParser p, JsonToken t, Path src) throws IOException {
        expect(p, t, JsonToken.START_OBJECT, src);
        int level = 0;
        List<Ulid> sources = new ArrayList<>();
        List<Parent> parents = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        boolean deletable = false, failed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "level" -> level = (int) number(p, v, src);
                case "deletable" -> deletable = bool(p, v, src);
                case "failed" -> failed = bool(p, v, src);
                case "sources" -> {
                    if (v == JsonToken.VALUE_NULL) break;
                    expect(p, v, JsonToken.START_ARRAY, src);
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) sources.add(ulid(p, e, src));
                }
                case "hints" -> {
                    if (v == JsonToken.VALUE_NULL) break;
                    expect(p, v, JsonToken.START_ARRAY, src);
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        expect(p, e, JsonToken.VALUE_STRING, src);
                        hints.add(p.getText());
                    }
                }
                case "parents" -> {
                    if (v == JsonToken.VALUE_NULL) break;
                    expect(p, v, JsonToken.START_ARRAY, src);
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        expect(p, e, JsonToken.START_OBJECT, src);
                        Ulid u = null;
                        long mi = 0, ma = 0;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            JsonToken pv = p.nextToken();
                            switch (k) {
                                case "ulid" -> u = ulid(p, pv, src);
                                case "minTime" -> mi = number(p, pv, src);
                                case "maxTime" -> ma = number(p, pv, src);
                                default -> p.skipChildren();
                            }
                        }
                        if (u == null) throw bad(src, p, "parent without \"ulid\"");
                        parents.add(new Parent(u, mi, ma));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Compaction(level, sources, deletable, parents, failed, hints);
    }

    private static Ulid ulid(JsonParser p, JsonToken t, Path src) throws IOException {
        expect(p, t, JsonToken.VALUE_STRING, src);
        try {
            return Ulid.parse(p.getText());
        } catch (IllegalArgumentException e) {
            throw bad(src, p, e.getMessage());
        }
    }

    private static long number(JsonParser p, JsonToken t, Path src) throws IOException {
        expect(p, t, JsonToken.VALUE_NUMBER_INT, src);
        return p.getLongValue();
    }

    private static boolean bool(JsonParser p, JsonToken t, Path src) {
        if (t == JsonToken.VALUE_TRUE) return true;
        if (t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) return false;
        throw bad(src, p, "expected a boolean, got " + t);
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want, Path src) {
        if (got != want) throw bad(src, p, "expected " + want + ", got " + got);
    }

    private static FileCorruptionException bad(Path src, JsonParser p, String msg) {
        long off = p.currentLocation() == null ? -1 : p.currentLocation().getByteOffset();
        return new FileCorruptionException(src, off, msg);
    }

    // ---- files ----------------------------------------------------------------------------------------------

    /**
     * Reads {@code <blockDir>/meta.json}.
     *
     * @throws IOException             if it cannot be read
     * @throws FileCorruptionException if it is not valid meta JSON
     */
    public static BlockMeta read(Path blockDir) throws IOException {
        Path f = blockDir.resolve(FILE_NAME);
        return parse(Files.readAllBytes(f), f);
    }

    /**
     * Writes {@code <blockDir>/meta.json} atomically: to {@code meta.json.tmp}, fsynced, renamed over the old file,
     * directory fsynced. Returns the bytes written.
     */
    public long write(Path blockDir) throws IOException {
        byte[] b = toJson().getBytes(StandardCharsets.UTF_8);
        FileUtil.writeAtomically(blockDir, FILE_NAME, b);
        return b.length;
    }
}
