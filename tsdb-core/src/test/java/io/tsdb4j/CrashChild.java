package io.tsdb4j;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * The process {@link CrashTest} kills. Args: data dir, first batch number, seed, optional block range in ms.
 * Appends batches numbered from args[1] on; batch b writes timestamp b to a
 * random subset of 20 series with value b. Commits most, rolls back some, and after each commit or rollback
 * returns prints "C b" or "R b" (flushed), so the parent knows what was acknowledged. Now and then it deletes an
 * earlier batch of its own, printing "d b" before and "D b" after {@code delete} returned. Runs until killed; a
 * commit that rejects a sample (none should) prints "X b reason" and exits.
 */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        Random rnd = new Random(Long.parseLong(args[2]));
        PrintStream out = new PrintStream(System.out, false);
        // Each run picks WAL compression anew, so that one WAL mixes snappy and plain records, as Prometheus allows.
        TsdbOptions opts = TsdbOptions.defaults().withSyncPolicy(SyncPolicy.COMMIT).withWalSegmentSize(64 * 1024)
                .withWalCompression(rnd.nextBoolean());
        if (args.length > 3) {
            // Batches are 1 ms apart: a tiny block range makes head cuts, checkpoints and compactions run all the time.
            opts = opts.withBlockRange(java.time.Duration.ofMillis(Long.parseLong(args[3])));
        }
        java.util.List<Long> committed = new java.util.ArrayList<>();
        try (Tsdb db = Tsdb.open(dir, opts)) {
            out.println("OPEN");
            out.flush();
            for (long b = first; ; b++) {
                Appender app = db.appender();
                int n = 1 + rnd.nextInt(20);
                int start = rnd.nextInt(20);
                for (int i = 0; i < n; i++) {
                    int s = (start + i) % 20;
                    // Pad labels so records span pages and segments now and then.
                    app.append(Labels.of("__name__", "crash", "s", Integer.toString(s), "pad", "x".repeat(rnd.nextInt(200))), b, b);
                }
                if (rnd.nextInt(8) == 0) {
                    app.rollback();
                    out.println("R " + b);
                } else {
                    CommitResult r = app.commit();
                    if (!r.rejected().isEmpty()) {
                        // Nothing here is out of order or too old: a rejection is a bug the parent must see.
                        out.println("X " + b + " " + r.rejected().get(0).getMessage());
                        out.flush();
                        System.exit(3);
                    }
                    out.println("C " + b);
                    committed.add(b);
                }
                out.flush();
                if (committed.size() > 1 && rnd.nextInt(10) == 0) {
                    // Delete an earlier batch of this run: "d x" before, "D x" once the delete returned.
                    long d = committed.get(rnd.nextInt(committed.size() - 1));
                    out.println("d " + d);
                    out.flush();
                    db.delete(d, d, Matcher.equal("__name__", "crash"));
                    out.println("D " + d);
                    out.flush();
                }
            }
        }
    }
}
