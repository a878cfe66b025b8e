package io.tsdb4j.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tsdb4j.promql.ast.Expr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every eval expression of Prometheus 2.42's own PromQL test files parses (and round-trips through the printer). */
class PromQLTestdataParseTest {
    private static final Path DIR = Path.of("/work/shared/promql-testdata");
    private static final Pattern EVAL = Pattern.compile("^(eval|eval_ordered|eval_fail)\\s+instant\\s+(?:at\\s+(\\S+)\\s+)?(.+)$");

    @Test
    void allEvalExpressionsParse() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        assertEquals(11, files.size(), "expected the 11 Prometheus 2.42 test files");
        int parsed = 0;
        int failing = 0;
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            for (String raw : Files.readAllLines(f)) {
                String line = raw.trim();
                if (!line.startsWith("eval")) continue;
                Matcher m = EVAL.matcher(line);
                assertTrue(m.matches(), () -> "unrecognised eval line in " + f + ": " + line);
                PromQLParser.parseDuration(m.group(2));
                String query = m.group(3);
                if (m.group(1).equals("eval_fail")) {
                    failing++; // must fail to parse or to evaluate: the engine's tests cover the latter
                    continue;
                }
                try {
                    Expr e = PromQLParser.parse(query);
                    Expr again = PromQLParser.parse(e.toString());
                    if (!e.equals(again)) problems.add(f.getFileName() + ": round trip differs: " + query + " -> " + e);
                    parsed++;
                } catch (ParseException ex) {
                    problems.add(f.getFileName() + ": " + query + " -> " + ex.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
        assertEquals(559, parsed);
        assertEquals(7, failing);
    }
}
