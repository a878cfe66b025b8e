package io.tsdb4j.testing;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Line-by-line comparison of tool outputs, reporting the first differing line. */
public final class TextAssert {
    private TextAssert() {}

    public static void assertLinesEqual(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            if (!e.get(i).equals(a.get(i))) {
                fail("line " + (i + 1) + " differs:\n expected: " + e.get(i) + "\n actual:   " + a.get(i));
            }
        }
        assertEquals(e.size(), a.size(), "number of lines");
    }
}
