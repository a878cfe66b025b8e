package io.tsdb4j.bench;

import io.tsdb4j.Tsdb;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.promql.engine.Engine;
import io.tsdb4j.promql.engine.QueryResult;
import io.tsdb4j.promql.value.Matrix;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The same range queries on the same block, evaluated by tsdb4j in-process, by Prometheus over its HTTP API and
 * (optionally) by {@code tsdb4j serve} over the same API, alternating the three in every round.
 *
 * <pre>
 * gen DIR                              the PromQL workload (22k series, 2h of 15s samples) as one block [B, B+2h);
 *                                      B is written to DIR.info
 * run DIR PROM_URL TSDB4J_URL|- WARMUP RUNS [QUERY_INDEX]
 * </pre>
 */
public final class QueryCompare {
    private QueryCompare() {}

    static final String[] QUERIES = {
            "sum by (job) (rate(x[5m]))",
            "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))",
            "sum by (job) (x / on(instance) group_left y * on(instance) group_left z)",
    };
    static final long STEP = 15_000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "gen" -> gen(dir);
            case "run" -> run(dir, args[2], args[3].equals("-") ? null : args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args.length > 6 ? Integer.parseInt(args[6]) : -1);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static long gen(Path dir) throws IOException {
        long b = BenchWorkload.floorTo(System.currentTimeMillis() - BenchWorkload.TWO_HOURS, BenchWorkload.TWO_HOURS);
        Files.createDirectories(dir.resolve("wal"));
        BenchWorkload w = new BenchWorkload.PromQL(b);
        BlockMeta m = w.writeBlock(dir, (int) BenchWorkload.PromQL.SAMPLES_PER_SERIES, b, b + BenchWorkload.TWO_HOURS);
        Path blk = dir.resolve(m.ulid().toString());
        long chunks = BenchWorkload.dirBytes(blk.resolve("chunks")), index = Files.size(blk.resolve("index"));
        System.out.printf("block %s [%d, %d) series=%d samples=%d chunks=%d chunkBytes=%d indexBytes=%d%n", m.ulid(),
                m.minTime(), m.maxTime(), m.stats().numSeries(), m.stats().numSamples(), m.stats().numChunks(), chunks, index);
        Files.writeString(CompactionCompare.info(dir), Long.toString(b));
        return b;
    }

    static double[] inProcess(Engine engine, Tsdb db, String q, long start, long end) {
        long t0 = System.nanoTime();
        QueryResult r = engine.rangeQuery(db::querier, q, start, end, STEP);
        long t1 = System.nanoTime();
        Matrix m = r.matrix();
        long points = 0;
        for (int i = 0; i < m.size(); i++) points += m.get(i).size();
        return new double[] {(t1 - t0) / 1e6, m.size(), points};
    }

    static double[] http(HttpClient client, String base, String q, long start, long end) throws Exception {
        String body = "query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&start=" + (start / 1000.0) + "&end="
                + (end / 1000.0) + "&step=" + (STEP / 1000.0);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t0 = System.nanoTime();
        HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        long t1 = System.nanoTime();
        byte[] b = resp.body();
        if (resp.statusCode() != 200) {
            throw new IOException(base + " answered " + resp.statusCode() + ": " + new String(b, 0, Math.min(b.length, 500), StandardCharsets.UTF_8));
        }
        String s = new String(b, StandardCharsets.UTF_8);
        long series = count(s, "\"metric\"");
        long points = 0;
        for (int i = 0; i + 1 < s.length(); i++) if (s.charAt(i) == '[' && Character.isDigit(s.charAt(i + 1))) points++;
        return new double[] {(t1 - t0) / 1e6, series, points, b.length};
    }

    static long count(String s, String sub) {
        long n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }

    static void run(Path dir, String prom, String ours, int warmup, int runs, int only) throws Exception {
        long b = Long.parseLong(Files.readString(CompactionCompare.info(dir)).trim());
        long start = b, end = b + BenchWorkload.TWO_HOURS;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Engine engine = new Engine();
        try (Tsdb db = Tsdb.openReadOnly(dir)) {
            for (int qi = 0; qi < QUERIES.length; qi++) {
                if (only >= 0 && qi != only) continue;
                String q = QUERIES[qi];
                int sys = ours == null ? 2 : 3;
                double[][] ms = new double[sys][runs];
                for (int r = -warmup; r < runs; r++) {
                    double[][] res = new double[sys][];
                    // rotate the order every round so no system always runs first (or right after another's GC)
                    for (int o = 0; o < sys; o++) {
                        int k = Math.floorMod(o + r, sys);
                        res[k] = switch (k) {
                            case 0 -> inProcess(engine, db, q, start, end);
                            case 1 -> http(client, prom, q, start, end);
                            default -> http(client, ours, q, start, end);
                        };
                    }
                    if (r == -warmup) {
                        System.out.printf("%nquery %s%n  in-process: %d series, %d points; prometheus: %d series, %d points, "
                                        + "%d bytes JSON%s%n", q, (long) res[0][1], (long) res[0][2], (long) res[1][1],
                                (long) res[1][2], (long) res[1][3], sys == 3 ? String.format("; tsdb4j http: %d series, %d points, %d bytes",
                                        (long) res[2][1], (long) res[2][2], (long) res[2][3]) : "");
                        if (res[0][1] != res[1][1] || res[0][2] != res[1][2]) System.out.println("  WARNING: result sizes differ");
                    }
                    if (r >= 0) for (int k = 0; k < sys; k++) ms[k][r] = res[k][0];
                }
                String[] names = {"tsdb4j in-process", "prometheus http", "tsdb4j http"};
                for (int k = 0; k < sys; k++) {
                    System.out.printf("  %-18s median %8.1f ms  p90 %8.1f ms  min %8.1f  max %8.1f  runs %s%n", names[k],
                            pct(ms[k], 50), pct(ms[k], 90), pct(ms[k], 0), pct(ms[k], 100), fmt(ms[k]));
                }
                for (int k = 0; k < sys; k++) {
                    if (k == 1) continue;
                    double[] ratio = new double[runs];
                    for (int r = 0; r < runs; r++) ratio[r] = ms[k][r] / ms[1][r];
                    System.out.printf("  %s / prometheus per round: median %.2f  (p10 %.2f, p90 %.2f)%n", names[k],
                            pct(ratio, 50), pct(ratio, 10), pct(ratio, 90));
                }
            }
        }
    }

    static String fmt(double[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (double d : a) sb.append(sb.length() > 1 ? " " : "").append(Math.round(d));
        return sb.append(']').toString();
    }

    static double pct(double[] a, double p) {
        double[] s = a.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    static List<String> queries() {
        return new ArrayList<>(List.of(QUERIES));
    }
}
