package io.tsdb4j.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compatibility with an index written by promtool 2.42 (see {@code promtool-2.42/README.md} in the test resources):
 * the reader decodes it as the input file says, and the writer, given the same symbols and series, reproduces it
 * byte for byte.
 */
class IndexFixtureTest {

    private static Path fixture(Path dir) throws IOException {
        Path p = dir.resolve("promtool-index");
        try (InputStream in = IndexFixtureTest.class.getResourceAsStream("promtool-2.42/index")) {
            Files.copy(in, p);
        }
        return p;
    }

    record Series(long id, List<String> labels, List<ChunkMeta> chunks) {}

    private static List<Series> allSeries(IndexReader r) {
        List<Series> out = new ArrayList<>();
        Postings all = AssertingPostings.wrap(r.allPostings());
        while (all.next()) {
            List<String> labels = new ArrayList<>();
            List<ChunkMeta> chunks = new ArrayList<>();
            r.series(all.at(), (n, v) -> {
                labels.add(n);
                labels.add(v);
            }, (mint, maxt, ref) -> chunks.add(new ChunkMeta(mint, maxt, ref)));
            out.add(new Series(all.at(), labels, chunks));
        }
        return out;
    }

    @Test
    void readsPromtoolIndex(@TempDir Path dir) throws IOException {
        try (IndexReader r = IndexReader.open(fixture(dir))) {
            assertEquals(List.of("__name__", "a", "code", "instance", "job", "path", "zone"), r.labelNames());
            // UTF-8 byte order: U+00E9 < U+E000 < U+FFFD < U+1F600 (Java's String order would put U+1F600 second).
            assertEquals(List.of("é", "\uE000", "\uFFFD", "😀"), r.labelValues("zone"));
            assertEquals(List.of("http_requests_total", "long_series", "up"), r.labelValues("__name__"));

            List<Series> series = allSeries(r);
            assertEquals(10, series.size());
            Series first = series.get(0);
            assertEquals(List.of("__name__", "http_requests_total", "code", "200", "job", "api", "path", "/a"),
                    first.labels());
            assertEquals(1, first.chunks().size());
            assertEquals(1_700_000_000_000L, first.chunks().get(0).minTime());
            assertEquals(1_700_000_030_000L, first.chunks().get(0).maxTime());

            Series longSeries = series.stream().filter(s -> s.labels().contains("long_series")).findFirst().orElseThrow();
            assertEquals(List.of("__name__", "long_series", "a", "x"), longSeries.labels());
            assertEquals(3, longSeries.chunks().size()); // 300 samples, 120 per chunk
            assertEquals(1_700_000_000_000L, longSeries.chunks().get(0).minTime());
            assertEquals(1_700_000_000_000L + 15_000L * 299, longSeries.chunks().get(2).maxTime());
            for (int i = 1; i < 3; i++) {
                assertEquals(longSeries.chunks().get(i - 1).maxTime() + 15_000, longSeries.chunks().get(i).minTime());
            }

            long[] up = Postings.toArray(AssertingPostings.wrap(r.postings("__name__", "up")));
            assertEquals(6, up.length);
            long[] webUp = Postings.toArray(AssertingPostings.wrap(Postings.intersect(
                    r.postings("__name__", "up"), r.postings("job", "web"))));
            assertEquals(5, webUp.length);
        }
    }

    @Test
    void rewritesPromtoolIndexByteForByte(@TempDir Path dir) throws IOException {
        Path in = fixture(dir);
        Path out = dir.resolve("ours");
        try (IndexReader r = IndexReader.open(in); IndexWriter w = IndexWriter.create(out)) {
            for (Iterator<String> it = r.symbols(); it.hasNext(); ) w.addSymbol(it.next());
            for (Series s : allSeries(r)) {
                long id = w.addSeries(s.labels().toArray(new String[0]), s.chunks());
                assertEquals(s.id(), id, "series id");
            }
            w.finish();
        }
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(out));
    }
}
