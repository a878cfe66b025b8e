package io.tsdb4j.promql.ast;

/** Vector matching cardinality of a binary expression between two instant vectors. */
public enum Cardinality {
    ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
}
