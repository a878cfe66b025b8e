package io.tsdb4j.bench;

import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads label sets from a file like {@code ../shared/data/20kseries.json} exactly as {@code promtool tsdb bench
 * write} does: per line strip {@code "}, {@code {}, {@code }}; split on {@code ,} then {@code :}; duplicate label
 * sets dropped; the first {@code n} unique sets.
 */
public final class BenchSeries {
    private BenchSeries() {}

    public static List<Labels> read(Path file, int n) throws IOException {
        Set<Labels> out = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (out.size() >= n) break;
            String l = line.replace("\"", "").replace("{", "").replace("}", "");
            if (l.isBlank()) continue;
            List<String> kv = new ArrayList<>();
            for (String pair : l.split(",")) {
                String[] p = pair.split(":", 2);
                kv.add(p[0]);
                kv.add(p.length > 1 ? p[1] : "");
            }
            out.add(Labels.of(kv.toArray(new String[0])));
        }
        if (out.size() < n) throw new IOException(file + " has only " + out.size() + " unique label sets, " + n + " requested");
        return new ArrayList<>(out);
    }
}
