package io.tsdb4j.labels;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class MatcherTest {
    @Test
    void regexesAreFullyAnchored() {
        Matcher m = Matcher.regex("job", "api");
        assertTrue(m.matches("api"));
        assertFalse(m.matches("xapi"));
        assertFalse(m.matches("apix"));
        assertTrue(Matcher.regex("job", "a.*").matches("abc"));
        assertFalse(Matcher.regex("job", "a.*").matches("ba"));
        assertFalse(Matcher.regex("job", ".*").matches("a\nb"), "'.' does not match a newline, as in Go");
    }

    @Test
    void emptyStringSemantics() {
        assertTrue(Matcher.equal("x", "").matchesEmpty());
        assertTrue(Matcher.notEqual("x", "a").matchesEmpty());
        assertFalse(Matcher.notEqual("x", "").matchesEmpty());
        assertTrue(Matcher.regex("x", "a|").matchesEmpty());
        assertFalse(Matcher.regex("x", ".+").matchesEmpty());
    }

    @Test
    void fastPathsAreRecognised() {
        assertEquals(List.of("a", "b", "c"), Matcher.regex("x", "c|a|b").setMatches());
        assertNull(Matcher.regex("x", "a|b.*").setMatches());
        assertEquals(List.of("v"), Matcher.equal("x", "v").setMatches());
        assertEquals("prefix", Matcher.regex("x", "prefix.*").prefix());
        assertNull(Matcher.regex("x", "pre(fix).*").prefix());
        assertNull(Matcher.notRegex("x", "a|b").setMatches(), "negative matchers have no set");
    }

    @Test
    void badRegexNamesTheMatcher() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Matcher.regex("job", "a("));
        assertTrue(e.getMessage().contains("job=~\"a(\""), e.getMessage());
    }

    @Test
    void printsLikePrometheus() {
        assertEquals("job!~\"a\\\"b\"", Matcher.notRegex("job", "a\"b").toString());
        assertEquals(Matcher.regex("a", "b"), Matcher.regex("a", "b"));
        assertEquals(Matcher.equal("a", "b"), Matcher.notEqual("a", "b").inverse());
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> lit = Arbitraries.strings().withChars("abc.x").ofMinLength(0).ofMaxLength(3)
                .filter(s -> !s.contains("."));
        return Arbitraries.oneOf(
                lit.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("|", l)),  // literal alternation
                lit.map(s -> s + ".*"),                                              // prefix
                Arbitraries.just(".*"),
                Arbitraries.of("a+", "(a|b)c*", "[abc]x?", ".+"));                  // general
    }

    @Property(tries = 500)
    void fastPathsAgreeWithTheRegexEngine(@ForAll("patterns") String re,
                                          @ForAll("values") String value) {
        boolean expected = Pattern.compile("^(?:" + re + ")$", Pattern.UNIX_LINES).matcher(value).matches();
        assertEquals(expected, Matcher.regex("n", re).matches(value), re + " on " + value);
        assertEquals(!expected, Matcher.notRegex("n", re).matches(value));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("abcx\n").ofMaxLength(5);
    }
}
