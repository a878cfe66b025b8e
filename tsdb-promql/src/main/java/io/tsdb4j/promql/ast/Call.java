package io.tsdb4j.promql.ast;

import java.util.List;
import java.util.Objects;

/** A function call; {@code args} were type-checked against {@code func}'s signature by the parser. */
public record Call(Function func, List<Expr> args, PositionRange pos) implements Expr {
    public Call {
        Objects.requireNonNull(func);
        args = List.copyOf(args);
        Objects.requireNonNull(pos);
    }

    public Call(Function func, List<Expr> args) {
        this(func, args, PositionRange.NONE);
    }

    @Override
    public ValueType type() {
        return func.returnType();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Call c && func.equals(c.func) && args.equals(c.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(func, args);
    }

    @Override
    public String toString() {
        return Printer.print(this);
    }
}
