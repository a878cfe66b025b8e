package io.tsdb4j.tools;

import io.tsdb4j.CommitResult;
import io.tsdb4j.SampleRejectedException;
import io.tsdb4j.block.BlockMeta;
import io.tsdb4j.block.BlockWriter;
import io.tsdb4j.head.Head;
import io.tsdb4j.head.HeadAppender;
import io.tsdb4j.labels.Labels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Backfills an OpenMetrics text file into blocks, as {@code promtool tsdb create-blocks-from openmetrics} does:
 * a first pass validates the whole file (a bad line fails the import with its line number before anything is
 * written) and finds the time range; then, for each block-duration window with data, the file is read again, the
 * window's samples are built into chunks in memory and written as one block (each block appears atomically).
 */
public final class OpenMetricsImport {
    private OpenMetricsImport() {}

    /** What an import wrote. */
    public record Result(long samples, int series, List<BlockMeta> blocks, long minTime, long maxTime) {}

    /**
     * @param progress receives the number of input bytes processed so far, over both passes (2 × file size in all)
     */
    public static Result run(Path file, Path dataDir, long blockDuration, LongConsumer progress) throws IOException {
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        Set<Labels> series = new HashSet<>();
        long samples;
        try (CountingReader in = open(file, progress, 0)) {
            samples = new OpenMetricsParser(in.reader).parse((labels, t, v) -> {
                range[0] = Math.min(range[0], t);
                range[1] = Math.max(range[1], t);
                series.add(labels);
            });
        }
        List<BlockMeta> blocks = new ArrayList<>();
        if (samples == 0) return new Result(0, 0, blocks, 0, 0);
        Files.createDirectories(dataDir);
        long size = Files.size(file);
        long firstWindow = Math.floorDiv(range[0], blockDuration) * blockDuration;
        long windows = Math.floorDiv(range[1], blockDuration) * blockDuration - firstWindow + blockDuration;
        int windowIndex = 0;
        for (long w = firstWindow; w <= range[1]; w += blockDuration, windowIndex++) {
            final long lo = w, hi = w + blockDuration;
            Head head = new Head(blockDuration, null).withUnboundedWindow();
            long base = size + (long) ((double) size * windowIndex * blockDuration / windows);
            try (CountingReader in = open(file, b -> progress.accept(Math.min(2 * size, base + b * blockDuration / windows)), 0)) {
                HeadAppender[] app = {head.appender()};
                int[] pending = {0};
                new OpenMetricsParser(in.reader).parse((labels, t, v) -> {
                    if (t < lo || t >= hi) return;
                    try {
                        app[0].append(labels, t, v);
                    } catch (SampleRejectedException e) {
                        throw new IOException("cannot import: " + e.getMessage() + " (samples of a series must be in time order)");
                    }
                    if (++pending[0] == 5000) {
                        commit(app[0]);
                        app[0] = head.appender();
                        pending[0] = 0;
                    }
                });
                commit(app[0]);
            }
            BlockWriter.writeFromHead(dataDir, head, lo, hi).ifPresent(blocks::add);
            head.close();
        }
        progress.accept(2 * size);
        return new Result(samples, series.size(), blocks, range[0], range[1]);
    }

    private static void commit(HeadAppender app) throws IOException {
        CommitResult r = app.commit();
        if (!r.rejected().isEmpty()) {
            throw new IOException("cannot import: " + r.rejected().get(0).getMessage() + " (samples of a series must be in time order)");
        }
    }

    private static CountingReader open(Path file, LongConsumer progress, long base) throws IOException {
        return new CountingReader(Files.newInputStream(file), progress, base);
    }

    /** A reader that reports how many bytes were consumed. */
    private static final class CountingReader implements AutoCloseable {
        final BufferedReader reader;

        CountingReader(InputStream raw, LongConsumer progress, long base) {
            InputStream counting = new InputStream() {
                long n = base;
                long lastReport;

                @Override
                public int read() throws IOException {
                    int b = raw.read();
                    if (b >= 0) count(1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int r = raw.read(buf, off, len);
                    if (r > 0) count(r);
                    return r;
                }

                private void count(int k) {
                    n += k;
                    if (n - lastReport >= 1 << 20) {
                        lastReport = n;
                        progress.accept(n);
                    }
                }

                @Override
                public void close() throws IOException {
                    raw.close();
                }
            };
            this.reader = new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8), 1 << 16);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
