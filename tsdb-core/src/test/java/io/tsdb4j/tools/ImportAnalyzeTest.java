package io.tsdb4j.tools;

import io.tsdb4j.Tsdb;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.testing.ProcessRunner;
import io.tsdb4j.testing.RealTools;
import io.tsdb4j.testing.TextAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Backfill and analysis, checked against promtool's own create-blocks-from, dump and analyze. */
class ImportAnalyzeTest {
    @TempDir
    Path tmp;

    private Path openMetrics() throws Exception {
        StringBuilder sb = new StringBuilder("# HELP m_0 A metric.\n# TYPE m_0 gauge\n");
        Random rnd = new Random(3);
        for (int s = 0; s < 24; s++) {
            for (long t = 0; t < 6 * 3600; t += 30) {
                double v = s % 5 == 0 ? rnd.nextGaussian() * 1e6 : t + s;
                String val = (t == 900 && s == 1) ? "NaN" : (t == 1800 && s == 2) ? "+Inf" : Double.toString(v);
                sb.append("m_").append(s % 3).append("{job=\"j").append(s % 5).append("\",inst=\"i").append(s)
                        .append("\",q=\"a\\\"b\\\\c\"} ").append(val).append(' ').append(1_700_000_000 + t).append(s % 4 == 0 ? ".5" : "").append('\n');
            }
        }
        sb.append("# EOF\n");
        Path f = tmp.resolve("in.om");
        Files.writeString(f, sb);
        return f;
    }

    private String promtool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(RealTools.promtool()));
        cmd.addAll(List.of(args));
        ProcessRunner.Result r = ProcessRunner.run(tmp, 300, cmd);
        assertEquals(0, r.exitCode(), "promtool " + String.join(" ", args) + ": " + r.stderr());
        return r.stdout();
    }

    @Test
    void importEqualsPromtoolsBackfillAndAnalyzeAgrees() throws Exception {
        Path file = openMetrics();
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        OpenMetricsImport.Result r = OpenMetricsImport.run(file, ours, 2 * 3_600_000L, n -> { });
        assertEquals(24 * 720, r.samples());
        assertEquals(24, r.series());
        assertTrue(r.blocks().size() >= 3, "one block per 2h window: " + r.blocks());
        promtool("tsdb", "create-blocks-from", "openmetrics", file.toString(), theirs.toString());
        Files.createDirectories(ours.resolve("wal"));
        Files.createDirectories(theirs.resolve("wal"));

        String expected = promtool("tsdb", "dump", theirs.toString());
        assertEquals(24 * 720, expected.lines().count());
        TextAssert.assertLinesEqual(expected, promtool("tsdb", "dump", ours.toString()));
        StringBuilder ourDump = new StringBuilder();
        try (Tsdb db = Tsdb.openReadOnly(theirs)) {
            Dump.dump(db, Long.MIN_VALUE, Long.MAX_VALUE, new Matcher[0], ourDump);
        }
        TextAssert.assertLinesEqual(expected, ourDump.toString());
        promtool("tsdb", "analyze", ours.toString()); // our blocks pass promtool's analysis

        // Analyze of the same (promtool-written) block: the summary lines agree exactly.
        String blockId;
        try (Stream<Path> s = Files.list(theirs)) {
            blockId = s.map(p -> p.getFileName().toString()).filter(n -> n.length() == 26).sorted().reduce((a, b) -> b).orElseThrow();
        }
        String theirAnalysis = promtool("tsdb", "analyze", theirs.toString(), blockId);
        StringBuilder ourAnalysis = new StringBuilder();
        try (Tsdb db = Tsdb.openReadOnly(theirs)) {
            Analyze.analyze(db, Optional.of(blockId), 20, ourAnalysis);
        }
        List<String> t = theirAnalysis.lines().toList();
        List<String> o = ourAnalysis.toString().lines().toList();
        assertEquals(t.subList(0, 6), o.subList(0, 6), "summary:\n" + ourAnalysis);
        for (String title : List.of("Highest cardinality labels:", "Highest cardinality metric names:", "Label names with highest cumulative label value length:")) {
            assertEquals(section(t, title), section(o, title), title);
        }
    }

    /** A section's lines as a sorted list (ties may be printed in any order). */
    private static List<String> section(List<String> lines, String title) {
        int i = lines.indexOf(title);
        assertTrue(i >= 0, "missing section " + title);
        List<String> out = new java.util.ArrayList<>();
        for (int j = i + 1; j < lines.size() && !lines.get(j).isEmpty(); j++) out.add(lines.get(j));
        out.sort(null);
        return out;
    }

    @Test
    void badLineFailsWithItsNumberAndWritesNothing() throws Exception {
        Path f = tmp.resolve("bad.om");
        Files.writeString(f, "up{job=\"a\"} 1 1700000000\nup{job=\"a\"} 2 1700000030\nup{job=\"a\" 3 1700000060\n# EOF\n");
        Path out = tmp.resolve("out");
        OpenMetricsParser.ParseError e = assertThrows(OpenMetricsParser.ParseError.class,
                () -> OpenMetricsImport.run(f, out, 7_200_000, n -> { }));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
        assertFalse(Files.exists(out) && Files.list(out).findAny().isPresent(), "nothing written");

        Files.writeString(f, "up 1 1700000000\n");
        OpenMetricsParser.ParseError eof = assertThrows(OpenMetricsParser.ParseError.class,
                () -> OpenMetricsImport.run(f, out, 7_200_000, n -> { }));
        assertTrue(eof.getMessage().contains("# EOF"), eof.getMessage());
    }

    @Test
    void goDurationFormat() {
        assertEquals("2h0m0s", Analyze.goDuration(7_200_000));
        assertEquals("12m0.001s", Analyze.goDuration(720_001));
        assertEquals("1.5s", Analyze.goDuration(1500));
        assertEquals("500ms", Analyze.goDuration(500));
    }
}
