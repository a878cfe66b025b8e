package io.tsdb4j.index;

import io.tsdb4j.encoding.Utf8;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random label sets and chunk metas, written and read back: everything the reader exposes equals the model
 * (symbols, names, values, every label pair's postings, all-series list, each series); multi-value and prefix
 * lookups equal model unions; and {@link Utf8#compare} equals byte order.
 */
class IndexRoundTripProperties {
    private static Path dir;

    @BeforeContainer
    static void mkdir() throws IOException {
        dir = Files.createTempDirectory("index-props");
    }

    @AfterContainer
    static void rmdir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    /** Code points that sort differently in UTF-16 and UTF-8, plus ASCII. */
    private static Arbitrary<String> unicodeStrings(int maxLen) {
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between('a', 'e')),
                Tuple.of(1, Arbitraries.integers().between(0xE9, 0xEA)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xE001)),
                Tuple.of(1, Arbitraries.integers().between(0xFFFC, 0xFFFD)),
                Tuple.of(1, Arbitraries.integers().between(0x1F600, 0x1F601)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x10FFFF).filter(c -> c < 0xD800 || c > 0xDFFF)));
        return cp.list().ofMaxSize(maxLen).map(l -> new String(l.stream().mapToInt(Integer::intValue).toArray(), 0,
                l.size()));
    }

    @Provide
    Arbitrary<List<Map<String, String>>> labelSets() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("__name__", "job", "instance", "many", "z", "é", "😀", "\uFFFD"),
                unicodeStrings(3).filter(s -> !s.isEmpty()));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("", "up", "api", "web"),
                Arbitraries.integers().between(0, 99).map(i -> "v" + i), // > 32 values of a name: sampling
                unicodeStrings(5));
        return Arbitraries.maps(names, values).ofMinSize(1).ofMaxSize(5).list().ofMaxSize(120);
    }

    private static List<long[]> chunkLists(int n, long seed) {
        Random rnd = new Random(seed);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(4);
            long[] m = new long[3 * c];
            long t = rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(1_000_000);
            long ref = rnd.nextInt(1 << 20);
            for (int j = 0; j < c; j++) {
                // Mostly ordered, non-overlapping chunks; sometimes arbitrary 64-bit values (wrapping deltas).
                boolean wild = rnd.nextInt(8) == 0;
                m[3 * j] = wild ? rnd.nextLong() : t;
                m[3 * j + 1] = wild ? rnd.nextLong() : t + rnd.nextInt(10_000);
                m[3 * j + 2] = wild ? rnd.nextLong() & Long.MAX_VALUE : ref;
                t = m[3 * j + 1] + 1 + rnd.nextInt(100);
                ref += 1 + rnd.nextInt(5000);
            }
            out.add(m);
        }
        return out;
    }

    private static Path file() throws IOException {
        return Files.createTempFile(dir, "index", "");
    }

    @Property(tries = 200)
    void everythingReadBackEqualsTheModel(@ForAll("labelSets") List<Map<String, String>> sets,
                                          @ForAll long seed, @ForAll boolean emptySymbol) throws IOException {
        IndexModel m = new IndexModel(sets, chunkLists(sets.size(), seed), emptySymbol);
        Path p = file();
        try {
            m.write(p);
            for (int i = 1; i < m.ids.length; i++) assertTrue(m.ids[i] > m.ids[i - 1], "ids increase");
            try (IndexReader r = IndexReader.open(p)) {
                assertEquals(m.expectedDump(), IndexModel.dump(r));
            }
        } finally {
            Files.delete(p);
        }
    }

    @Property(tries = 100)
    void multiValueAndPrefixLookupsEqualModelUnions(@ForAll("labelSets") List<Map<String, String>> sets,
                                                    @ForAll long seed) throws IOException {
        IndexModel m = new IndexModel(sets, chunkLists(sets.size(), seed), true);
        Path p = file();
        try {
            m.write(p);
            Random rnd = new Random(seed);
            try (IndexReader r = IndexReader.open(p)) {
                for (String name : r.labelNames()) {
                    List<String> values = r.labelValues(name);
                    // A random subset of values, in random order, plus a missing one.
                    List<String> pick = new ArrayList<>();
                    for (String v : values) if (rnd.nextBoolean()) pick.add(v);
                    java.util.Collections.shuffle(pick, rnd);
                    pick.add("\u0000missing");
                    assertArrayEquals(model(m, name, pick::contains),
                            Postings.toArray(AssertingPostings.wrap(r.postings(name, pick.toArray(new String[0])))),
                            name + "=" + pick);
                    for (String prefix : prefixes(values, rnd)) {
                        byte[] pb = prefix.getBytes(StandardCharsets.UTF_8);
                        assertArrayEquals(model(m, name, v -> startsWith(v.getBytes(StandardCharsets.UTF_8), pb)),
                                Postings.toArray(AssertingPostings.wrap(r.postingsForLabelPrefix(name, prefix))),
                                name + "=~" + prefix + ".*");
                    }
                    assertArrayEquals(model(m, name, v -> v.length() % 2 == 0),
                            Postings.toArray(AssertingPostings.wrap(
                                    r.postingsForMatchingValues(name, v -> v.length() % 2 == 0))));
                }
                assertEquals(0, Postings.toArray(r.postings("no such name", "x")).length);
            }
        } finally {
            Files.delete(p);
        }
    }

    private static List<String> prefixes(List<String> values, Random rnd) {
        List<String> out = new ArrayList<>(List.of("", "v", "v1", "zzz"));
        for (String v : values) {
            if (rnd.nextInt(4) == 0) {
                int[] cps = v.codePoints().toArray();
                out.add(new String(cps, 0, rnd.nextInt(cps.length + 1)));
            }
        }
        return out;
    }

    private static boolean startsWith(byte[] v, byte[] p) {
        return v.length >= p.length && Arrays.equals(v, 0, p.length, p, 0, p.length);
    }

    private static long[] model(IndexModel m, String name, java.util.function.Predicate<String> values) {
        TreeSet<Long> ids = new TreeSet<>();
        for (int i = 0; i < m.series.size(); i++) {
            String[] l = m.series.get(i).labels();
            for (int j = 0; j < l.length; j += 2) {
                if (l[j].equals(name) && values.test(l[j + 1])) ids.add(m.ids[i]);
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    @Property(tries = 2000)
    void utf8CompareIsByteOrder(@ForAll("anyText") String a, @ForAll("anyText") String b) {
        int want = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        assertEquals(want, Integer.signum(Utf8.compare(a, b)), () -> a + " vs " + b);
    }

    @Provide
    Arbitrary<String> anyText() {
        return unicodeStrings(4);
    }

}
