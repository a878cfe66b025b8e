package io.tsdb4j.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsdb4j.labels.Matcher;
import io.tsdb4j.promql.ast.AggregateExpr;
import io.tsdb4j.promql.ast.AggregateOp;
import io.tsdb4j.promql.ast.AtModifier;
import io.tsdb4j.promql.ast.BinaryExpr;
import io.tsdb4j.promql.ast.BinaryOp;
import io.tsdb4j.promql.ast.Call;
import io.tsdb4j.promql.ast.Cardinality;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.Function;
import io.tsdb4j.promql.ast.Functions;
import io.tsdb4j.promql.ast.MatrixSelector;
import io.tsdb4j.promql.ast.NumberLiteral;
import io.tsdb4j.promql.ast.ParenExpr;
import io.tsdb4j.promql.ast.StringLiteral;
import io.tsdb4j.promql.ast.SubqueryExpr;
import io.tsdb4j.promql.ast.UnaryExpr;
import io.tsdb4j.promql.ast.UnaryOp;
import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.ast.VectorMatching;
import io.tsdb4j.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random well-typed trees of the shapes the parser produces print to text that parses back to an equal tree. The
 * generator adds the parentheses the printer relies on (as the parser would have kept them in the tree).
 */
class PrintParseRoundTripProperties {

    @Property(tries = 2000)
    void printThenParseGivesEqualTree(@ForAll("exprs") Expr e) {
        String text = e.toString();
        Expr parsed = PromQLParser.parse(text);
        assertEquals(e, parsed, () -> "printed: " + text + "\nreprinted: " + parsed);
        assertEquals(text, parsed.toString());
    }

    @Property(tries = 500)
    void matcherValuesSurviveQuoting(@ForAll("labelValues") String value) {
        VectorSelector vs = new VectorSelector("m", List.of(Matcher.equal("l", value), Matcher.equal("__name__", "m")));
        assertEquals(vs, PromQLParser.parse(vs.toString()));
        StringLiteral s = new StringLiteral(value);
        assertEquals(s, PromQLParser.parse(s.toString()));
    }

    @Provide
    Arbitrary<Expr> exprs() {
        return Arbitraries.randomValue(r -> {
            Gen g = new Gen(r);
            ValueType[] types = ValueType.values();
            return g.expr(types[r.nextInt(types.length)], 4);
        });
    }

    @Provide
    Arbitrary<String> labelValues() {
        return Arbitraries.randomValue(r -> new Gen(r).labelValue());
    }

    /** Hand-rolled generator: PromQL trees need type- and precedence-aware construction. */
    static final class Gen {
        private static final String[] LABELS = {"a", "job", "instance", "le", "_x", "sum", "by", "offset", "on", "bool",
                "group_left", "atan2", "start", "end", "Foo9"};
        /** Prometheus 2.42 accepts {@code without} in braces but not as a grouping label. */
        private static final String[] MATCHER_LABELS = {"a", "without", "ignoring", "nan", "inf", "__meta_x"};
        private static final String[] METRICS = {"foo", "http_requests_total", "a:b:c", ":x", "sum", "offset", "start",
                "by", "Bar_9", "without"};
        private static final String[] REGEXES = {".*", ".+", "a|b|c", "foo.*", "(a|b)+", "[0-9]{2}", "\\d+", ""};
        private static final List<String> FUNCS = Functions.all().stream().map(Function::name).toList();
        private static final String SPECIAL = "\"'`\\\n\t\r\u0000\u007f\u0085";
        private final Random r;

        Gen(Random r) {
            this.r = r;
        }

        private <T> T pick(T[] a) {
            return a[r.nextInt(a.length)];
        }

        String labelValue() {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(6)) {
                    case 0: sb.append(SPECIAL.charAt(r.nextInt(SPECIAL.length()))); break;
                    case 1: sb.appendCodePoint(0x80 + r.nextInt(0xD800 - 0x80)); break;
                    case 2: sb.appendCodePoint(0x10000 + r.nextInt(0x1000)); break;
                    default: sb.append((char) (' ' + r.nextInt(95))); break;
                }
            }
            return sb.toString();
        }

        private long duration() {
            long[] units = {1, 1000, 60_000, 3_600_000, 86_400_000L, 604_800_000L, 31_536_000_000L};
            long d = 0;
            int parts = 1 + r.nextInt(2);
            for (int i = 0; i < parts; i++) d += (1 + r.nextInt(90)) * units[r.nextInt(units.length)];
            return d;
        }

        private List<String> labels() {
            List<String> out = new ArrayList<>();
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) out.add(pick(LABELS));
            return out;
        }

        VectorSelector selector() {
            String name = r.nextInt(4) == 0 ? null : pick(METRICS);
            List<Matcher> ms = new ArrayList<>();
            int n = r.nextInt(3);
            for (int i = 0; i < n; i++) {
                String label = r.nextBoolean() ? pick(LABELS) : pick(MATCHER_LABELS);
                switch (r.nextInt(4)) {
                    case 0: ms.add(Matcher.equal(label, labelValue())); break;
                    case 1: ms.add(Matcher.notEqual(label, labelValue())); break;
                    case 2: ms.add(Matcher.regex(label, pick(REGEXES))); break;
                    default: ms.add(Matcher.notRegex(label, pick(REGEXES))); break;
                }
            }
            if (name == null) {
                ms.add(r.nextBoolean() ? Matcher.equal("__name__", pick(METRICS)) : Matcher.regex("job", ".+"));
            } else {
                ms.add(Matcher.equal("__name__", name));
            }
            VectorSelector vs = new VectorSelector(name, ms);
            return withModifiers(vs);
        }

        private VectorSelector withModifiers(VectorSelector vs) {
            if (r.nextInt(3) == 0) vs = vs.withOffset(r.nextBoolean() ? duration() : -duration());
            if (r.nextInt(3) == 0) vs = at(vs);
            return vs;
        }

        private VectorSelector at(VectorSelector vs) {
            switch (r.nextInt(3)) {
                case 0: return vs.withAt(null, AtModifier.START);
                case 1: return vs.withAt(null, AtModifier.END);
                default: return vs.withAt((long) (r.nextDouble() * 2e12) - 1_000_000_000_000L, AtModifier.NONE);
            }
        }

        Expr expr(ValueType type, int depth) {
            switch (type) {
                case STRING: return new StringLiteral(labelValue());
                case MATRIX: return matrix(depth);
                case SCALAR: return scalar(depth);
                default: return vector(depth);
            }
        }

        private Expr matrix(int depth) {
            if (depth <= 0 || r.nextBoolean()) {
                VectorSelector vs = selector();
                // Offset and @ of a range selector are written after the brackets.
                return new MatrixSelector(vs, duration());
            }
            Expr inner = postfixable(vector(depth - 1));
            SubqueryExpr sq = new SubqueryExpr(inner, duration(), r.nextBoolean() ? 0 : duration());
            if (r.nextInt(3) == 0) sq = sq.withOffset(r.nextBoolean() ? duration() : -duration());
            if (r.nextInt(3) == 0) {
                switch (r.nextInt(3)) {
                    case 0: sq = sq.withAt(null, AtModifier.START); break;
                    case 1: sq = sq.withAt(null, AtModifier.END); break;
                    default: sq = sq.withAt((long) r.nextInt(1_000_000_000), AtModifier.NONE); break;
                }
            }
            return sq;
        }

        /** Things the printer writes bare before {@code [..]} must be primaries. */
        private Expr postfixable(Expr e) {
            if (e instanceof BinaryExpr || e instanceof UnaryExpr) return new ParenExpr(e);
            return e;
        }

        private Expr scalar(int depth) {
            int choice = depth <= 0 ? 0 : r.nextInt(6);
            switch (choice) {
                case 1: return binary(ValueType.SCALAR, depth);
                case 2: return new ParenExpr(scalar(depth - 1));
                case 3: return call(ValueType.SCALAR, depth);
                case 4: return unary(ValueType.SCALAR, depth);
                default: return number();
            }
        }

        private NumberLiteral number() {
            switch (r.nextInt(8)) {
                case 0: return new NumberLiteral(Double.NaN);
                case 1: return new NumberLiteral(r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
                case 2: return new NumberLiteral(r.nextInt(1000) - 500);
                case 3: return new NumberLiteral(Double.longBitsToDouble(r.nextLong()) % 1e300);
                default: return new NumberLiteral((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20));
            }
        }

        private Expr vector(int depth) {
            int choice = depth <= 0 ? 0 : r.nextInt(7);
            switch (choice) {
                case 1: return binary(ValueType.VECTOR, depth);
                case 2: return new ParenExpr(vector(depth - 1));
                case 3: return call(ValueType.VECTOR, depth);
                case 4: return unary(ValueType.VECTOR, depth);
                case 5: return aggregate(depth);
                default: return selector();
            }
        }

        private Expr unary(ValueType type, int depth) {
            Expr operand = type == ValueType.SCALAR ? scalar(depth - 1) : vector(depth - 1);
            if (operand instanceof NumberLiteral) operand = new ParenExpr(operand); // a sign would be folded
            boolean bare = operand instanceof VectorSelector || operand instanceof Call || operand instanceof ParenExpr
                    || operand instanceof AggregateExpr || operand instanceof UnaryExpr
                    || (operand instanceof BinaryExpr b && b.op() == BinaryOp.POW);
            if (!bare) operand = new ParenExpr(operand);
            return new UnaryExpr(r.nextBoolean() ? UnaryOp.SUB : UnaryOp.ADD, operand);
        }

        private Expr aggregate(int depth) {
            AggregateOp op = pick(AggregateOp.values());
            Expr param = null;
            if (op == AggregateOp.COUNT_VALUES) param = new StringLiteral(labelValue());
            else if (op.hasParam()) param = scalar(depth - 1);
            boolean without = r.nextInt(3) == 0;
            return new AggregateExpr(op, vector(depth - 1), param, labels(), without);
        }

        private Expr call(ValueType ret, int depth) {
            while (true) {
                Function f = Functions.get(FUNCS.get(r.nextInt(FUNCS.size())));
                if (f.returnType() != ret) continue;
                List<ValueType> types = new ArrayList<>(f.argTypes());
                if (f.variadic() > 0 && r.nextBoolean()) types = types.subList(0, types.size() - 1);
                if (f.variadic() < 0) {
                    int extra = r.nextInt(3);
                    for (int i = 0; i < extra; i++) types.add(types.get(types.size() - 1));
                }
                List<Expr> args = new ArrayList<>();
                for (ValueType t : types) args.add(expr(t, depth - 1));
                return new Call(f, args);
            }
        }

        private Expr binary(ValueType type, int depth) {
            BinaryOp op = pick(BinaryOp.values());
            Expr lhs;
            Expr rhs;
            if (type == ValueType.SCALAR) {
                if (op.isSetOperator()) op = BinaryOp.ADD;
                lhs = scalar(depth - 1);
                rhs = scalar(depth - 1);
            } else if (op.isSetOperator()) {
                lhs = vector(depth - 1);
                rhs = vector(depth - 1);
            } else {
                int shape = r.nextInt(3);
                lhs = shape == 1 ? scalar(depth - 1) : vector(depth - 1);
                rhs = shape == 2 ? scalar(depth - 1) : vector(depth - 1);
            }
            boolean bothScalar = lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR;
            boolean returnBool = op.isComparison() && (bothScalar || r.nextBoolean());
            VectorMatching vm = null;
            if (lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR) {
                boolean on = r.nextBoolean();
                List<String> matching = labels();
                Cardinality card = Cardinality.ONE_TO_ONE;
                List<String> include = List.of();
                if (op.isSetOperator()) {
                    card = Cardinality.MANY_TO_MANY;
                } else if (r.nextBoolean()) {
                    card = r.nextBoolean() ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
                    include = new ArrayList<>(labels());
                    if (on) include.removeAll(matching);
                }
                vm = new VectorMatching(card, matching, on, include);
            }
            return new BinaryExpr(op, wrapLeft(op, lhs), wrapRight(op, rhs), vm, returnBool);
        }

        private static boolean printsWithSign(Expr e) {
            if (e instanceof UnaryExpr) return true;
            if (e instanceof NumberLiteral n) {
                double v = n.value();
                return v < 0 || v == Double.POSITIVE_INFINITY || (v == 0 && 1 / v < 0);
            }
            return false;
        }

        private static Expr wrapLeft(BinaryOp op, Expr e) {
            if (e instanceof BinaryExpr b && (b.op().precedence() < op.precedence()
                    || (b.op().precedence() == op.precedence() && op.rightAssociative()))) {
                return new ParenExpr(e);
            }
            if (op == BinaryOp.POW && printsWithSign(e)) return new ParenExpr(e);
            return e;
        }

        private static Expr wrapRight(BinaryOp op, Expr e) {
            if (e instanceof BinaryExpr b && (b.op().precedence() < op.precedence()
                    || (b.op().precedence() == op.precedence() && !op.rightAssociative()))) {
                return new ParenExpr(e);
            }
            return e;
        }
    }
}
