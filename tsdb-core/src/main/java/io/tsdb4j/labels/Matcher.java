package io.tsdb4j.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher: {@code name = value}, {@code !=}, {@code =~} and {@code !~}. Regexes are fully anchored, as in
 * Prometheus ({@code ^(?:re)$}). A series without the label matches as if its value were {@code ""}.
 *
 * <p>Regex matchers recognise two shapes and answer them without the regex engine: a literal alternation
 * {@code a|b|c} (a set lookup, also usable by the index to look up postings directly, see
 * {@link #setMatches()}) and a literal prefix followed by {@code .*} (a {@code startsWith}). Immutable and
 * thread-safe.
 */
public final class Matcher {
    public enum Type {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String op;

        Type(String op) {
            this.op = op;
        }

        public String op() {
            return op;
        }

        public boolean negative() {
            return this == NOT_EQUAL || this == NOT_REGEX;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;
    /** Literal alternatives when the regex is {@code a|b|c}, else null. */
    private final Set<String> literalSet;
    private final List<String> literalList;
    /** Literal prefix when the regex is {@code prefix.*}, else null. */
    private final String prefix;
    private final boolean matchesAll; // .*

    private Matcher(Type type, String name, String value) {
        this.type = Objects.requireNonNull(type);
        this.name = Objects.requireNonNull(name);
        this.value = Objects.requireNonNull(value);
        if (type == Type.REGEX || type == Type.NOT_REGEX) {
            try {
                // UNIX_LINES: only \n ends a line for '.', as in Go's RE2.
                this.pattern = Pattern.compile("^(?:" + value + ")$", Pattern.UNIX_LINES);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression in matcher " + name + type.op
                        + GoQuote.quote(value) + ": " + e.getDescription(), e);
            }
            this.literalList = literalAlternation(value);
            this.literalSet = literalList == null ? null : new HashSet<>(literalList);
            this.matchesAll = value.equals(".*");
            String p = null;
            if (!matchesAll && value.endsWith(".*")) {
                String head = value.substring(0, value.length() - 2);
                if (isLiteral(head)) p = head;
            }
            this.prefix = p;
        } else {
            this.pattern = null;
            this.literalSet = null;
            this.literalList = null;
            this.prefix = null;
            this.matchesAll = false;
        }
    }

    public static Matcher of(Type type, String name, String value) {
        return new Matcher(type, name, value);
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(Type.EQUAL, name, value);
    }

    public static Matcher notEqual(String name, String value) {
        return new Matcher(Type.NOT_EQUAL, name, value);
    }

    public static Matcher regex(String name, String regex) {
        return new Matcher(Type.REGEX, name, regex);
    }

    public static Matcher notRegex(String name, String regex) {
        return new Matcher(Type.NOT_REGEX, name, regex);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /** Does a label value (use {@code ""} for an absent label) satisfy this matcher? */
    public boolean matches(String v) {
        switch (type) {
            case EQUAL: return value.equals(v);
            case NOT_EQUAL: return !value.equals(v);
            case REGEX: return regexMatches(v);
            default: return !regexMatches(v);
        }
    }

    private boolean regexMatches(String v) {
        if (matchesAll) return v.indexOf('\n') < 0;
        if (literalSet != null) return literalSet.contains(v);
        if (prefix != null) return v.startsWith(prefix) && v.indexOf('\n', prefix.length()) < 0;
        return pattern.matcher(v).matches();
    }

    /** Whether the matcher accepts the empty string, i.e. also series that lack the label. */
    public boolean matchesEmpty() {
        return matches("");
    }

    /**
     * For {@code =} and for {@code =~} with a literal alternation: the exact values that match, sorted; otherwise
     * null. The index uses it to look up postings without scanning every value.
     */
    public List<String> setMatches() {
        if (type == Type.EQUAL) return List.of(value);
        if (type == Type.REGEX && literalList != null) return literalList;
        return null;
    }

    /** Literal prefix for {@code =~ "prefix.*"}, else null. */
    public String prefix() {
        return prefix;
    }

    /** The inverse matcher ({@code =} ↔ {@code !=}, {@code =~} ↔ {@code !~}). */
    public Matcher inverse() {
        switch (type) {
            case EQUAL: return notEqual(name, value);
            case NOT_EQUAL: return equal(name, value);
            case REGEX: return notRegex(name, value);
            default: return regex(name, value);
        }
    }

    private static final String META = "\\.+*?()|[]{}^$";

    private static boolean isLiteral(String s) {
        for (int i = 0; i < s.length(); i++) if (META.indexOf(s.charAt(i)) >= 0) return false;
        return true;
    }

    /** {@code a|b|c} of plain literals (no metacharacters), sorted; null for anything else. */
    private static List<String> literalAlternation(String re) {
        String[] parts = re.split("\\|", -1);
        for (String p : parts) if (!isLiteral(p)) return null;
        List<String> out = new ArrayList<>(new HashSet<>(Arrays.asList(parts)));
        out.sort(Labels::compareUtf8);
        return Collections.unmodifiableList(out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Matcher)) return false;
        Matcher m = (Matcher) o;
        return type == m.type && name.equals(m.name) && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    /** {@code name="value"} with Go quoting, as Prometheus prints matchers. */
    @Override
    public String toString() {
        return name + type.op + GoQuote.quote(value);
    }
}
