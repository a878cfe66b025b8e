package io.tsdb4j.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * How the two instant vectors of a binary expression are matched.
 *
 * @param card cardinality; set operators are always {@link Cardinality#MANY_TO_MANY}
 * @param matchingLabels the labels of {@code on(...)} or {@code ignoring(...)}
 * @param on true for {@code on}, false for {@code ignoring} (or no clause)
 * @param include the extra labels of {@code group_left(...)}/{@code group_right(...)}
 */
public record VectorMatching(Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {
    public VectorMatching {
        Objects.requireNonNull(card);
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }
}
