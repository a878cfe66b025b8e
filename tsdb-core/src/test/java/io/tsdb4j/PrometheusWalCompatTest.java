package io.tsdb4j;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.testing.ProcessRunner;
import io.tsdb4j.testing.PrometheusServer;
import io.tsdb4j.testing.RealTools;
import io.tsdb4j.testing.TextAssert;
import io.tsdb4j.tools.Dump;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Byte compatibility of the WAL with the real Prometheus 2.42: a WAL Prometheus wrote dumps identically in
 * tsdb4j and in promtool, and a WAL tsdb4j wrote dumps identically in promtool and in tsdb4j.
 */
class PrometheusWalCompatTest {
    @TempDir
    Path tmp;

    static String ourDump(Path dataDir) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Tsdb db = Tsdb.openReadOnly(dataDir)) {
            Dump.dump(db, Long.MIN_VALUE, Long.MAX_VALUE, new Matcher[0], sb);
        }
        return sb.toString();
    }

    static String promtoolDump(Path workDir, Path dataDir) throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(workDir, 120, List.of(RealTools.promtool(), "tsdb", "dump", dataDir.toString()));
        assertEquals(0, r.exitCode(), "promtool tsdb dump failed: " + r.stderr());
        return r.stdout();
    }

    @Test
    void walWrittenByPrometheusDumpsLikePromtool() throws Exception {
        Path data;
        try (PrometheusServer prom = PrometheusServer.start(tmp, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: self
                    static_configs:
                      - targets: ['127.0.0.1:%PORT%']
                """)) {
            prom.awaitScrapes(4, Duration.ofSeconds(60));
            data = prom.dataDir();
        }
        String expected = promtoolDump(tmp, data);
        String actual = ourDump(data);
        assertTrue(expected.lines().count() > 500, "Prometheus wrote a real WAL (" + expected.lines().count() + " lines)");
        TextAssert.assertLinesEqual(expected, actual);
    }

    @ParameterizedTest(name = "walCompression={0}")
    @ValueSource(booleans = {false, true})
    void walWrittenByTsdb4jDumpsLikePromtool(boolean compression) throws Exception {
        Path data = tmp.resolve("ours");
        Random rnd = new Random(7);
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e-7, 123456.0,
                1234567.0, 0.1, 1e21, 5e-324, Double.longBitsToDouble(0x7FF0000000000002L)};
        try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults().withWalCompression(compression).withWalSegmentSize(128 * 1024))) {
            long t = 1_700_000_000_000L;
            for (int batch = 0; batch < 300; batch++, t += 15_000) {
                Appender a = db.appender();
                for (int s = 0; s < 40; s++) {
                    double v = s < special.length && batch % 50 == 0 ? special[s] : rnd.nextInt(4) == 0 ? rnd.nextDouble() * 1e6 : batch * s;
                    a.append(Labels.of("__name__", "m_" + (s % 4), "instance", "host-" + s, "quote", "a\"b\\c\n\u00e9"), t, v);
                }
                a.commit();
            }
        }
        String expected = promtoolDump(tmp, data);
        assertTrue(expected.lines().count() == 300 * 40, "promtool read every sample: " + expected.lines().count());
        TextAssert.assertLinesEqual(expected, ourDump(data));
    }
}
