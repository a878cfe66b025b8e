package io.tsdb4j.query;

import io.tsdb4j.index.Postings;
import io.tsdb4j.labels.Matcher;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns matchers into postings the way Prometheus does: positive matchers are intersected (cheapest first,
 * by the intersection itself), negative ones subtracted; a matcher that accepts the empty string also selects
 * series without the label, so it becomes a subtraction of the values it rejects.
 */
public final class PostingsForMatchers {
    private PostingsForMatchers() {}

    public static Postings select(LabelIndex ix, Matcher... ms) {
        List<Postings> its = new ArrayList<>();
        List<Postings> notIts = new ArrayList<>();
        Set<String> mustBeSet = new HashSet<>();
        for (Matcher m : ms) if (!m.matchesEmpty()) mustBeSet.add(m.name());

        for (Matcher m : ms) {
            if (mustBeSet.contains(m.name())) {
                boolean matchesEmpty = m.matchesEmpty();
                boolean isNot = m.type().negative();
                if (isNot && matchesEmpty) {            // l!="foo": subtract l="foo" at the end
                    notIts.add(postingsFor(ix, m.inverse()));
                } else if (isNot) {                      // l!="" or l!~".*x|" shapes: values the inverse rejects
                    Postings p = inversePostingsFor(ix, m.inverse());
                    if (p == Postings.EMPTY) return Postings.EMPTY;
                    its.add(p);
                } else {                                 // l="a", l=~"a.+"
                    Postings p = postingsFor(ix, m);
                    if (p == Postings.EMPTY) return Postings.EMPTY;
                    its.add(p);
                }
            } else {                                     // l="" or l=~"a|": series lacking l match too
                notIts.add(inversePostingsFor(ix, m));
            }
        }
        if (its.isEmpty()) its.add(ix.allPostings());
        Postings p = Postings.intersect(its);
        for (Postings n : notIts) p = Postings.without(p, n);
        return p;
    }

    /** Series whose value of m's label matches m (never series lacking the label). */
    static Postings postingsFor(LabelIndex ix, Matcher m) {
        if (m.type() == Matcher.Type.EQUAL) return ix.postings(m.name(), m.value());
        List<String> set = m.setMatches();
        List<Postings> parts = new ArrayList<>();
        if (set != null) {
            for (String v : set) {
                Postings p = ix.postings(m.name(), v);
                if (p != Postings.EMPTY) parts.add(p);
            }
        } else {
            for (String v : ix.labelValues(m.name())) {
                if (m.matches(v)) parts.add(ix.postings(m.name(), v));
            }
        }
        return parts.isEmpty() ? Postings.EMPTY : Postings.merge(parts);
    }

    /** Series that have m's label with a value m does NOT match. */
    static Postings inversePostingsFor(LabelIndex ix, Matcher m) {
        List<Postings> parts = new ArrayList<>();
        for (String v : ix.labelValues(m.name())) {
            if (!m.matches(v)) parts.add(ix.postings(m.name(), v));
        }
        return parts.isEmpty() ? Postings.EMPTY : Postings.merge(parts);
    }
}
