package io.tsdb4j.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsdb4j.labels.Matcher;
import io.tsdb4j.promql.ast.AggregateExpr;
import io.tsdb4j.promql.ast.AggregateOp;
import io.tsdb4j.promql.ast.AtModifier;
import io.tsdb4j.promql.ast.BinaryExpr;
import io.tsdb4j.promql.ast.BinaryOp;
import io.tsdb4j.promql.ast.Call;
import io.tsdb4j.promql.ast.Cardinality;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.Functions;
import io.tsdb4j.promql.ast.MatrixSelector;
import io.tsdb4j.promql.ast.NumberLiteral;
import io.tsdb4j.promql.ast.ParenExpr;
import io.tsdb4j.promql.ast.Printer;
import io.tsdb4j.promql.ast.StringLiteral;
import io.tsdb4j.promql.ast.SubqueryExpr;
import io.tsdb4j.promql.ast.UnaryExpr;
import io.tsdb4j.promql.ast.UnaryOp;
import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.ast.VectorMatching;
import io.tsdb4j.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Table tests: valid queries with their expected trees, invalid ones with Prometheus's error wording. */
class PromQLParserTest {
    private static final long S = 1000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;

    // ---------------------------------------------------------------- AST builders

    static NumberLiteral num(double v) {
        return new NumberLiteral(v);
    }

    static StringLiteral str(String s) {
        return new StringLiteral(s);
    }

    static ParenExpr paren(Expr e) {
        return new ParenExpr(e);
    }

    static Matcher eq(String n, String v) {
        return Matcher.equal(n, v);
    }

    /** {@code name{matchers}} with the __name__ matcher appended, as the parser builds it. */
    static VectorSelector vs(String name, Matcher... ms) {
        List<Matcher> all = new ArrayList<>(Arrays.asList(ms));
        if (name != null) all.add(eq("__name__", name));
        return new VectorSelector(name, all);
    }

    static MatrixSelector ms(VectorSelector v, long range) {
        return new MatrixSelector(v, range);
    }

    static BinaryExpr bin(BinaryOp op, Expr l, Expr r) {
        boolean vec = l.type() == ValueType.VECTOR && r.type() == ValueType.VECTOR;
        VectorMatching vm = vec ? new VectorMatching(op.isSetOperator() ? Cardinality.MANY_TO_MANY
                : Cardinality.ONE_TO_ONE, List.of(), false, List.of()) : null;
        return new BinaryExpr(op, l, r, vm, false);
    }

    static BinaryExpr bin(BinaryOp op, Expr l, Expr r, VectorMatching vm, boolean returnBool) {
        return new BinaryExpr(op, l, r, vm, returnBool);
    }

    static VectorMatching vm(Cardinality c, boolean on, List<String> labels, List<String> include) {
        return new VectorMatching(c, labels, on, include);
    }

    static Call call(String f, Expr... args) {
        return new Call(Functions.get(f), List.of(args));
    }

    static AggregateExpr agg(AggregateOp op, Expr e, Expr param, boolean without, String... grouping) {
        return new AggregateExpr(op, e, param, List.of(grouping), without);
    }

    static UnaryExpr neg(Expr e) {
        return new UnaryExpr(UnaryOp.SUB, e);
    }

    // ---------------------------------------------------------------- valid queries

    static Stream<Arguments> valid() {
        VectorSelector foo = vs("foo");
        VectorSelector bar = vs("bar");
        VectorSelector a = vs("a");
        VectorSelector b = vs("b");
        VectorSelector c = vs("c");
        return Stream.of(
                // number literals
                Arguments.of("1", num(1)),
                Arguments.of("+Inf", num(Double.POSITIVE_INFINITY)),
                Arguments.of("-Inf", num(Double.NEGATIVE_INFINITY)),
                Arguments.of("iNf", num(Double.POSITIVE_INFINITY)),
                Arguments.of("NaN", num(Double.NaN)),
                Arguments.of("nan", num(Double.NaN)),
                Arguments.of(".5", num(0.5)),
                Arguments.of("5.", num(5)),
                Arguments.of("123.4567", num(123.4567)),
                Arguments.of("5e-3", num(0.005)),
                Arguments.of("5e3", num(5000)),
                Arguments.of("1.e3", num(1000)),
                Arguments.of("0x10", num(16)),
                Arguments.of("0XaF", num(175)),
                Arguments.of("010", num(8)), // Go's ParseInt base 0: leading zero is octal
                Arguments.of("09", num(9)),
                Arguments.of("99999999999999999999", num(1e20)),
                Arguments.of("-1", num(-1)),
                Arguments.of("- 1", num(-1)),
                Arguments.of("+1", num(1)),
                Arguments.of("--1", num(1)),
                Arguments.of("-+-1", num(1)),
                Arguments.of("1 # comment", num(1)),
                Arguments.of("# c\n1", num(1)),
                // strings
                Arguments.of("\"double-quoted\"", str("double-quoted")),
                Arguments.of("'single-quoted'", str("single-quoted")),
                Arguments.of("`raw \\n string`", str("raw \\n string")),
                Arguments.of("\"a\\nb\\t\\\"c\\\\\"", str("a\nb\t\"c\\")),
                Arguments.of("'it\\'s \"x\"'", str("it's \"x\"")),
                Arguments.of("\"\\x41\\101\\u00e9\\U0001F600\"", str("AA\u00e9\uD83D\uDE00")),
                Arguments.of("\"\\xc3\\xa9\"", str("\u00e9")), // \x escapes are bytes of UTF-8
                Arguments.of("\"\\a\\b\\f\\r\\v\"", str("\u0007\b\f\r\u000B")),
                // arithmetic and precedence
                Arguments.of("1 + 1", bin(BinaryOp.ADD, num(1), num(1))),
                Arguments.of("1 - 2 - 3", bin(BinaryOp.SUB, bin(BinaryOp.SUB, num(1), num(2)), num(3))),
                Arguments.of("1 + 2 * 3", bin(BinaryOp.ADD, num(1), bin(BinaryOp.MUL, num(2), num(3)))),
                Arguments.of("2 ^ 3 ^ 2", bin(BinaryOp.POW, num(2), bin(BinaryOp.POW, num(3), num(2)))),
                Arguments.of("-2 ^ 2", new UnaryExpr(UnaryOp.SUB, bin(BinaryOp.POW, num(2), num(2)))),
                Arguments.of("-a * b", bin(BinaryOp.MUL, neg(a), b)),
                Arguments.of("-a ^ b", neg(bin(BinaryOp.POW, a, b))),
                Arguments.of("a ^ -b * c", bin(BinaryOp.MUL, bin(BinaryOp.POW, a, neg(b)), c)),
                Arguments.of("+a", new UnaryExpr(UnaryOp.ADD, a)),
                Arguments.of("-(1)", neg(paren(num(1)))),
                Arguments.of("1 % 2 / 3 * 4", bin(BinaryOp.MUL, bin(BinaryOp.DIV, bin(BinaryOp.MOD, num(1), num(2)),
                        num(3)), num(4))),
                Arguments.of("a atan2 b", bin(BinaryOp.ATAN2, a, b)),
                Arguments.of("a ATAN2 b + c", bin(BinaryOp.ADD, bin(BinaryOp.ATAN2, a, b), c)),
                Arguments.of("1 == bool 1", bin(BinaryOp.EQLC, num(1), num(1), null, true)),
                Arguments.of("1 != bool 1", bin(BinaryOp.NEQ, num(1), num(1), null, true)),
                Arguments.of("1 >= bool 1", bin(BinaryOp.GTE, num(1), num(1), null, true)),
                Arguments.of("a > 1", bin(BinaryOp.GTR, a, num(1))),
                Arguments.of("a < bool 1", bin(BinaryOp.LSS, a, num(1), null, true)),
                Arguments.of("a <= b", bin(BinaryOp.LTE, a, b)),
                Arguments.of("a + b > c", bin(BinaryOp.GTR, bin(BinaryOp.ADD, a, b), c)),
                Arguments.of("a or b and c", bin(BinaryOp.LOR, a, bin(BinaryOp.LAND, b, c))),
                Arguments.of("a and b unless c", bin(BinaryOp.LUNLESS, bin(BinaryOp.LAND, a, b), c)),
                Arguments.of("a == b or c", bin(BinaryOp.LOR, bin(BinaryOp.EQLC, a, b), c)),
                Arguments.of("a AND b", bin(BinaryOp.LAND, a, b)),
                Arguments.of("(1 + 2) * 3", bin(BinaryOp.MUL, paren(bin(BinaryOp.ADD, num(1), num(2))), num(3))),
                Arguments.of("1 + -2", bin(BinaryOp.ADD, num(1), num(-2))),
                Arguments.of("foo * 2", bin(BinaryOp.MUL, foo, num(2))),
                // vector matching
                Arguments.of("foo * on(a, b) bar", bin(BinaryOp.MUL, foo, bar,
                        vm(Cardinality.ONE_TO_ONE, true, List.of("a", "b"), List.of()), false)),
                Arguments.of("foo * on() bar", bin(BinaryOp.MUL, foo, bar,
                        vm(Cardinality.ONE_TO_ONE, true, List.of(), List.of()), false)),
                Arguments.of("foo * ignoring(a) bar", bin(BinaryOp.MUL, foo, bar,
                        vm(Cardinality.ONE_TO_ONE, false, List.of("a"), List.of()), false)),
                Arguments.of("foo * on(a) group_left bar", bin(BinaryOp.MUL, foo, bar,
                        vm(Cardinality.MANY_TO_ONE, true, List.of("a"), List.of()), false)),
                Arguments.of("foo * on(a) group_left(x, y) bar", bin(BinaryOp.MUL, foo, bar,
                        vm(Cardinality.MANY_TO_ONE, true, List.of("a"), List.of("x", "y")), false)),
                Arguments.of("foo / ignoring(a,) group_right(x,) bar", bin(BinaryOp.DIV, foo, bar,
                        vm(Cardinality.ONE_TO_MANY, false, List.of("a"), List.of("x")), false)),
                Arguments.of("foo > bool on(a) bar", bin(BinaryOp.GTR, foo, bar,
                        vm(Cardinality.ONE_TO_ONE, true, List.of("a"), List.of()), true)),
                Arguments.of("foo and on(a) bar", bin(BinaryOp.LAND, foo, bar,
                        vm(Cardinality.MANY_TO_MANY, true, List.of("a"), List.of()), false)),
                Arguments.of("foo or ignoring(a) bar", bin(BinaryOp.LOR, foo, bar,
                        vm(Cardinality.MANY_TO_MANY, false, List.of("a"), List.of()), false)),
                Arguments.of("foo + on(sum, by, offset, bool, atan2) bar", bin(BinaryOp.ADD, foo, bar,
                        vm(Cardinality.ONE_TO_ONE, true, List.of("sum", "by", "offset", "bool", "atan2"), List.of()),
                        false)),
                Arguments.of("1 + on() 2", bin(BinaryOp.ADD, num(1), num(2))), // empty matching dropped on scalars
                // selectors
                Arguments.of("foo", foo),
                Arguments.of("min", vs("min")),
                Arguments.of("by", vs("by")),
                Arguments.of("offset", vs("offset")),
                Arguments.of("start", vs("start")),
                Arguments.of("sum{a=\"b\"}", vs("sum", eq("a", "b"))),
                Arguments.of("foo:bar:baz", vs("foo:bar:baz")),
                Arguments.of(":foo", vs(":foo")),
                Arguments.of("foo{}", foo),
                Arguments.of("foo{a=\"b\"}", vs("foo", eq("a", "b"))),
                Arguments.of("foo{a=\"b\",}", vs("foo", eq("a", "b"))),
                Arguments.of("foo{ a = 'b' , c != `d` }", vs("foo", eq("a", "b"), Matcher.notEqual("c", "d"))),
                Arguments.of("foo{a=~\"b.*\", c!~\"d|e\"}", vs("foo", Matcher.regex("a", "b.*"),
                        Matcher.notRegex("c", "d|e"))),
                Arguments.of("foo{on=\"x\", by=\"y\", offset=\"z\", and=\"w\"}", vs("foo", eq("on", "x"),
                        eq("by", "y"), eq("offset", "z"), eq("and", "w"))),
                Arguments.of("{__name__=\"foo\"}", vs(null, eq("__name__", "foo"))),
                Arguments.of("{__name__=~\"foo|bar\", a=\"\"}", vs(null, Matcher.regex("__name__", "foo|bar"),
                        eq("a", ""))),
                Arguments.of("{a=\"\", b=\"x\"}", vs(null, eq("a", ""), eq("b", "x"))),
                Arguments.of("foo offset 5m", foo.withOffset(5 * M)),
                Arguments.of("foo OFFSET 1h30m", foo.withOffset(90 * M)),
                Arguments.of("foo offset -7m", foo.withOffset(-7 * M)),
                Arguments.of("foo offset 1y", foo.withOffset(365 * D)),
                Arguments.of("foo offset 2w3d", foo.withOffset(17 * D)),
                Arguments.of("foo offset 100ms", foo.withOffset(100)),
                Arguments.of("foo offset 1m30s500ms", foo.withOffset(90_500)),
                Arguments.of("foo @ 1603774568", foo.withAt(1603774568000L, AtModifier.NONE)),
                Arguments.of("foo @ -100", foo.withAt(-100_000L, AtModifier.NONE)),
                Arguments.of("foo @ +3.1234", foo.withAt(3123L, AtModifier.NONE)),
                Arguments.of("foo @ 1.0005", foo.withAt(1001L, AtModifier.NONE)),
                Arguments.of("foo @ .3", foo.withAt(300L, AtModifier.NONE)),
                Arguments.of("foo @ start()", foo.withAt(null, AtModifier.START)),
                Arguments.of("foo @ end()", foo.withAt(null, AtModifier.END)),
                Arguments.of("foo @ 10 offset 5m", foo.withOffset(5 * M).withAt(10_000L, AtModifier.NONE)),
                Arguments.of("foo offset 5m @ 10", foo.withOffset(5 * M).withAt(10_000L, AtModifier.NONE)),
                Arguments.of("foo[5m]", ms(foo, 5 * M)),
                Arguments.of("foo[ 5m]", ms(foo, 5 * M)),
                Arguments.of("foo[1h30m]", ms(foo, 90 * M)),
                Arguments.of("foo[5m] offset 1m", ms(foo.withOffset(M), 5 * M)),
                Arguments.of("foo[5m] @ 100 offset -1m", ms(foo.withOffset(-M).withAt(100_000L, AtModifier.NONE),
                        5 * M)),
                Arguments.of("foo[5m] @ end()", ms(foo.withAt(null, AtModifier.END), 5 * M)),
                Arguments.of("foo @ start() [5m]", ms(foo.withAt(null, AtModifier.START), 5 * M)),
                Arguments.of("foo{a=\"b\"}[5d]", ms(vs("foo", eq("a", "b")), 5 * D)),
                // subqueries
                Arguments.of("foo[5m:1m]", new SubqueryExpr(foo, 5 * M, M)),
                Arguments.of("foo[5m:]", new SubqueryExpr(foo, 5 * M, 0)),
                Arguments.of("foo[5m : 1m]", new SubqueryExpr(foo, 5 * M, M)),
                Arguments.of("foo[5m:1m] offset 10m", new SubqueryExpr(foo, 5 * M, M).withOffset(10 * M)),
                Arguments.of("foo[5m:1m] @ 10 offset -1m", new SubqueryExpr(foo, 5 * M, M).withOffset(-M)
                        .withAt(10_000L, AtModifier.NONE)),
                Arguments.of("foo[5m:1m] @ start()", new SubqueryExpr(foo, 5 * M, M).withAt(null, AtModifier.START)),
                Arguments.of("rate(foo[5m])[1h:5m]", new SubqueryExpr(call("rate", ms(foo, 5 * M)), H, 5 * M)),
                Arguments.of("(a + b)[1h:]", new SubqueryExpr(paren(bin(BinaryOp.ADD, a, b)), H, 0)),
                Arguments.of("min_over_time(rate(foo[1m])[5m:1s])[10m:]", new SubqueryExpr(call("min_over_time",
                        new SubqueryExpr(call("rate", ms(foo, M)), 5 * M, S)), 10 * M, 0)),
                Arguments.of("foo offset 1m [5m:1m]", new SubqueryExpr(foo.withOffset(M), 5 * M, M)),
                Arguments.of("a + b offset 5m", bin(BinaryOp.ADD, a, b.withOffset(5 * M))),
                Arguments.of("max_over_time((a + b)[5m:] offset 1m)", call("max_over_time",
                        new SubqueryExpr(paren(bin(BinaryOp.ADD, a, b)), 5 * M, 0).withOffset(M))),
                Arguments.of("-foo offset 5m", neg(foo.withOffset(5 * M))),
                // functions
                Arguments.of("time()", call("time")),
                Arguments.of("pi()", call("pi")),
                Arguments.of("rate(foo[5m])", call("rate", ms(foo, 5 * M))),
                Arguments.of("round(foo)", call("round", foo)),
                Arguments.of("round(foo, 5)", call("round", foo, num(5))),
                Arguments.of("hour()", call("hour")),
                Arguments.of("label_join(foo, \"d\", \",\", \"a\", \"b\", \"c\")", call("label_join", foo, str("d"),
                        str(","), str("a"), str("b"), str("c"))),
                Arguments.of("label_replace(foo, \"d\", \"$1\", \"s\", \"(.*)\")", call("label_replace", foo,
                        str("d"), str("$1"), str("s"), str("(.*)"))),
                Arguments.of("histogram_quantile(0.9, rate(foo[5m]))", call("histogram_quantile", num(0.9),
                        call("rate", ms(foo, 5 * M)))),
                Arguments.of("holt_winters(foo[5m], 0.5, 0.1)", call("holt_winters", ms(foo, 5 * M), num(0.5),
                        num(0.1))),
                Arguments.of("quantile_over_time(0.5, foo[1h])", call("quantile_over_time", num(0.5), ms(foo, H))),
                Arguments.of("scalar(foo) + 1", new BinaryExpr(BinaryOp.ADD, call("scalar", foo), num(1), null, false)),
                Arguments.of("vector(1)", call("vector", num(1))),
                Arguments.of("sort_desc(foo)", call("sort_desc", foo)),
                // aggregations
                Arguments.of("sum(foo)", agg(AggregateOp.SUM, foo, null, false)),
                Arguments.of("sum by (a) (foo)", agg(AggregateOp.SUM, foo, null, false, "a")),
                Arguments.of("sum(foo) by (a, b)", agg(AggregateOp.SUM, foo, null, false, "a", "b")),
                Arguments.of("SUM BY (a) (foo)", agg(AggregateOp.SUM, foo, null, false, "a")),
                Arguments.of("avg without (a) (foo)", agg(AggregateOp.AVG, foo, null, true, "a")),
                Arguments.of("max(foo) without ()", agg(AggregateOp.MAX, foo, null, true)),
                Arguments.of("min by () (foo)", agg(AggregateOp.MIN, foo, null, false)),
                Arguments.of("count by (a,) (foo)", agg(AggregateOp.COUNT, foo, null, false, "a")),
                Arguments.of("group(foo)", agg(AggregateOp.GROUP, foo, null, false)),
                Arguments.of("stddev(foo)", agg(AggregateOp.STDDEV, foo, null, false)),
                Arguments.of("stdvar(foo)", agg(AggregateOp.STDVAR, foo, null, false)),
                Arguments.of("topk(5, foo)", agg(AggregateOp.TOPK, foo, num(5), false)),
                Arguments.of("bottomk by (a) (5, foo)", agg(AggregateOp.BOTTOMK, foo, num(5), false, "a")),
                Arguments.of("quantile(0.9, foo)", agg(AggregateOp.QUANTILE, foo, num(0.9), false)),
                Arguments.of("count_values(\"v\", foo)", agg(AggregateOp.COUNT_VALUES, foo, str("v"), false)),
                Arguments.of("topk(scalar(bar), foo)", agg(AggregateOp.TOPK, foo, call("scalar", bar), false)),
                Arguments.of("sum by (sum, on, start, end) (foo)", agg(AggregateOp.SUM, foo, null, false, "sum", "on",
                        "start", "end")),
                Arguments.of("sum(sum)", agg(AggregateOp.SUM, vs("sum"), null, false)),
                Arguments.of("sum(foo) / on() group_left sum(bar)", bin(BinaryOp.DIV,
                        agg(AggregateOp.SUM, foo, null, false), agg(AggregateOp.SUM, bar, null, false),
                        vm(Cardinality.MANY_TO_ONE, true, List.of(), List.of()), false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesValid(String query, Expr expected) {
        Expr got = PromQLParser.parse(query);
        assertEquals(expected, got, () -> "query " + query + " printed as " + got);
        assertEquals(expected, PromQLParser.parse(got.toString()), "round trip of " + got);
    }

    // ---------------------------------------------------------------- invalid queries

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "1:1: parse error: no expression found in input"),
                Arguments.of("# just a comment\n\n", "no expression found in input"),
                Arguments.of("1+", "unexpected end of input"),
                Arguments.of(".", "unexpected character: '.'"),
                Arguments.of("2.5.", "unexpected character: '.'"),
                Arguments.of("100..4", "unexpected number \".4\""),
                Arguments.of("0deadbeef", "bad number or duration syntax: \"0de\""),
                Arguments.of("1 /", "unexpected end of input"),
                Arguments.of("*1", "1:1: parse error: unexpected <op:*>"),
                Arguments.of("(1))", "unexpected right parenthesis ')'"),
                Arguments.of("((1)", "unclosed left parenthesis"),
                Arguments.of("(", "unclosed left parenthesis"),
                Arguments.of("9".repeat(400), "value out of range"),
                Arguments.of("0x", "error parsing number"),
                Arguments.of("1e", "error parsing number"),
                Arguments.of("1 and 1", "set operator \"and\" not allowed in binary scalar expression"),
                Arguments.of("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
                Arguments.of("1 or 1", "set operator \"or\" not allowed in binary scalar expression"),
                Arguments.of("1 unless 1", "set operator \"unless\" not allowed in binary scalar expression"),
                Arguments.of("1 !~ 1", "unexpected character after '!': '~'"),
                Arguments.of("1 =~ 1", "unexpected character after '=': '~'"),
                Arguments.of("-\"string\"", "unary expression only allowed on expressions of type scalar or "
                        + "instant vector, got \"string\""),
                Arguments.of("-test[5m]", "got \"range vector\""),
                Arguments.of("1 offset 1d", "1:1: parse error: offset modifier must be preceded by an instant "
                        + "vector selector or range vector selector or a subquery"),
                Arguments.of("foo offset 1s offset 2s", "offset may not be set multiple times"),
                Arguments.of("foo[5m] offset 1s offset 2s", "offset may not be set multiple times"),
                Arguments.of("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
                Arguments.of("foo and 1", "set operator \"and\" not allowed in binary scalar expression"),
                Arguments.of("1 or foo", "set operator \"or\" not allowed in binary scalar expression"),
                Arguments.of("1 or on(bar) foo", "vector matching only allowed between instant vectors"),
                Arguments.of("foo == on(bar) 10", "vector matching only allowed between instant vectors"),
                Arguments.of("foo + group_left(baz) bar", "unexpected <group_left>"),
                Arguments.of("foo and on(bar) group_left(baz) bar", "no grouping allowed for \"and\" operation"),
                Arguments.of("foo or on(bar) group_right(baz) bar", "no grouping allowed for \"or\" operation"),
                Arguments.of("foo unless on(bar) group_left(baz) bar", "no grouping allowed for \"unless\" operation"),
                Arguments.of("foo + on(instance) group_left(job,instance) bar",
                        "label \"instance\" must not occur in ON and GROUP clause at once"),
                Arguments.of("foo + bool bar", "bool modifier can only be used on comparison operators"),
                Arguments.of("foo + bool 10", "bool modifier can only be used on comparison operators"),
                Arguments.of("foo and bool 10", "bool modifier can only be used on comparison operators"),
                Arguments.of("foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
                Arguments.of("foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf"),
                Arguments.of("foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"),
                Arguments.of("foo @ 1 @ 2", "@ <timestamp> may not be set multiple times"),
                Arguments.of("foo @ start() @ end()", "@ <timestamp> may not be set multiple times"),
                Arguments.of("foo @ start", "unexpected end of input in @, expected timestamp"),
                Arguments.of("rate(foo[5m]) @ 1234", "1:1: parse error: @ modifier must be preceded by an instant "
                        + "vector selector or range vector selector or a subquery"),
                Arguments.of("{", "unexpected end of input inside braces"),
                Arguments.of("}", "unexpected character: '}'"),
                Arguments.of("some{", "unexpected end of input inside braces"),
                Arguments.of("some}", "unexpected character: '}'"),
                Arguments.of("some_metric{a=b}", "unexpected identifier \"b\" in label matching, expected string"),
                Arguments.of("some_metric{a:b=\"b\"}", "unexpected character inside braces: ':'"),
                Arguments.of("foo{a*\"b\"}", "unexpected character inside braces: '*'"),
                Arguments.of("foo{gibberish}", "unexpected \"}\" in label matching, expected label matching operator"),
                Arguments.of("foo{1}", "unexpected character inside braces: '1'"),
                Arguments.of("foo{{", "unexpected left brace '{'"),
                Arguments.of("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
                Arguments.of("{x=\"\"}", "vector selector must contain at least one non-empty matcher"),
                Arguments.of("{x=~\".*\"}", "vector selector must contain at least one non-empty matcher"),
                Arguments.of("{x!~\".+\"}", "vector selector must contain at least one non-empty matcher"),
                Arguments.of("{x!=\"a\"}", "vector selector must contain at least one non-empty matcher"),
                Arguments.of("foo{__name__=\"bar\"}", "metric name must not be set twice: \"foo\" or \"bar\""),
                Arguments.of("foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string"),
                Arguments.of("foo{,}", "unexpected \",\" in label matching, expected identifier or \"}\""),
                Arguments.of("foo{__name__ == \"bar\"}", "1:15: parse error: unexpected \"=\" in label matching"),
                Arguments.of("foo{__name__=\"bar\" lol}", "unexpected identifier \"lol\" in label matching, "
                        + "expected \",\" or \"}\""),
                Arguments.of("foo{a=~\"(\"}", "1:5: parse error: invalid regular expression"),
                Arguments.of("foo[5mm]", "bad duration syntax: \"5mm\""),
                Arguments.of("foo[5m1]", "bad duration syntax: \"5m1\""),
                Arguments.of("foo[5m:1m1]", "bad number or duration syntax: \"1m1\""),
                Arguments.of("foo[5y1hs]", "not a valid duration string: \"5y1hs\""),
                Arguments.of("foo[5m1h]", "not a valid duration string: \"5m1h\""),
                Arguments.of("foo[5m1m]", "not a valid duration string: \"5m1m\""),
                Arguments.of("foo[1.5h]", "not a valid duration string: \"1.5h\""),
                Arguments.of("foo[0m]", "duration must be greater than 0"),
                Arguments.of("foo[5m:0s]", "duration must be greater than 0"),
                Arguments.of("foo offset 0s", "duration must be greater than 0"),
                Arguments.of("foo[]", "missing unit character in duration"),
                Arguments.of("foo[1]", "missing unit character in duration"),
                Arguments.of("foo[5m", "unclosed left bracket"),
                Arguments.of("foo]", "unexpected right bracket ']'"),
                Arguments.of("foo[5m[", "unexpected left bracket '['"),
                Arguments.of("foo[5m:1]", "unexpected number \"1\" in subquery selector, expected duration or \"]\""),
                Arguments.of("foo[5m:1m:]", "unexpected colon ':'"),
                Arguments.of("some_metric[5m] OFFSET 1", "unexpected number \"1\" in offset, expected duration"),
                Arguments.of("some_metric[5m] OFFSET 1mm", "bad number or duration syntax: \"1mm\""),
                Arguments.of("some_metric[5m] OFFSET", "unexpected end of input in offset, expected duration"),
                Arguments.of("foo offset +5m", "unexpected <op:+> in offset, expected duration"),
                Arguments.of("some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range"),
                Arguments.of("some_metric[5m] @ 1m", "1:19: parse error: unexpected duration \"1m\" in @, expected "
                        + "timestamp"),
                Arguments.of("some_metric[5m] @", "1:18: parse error: unexpected end of input in @, expected timestamp"),
                Arguments.of("some_metric @ 1234 [5m]", "1:20: parse error: no @ modifiers allowed before range"),
                Arguments.of("(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors"),
                Arguments.of("sum without(==)(some_metric)", "unexpected <op:==> in grouping opts, expected label"),
                Arguments.of("sum without(,)(some_metric)", "unexpected \",\" in grouping opts, expected label"),
                Arguments.of("sum without(foo,,)(some_metric)", "unexpected \",\" in grouping opts, expected label"),
                Arguments.of("sum by (a:b) (foo)", "unexpected metric identifier \"a:b\" in grouping opts"),
                Arguments.of("sum by (a b) (foo)", "unexpected identifier \"b\" in grouping opts, expected \",\" or \")\""),
                Arguments.of("sum some_metric by (test)", "unexpected identifier \"some_metric\""),
                Arguments.of("sum (some_metric) by test", "unexpected identifier \"test\" in grouping opts"),
                Arguments.of("sum () by (test)", "no arguments for aggregate expression provided"),
                Arguments.of("MIN keep_common (some_metric)", "1:5: parse error: unexpected identifier \"keep_common\""),
                Arguments.of("MIN (some_metric) keep_common", "unexpected identifier \"keep_common\""),
                Arguments.of("sum (some_metric) without (test) by (test)", "unexpected <by>"),
                Arguments.of("sum without (test) (some_metric) by (test)", "unexpected <by>"),
                Arguments.of("topk(some_metric)", "wrong number of arguments for aggregate expression provided, "
                        + "expected 2, got 1"),
                Arguments.of("sum(a, b)", "expected 1, got 2"),
                Arguments.of("topk(some_metric,)", "trailing commas not allowed in function call args"),
                Arguments.of("topk(some_metric, other_metric)", "1:6: parse error: expected type scalar in "
                        + "aggregation parameter, got instant vector"),
                Arguments.of("count_values(5, other_metric)", "1:14: parse error: expected type string in "
                        + "aggregation parameter, got scalar"),
                Arguments.of("sum(1)", "expected type instant vector in aggregation expression, got scalar"),
                Arguments.of("sum(foo[5m])", "expected type instant vector in aggregation expression, got range vector"),
                Arguments.of("floor()", "expected 1 argument(s) in call to \"floor\", got 0"),
                Arguments.of("floor(some_metric, other_metric)", "expected 1 argument(s) in call to \"floor\", got 2"),
                Arguments.of("floor(1)", "expected type instant vector in call to function \"floor\", got scalar"),
                Arguments.of("hour(some_metric, some_metric, some_metric)",
                        "expected at most 1 argument(s) in call to \"hour\", got 3"),
                Arguments.of("label_join(foo)", "expected at least 3 argument(s) in call to \"label_join\", got 1"),
                Arguments.of("label_join(foo, \"a\", \"b\", 1)", "expected type string in call to function "
                        + "\"label_join\", got scalar"),
                Arguments.of("time(some_metric)", "expected 0 argument(s) in call to \"time\", got 1"),
                Arguments.of("non_existent_function_far_bar()", "unknown function with name "
                        + "\"non_existent_function_far_bar\""),
                Arguments.of("rate(some_metric)", "expected type range vector in call to function \"rate\", got "
                        + "instant vector"),
                Arguments.of("-=", "unexpected \"=\""),
                Arguments.of("++-++-+-+-<", "unexpected <op:<>"),
                Arguments.of("e-+=/(0)", "unexpected \"=\""),
                Arguments.of("a>b()", "unknown function"),
                Arguments.of("rate(avg)", "expected type range vector"),
                Arguments.of("`\\``", "unterminated raw string"),
                Arguments.of("\"\\", "escape sequence not terminated"),
                Arguments.of("\"\\c\"", "unknown escape sequence U+0063 'c'"),
                Arguments.of("\"\\x.\"", "illegal character U+002E '.' in escape sequence"),
                Arguments.of("\"\\uD800\"", "escape sequence is an invalid Unicode code point"),
                Arguments.of("'\\\"'", "unknown escape sequence U+0022 '\"'"),
                Arguments.of("\"abc", "unterminated quoted string"),
                Arguments.of("\"a\nb\"", "unterminated quoted string"),
                Arguments.of("test[5d] OFFSET 10s [10m:5s]", "1:1: parse error: subquery is only allowed on "
                        + "instant vector, got matrix"),
                Arguments.of("(foo + bar{nm=\"val\"})[5m:][10m:5s]", "1:1: parse error: subquery is only allowed on "
                        + "instant vector, got matrix"),
                Arguments.of("rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector "
                        + "selectors"),
                Arguments.of("rate(food[1m])[1h] @ 100", "1:15: parse error: ranges only allowed for vector selectors"),
                Arguments.of("start()", "1:6: parse error: unexpected \"(\""),
                Arguments.of("end()", "1:4: parse error: unexpected \"(\""),
                Arguments.of("foo bar", "1:5: parse error: unexpected identifier \"bar\""),
                Arguments.of("foo[5m] + 1", "binary expression must contain only scalar and instant vector types"),
                Arguments.of("\"a\" + 1", "binary expression must contain only scalar and instant vector types"),
                Arguments.of("foo ^ bar[1m]", "1:7: parse error: binary expression must contain only scalar"),
                Arguments.of("foo $ bar", "unexpected character: '$'"),
                Arguments.of("1 +\n  *", "2:3: parse error: unexpected <op:*>"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsInvalid(String query, String expectedMessagePart) {
        ParseException e = assertThrows(ParseException.class, () -> PromQLParser.parse(query),
                () -> "expected a parse error for " + query);
        assertTrue(e.getMessage().contains(expectedMessagePart),
                () -> "for " + query + " expected message containing <" + expectedMessagePart + "> but was <"
                        + e.getMessage() + ">");
    }

    // ---------------------------------------------------------------- other entry points and details

    @Test
    void positionsLinesAndColumns() {
        ParseException e = assertThrows(ParseException.class, () -> PromQLParser.parse("sum(\n  foo +\n)"));
        assertEquals(3, e.line());
        assertEquals(1, e.column());
        assertEquals(13, e.position());
        assertEquals("unexpected \")\"", e.detail());
    }

    @Test
    void metricSelector() {
        assertEquals(List.of(eq("a", "b"), eq("__name__", "foo")), PromQLParser.parseMetricSelector("foo{a=\"b\"}"));
        assertEquals(List.of(eq("__name__", "up")), PromQLParser.parseMetricSelector("up"));
        assertEquals(List.of(Matcher.regex("job", ".+")), PromQLParser.parseMetricSelector("{job=~\".+\"}"));
        assertEquals(List.of(), PromQLParser.parseMetricSelector("{}"));
        assertThrows(ParseException.class, () -> PromQLParser.parseMetricSelector("foo + bar"));
        assertThrows(ParseException.class, () -> PromQLParser.parseMetricSelector("foo[5m]"));
        assertThrows(ParseException.class, () -> PromQLParser.parseMetricSelector("rate(foo[5m])"));
        assertThrows(ParseException.class, () -> PromQLParser.parseMetricSelector(""));
    }

    @Test
    void durations() {
        assertEquals(0, PromQLParser.parseDuration("0"));
        assertEquals(0, PromQLParser.parseDuration("0s"));
        assertEquals(5400_000, PromQLParser.parseDuration("1h30m"));
        assertEquals(365L * D + 2 * 7 * D + 3 * D + 4 * H + 5 * M + 6 * S + 7,
                PromQLParser.parseDuration("1y2w3d4h5m6s7ms"));
        assertThrows(ParseException.class, () -> PromQLParser.parseDuration(""));
        assertThrows(ParseException.class, () -> PromQLParser.parseDuration("1m1h"));
        assertThrows(ParseException.class, () -> PromQLParser.parseDuration("5"));
        assertThrows(ParseException.class, () -> PromQLParser.parseDuration("-5m"));
        assertThrows(ParseException.class, () -> PromQLParser.parseDuration("1000y"));
    }

    @Test
    void printerFormats() {
        assertEquals("1h30m", Printer.formatDuration(90 * M));
        assertEquals("90d", Printer.formatDuration(90 * D));
        assertEquals("2w", Printer.formatDuration(14 * D));
        assertEquals("0s", Printer.formatDuration(0));
        assertEquals("1s500ms", Printer.formatDuration(1500));
        assertEquals("1e+06", Printer.formatNumber(1e6));
        assertEquals("100000", Printer.formatNumber(1e5));
        assertEquals("1.234567e+06", Printer.formatNumber(1234567));
        assertEquals("123456", Printer.formatNumber(123456));
        assertEquals("1.5e+300", Printer.formatNumber(1.5e300));
        assertEquals("1e-05", Printer.formatNumber(1e-5));
        assertEquals("0.0001", Printer.formatNumber(1e-4));
        assertEquals("-1.5", Printer.formatNumber(-1.5));
        assertEquals("+Inf", Printer.formatNumber(Double.POSITIVE_INFINITY));
        assertEquals("sum by (job) (rate(foo{a=\"b\"}[5m] offset 1m))",
                PromQLParser.parse("sum(rate(foo{a='b'}[5m] offset 1m)) by (job)").toString());
        assertEquals("foo[5m:] @ 100.000 offset -1m", PromQLParser.parse("foo[5m:] offset -1m @ 100").toString());
        assertEquals("a * on (x) group_left (y) b", PromQLParser.parse("a * on(x) group_left(y) b").toString());
        assertEquals("topk(5, foo)", PromQLParser.parse("topk(5,foo)").toString());
        assertEquals("-foo", PromQLParser.parse("- foo").toString());
    }

    @Test
    void typesOfNodes() {
        assertEquals(ValueType.SCALAR, PromQLParser.parse("1 + time()").type());
        assertEquals(ValueType.VECTOR, PromQLParser.parse("1 + foo").type());
        assertEquals(ValueType.MATRIX, PromQLParser.parse("foo[5m]").type());
        assertEquals(ValueType.MATRIX, PromQLParser.parse("foo[5m:]").type());
        assertEquals(ValueType.STRING, PromQLParser.parse("'x'").type());
        assertEquals(ValueType.SCALAR, PromQLParser.parse("scalar(foo)").type());
        assertEquals(ValueType.VECTOR, PromQLParser.parse("(foo)").type());
    }

    @Test
    void positionsOfNodes() {
        Expr e = PromQLParser.parse("  sum(rate(foo[5m]))  ");
        assertEquals(2, e.pos().start());
        assertEquals(20, e.pos().end());
        BinaryExpr b = (BinaryExpr) PromQLParser.parse("foo offset 5m + bar");
        assertEquals(0, b.lhs().pos().start());
        assertEquals(13, b.lhs().pos().end());
        assertEquals(16, b.rhs().pos().start());
    }

    @Test
    void allPrometheus242FunctionsAreRegistered() {
        String names = "abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp "
                + "clamp_max clamp_min cos cosh count_over_time days_in_month day_of_month day_of_week day_of_year "
                + "deg delta deriv exp floor histogram_count histogram_sum histogram_fraction histogram_quantile "
                + "holt_winters hour idelta increase irate label_replace label_join last_over_time ln log10 log2 "
                + "max_over_time min_over_time minute month pi predict_linear present_over_time quantile_over_time "
                + "rad rate resets round scalar sgn sin sinh sort sort_desc sqrt stddev_over_time stdvar_over_time "
                + "sum_over_time tan tanh time timestamp vector year";
        String[] all = names.split(" ");
        assertEquals(all.length, Functions.all().size());
        for (String n : all) assertEquals(n, Functions.get(n).name());
        assertEquals(List.of(ValueType.SCALAR, ValueType.SCALAR, ValueType.VECTOR),
                Functions.get("histogram_fraction").argTypes());
        assertEquals(-1, Functions.get("label_join").variadic());
        assertEquals(ValueType.SCALAR, Functions.get("time").returnType());
    }
}
