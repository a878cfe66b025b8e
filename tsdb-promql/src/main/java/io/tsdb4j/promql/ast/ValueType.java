package io.tsdb4j.promql.ast;

/** The type a PromQL expression evaluates to. {@link #display()} is Prometheus's wording in error messages. */
public enum ValueType {
    SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

    private final String display;

    ValueType(String display) {
        this.display = display;
    }

    /** Prometheus's name for the type: {@code scalar}, {@code instant vector}, {@code range vector}, {@code string}. */
    public String display() {
        return display;
    }
}
