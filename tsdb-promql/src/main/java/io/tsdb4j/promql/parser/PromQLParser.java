package io.tsdb4j.promql.parser;

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
import io.tsdb4j.promql.ast.PositionRange;
import io.tsdb4j.promql.ast.StringLiteral;
import io.tsdb4j.promql.ast.SubqueryExpr;
import io.tsdb4j.promql.ast.UnaryExpr;
import io.tsdb4j.promql.ast.UnaryOp;
import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.ast.VectorMatching;
import io.tsdb4j.promql.ast.VectorSelector;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses PromQL (Prometheus 2.42 grammar) into the {@link io.tsdb4j.promql.ast} tree, then type-checks it as
 * Prometheus's {@code checkAST} does. Errors are {@link ParseException}s worded like Prometheus's. A hand-written
 * recursive-descent parser with precedence climbing; postfix modifiers ({@code [..]}, {@code offset}, {@code @})
 * bind tighter than any operator, unary minus binds like {@code *} (so {@code -2^2} is {@code -(2^2)}), and
 * {@code ^} is right-associative. Stateless entry points; thread-safe.
 */
public final class PromQLParser {
    private static final Set<TokenType> METRIC_IDENTIFIER_KEYWORDS = EnumSet.of(TokenType.AVG, TokenType.BOTTOMK,
            TokenType.BY, TokenType.COUNT, TokenType.COUNT_VALUES, TokenType.GROUP, TokenType.IDENTIFIER,
            TokenType.LAND, TokenType.LOR, TokenType.LUNLESS, TokenType.MAX, TokenType.METRIC_IDENTIFIER,
            TokenType.MIN, TokenType.OFFSET, TokenType.QUANTILE, TokenType.STDDEV, TokenType.STDVAR, TokenType.SUM,
            TokenType.TOPK, TokenType.WITHOUT, TokenType.START, TokenType.END);
    private static final Set<TokenType> MAYBE_LABEL = EnumSet.of(TokenType.AVG, TokenType.BOOL, TokenType.BOTTOMK,
            TokenType.BY, TokenType.COUNT, TokenType.COUNT_VALUES, TokenType.GROUP, TokenType.GROUP_LEFT,
            TokenType.GROUP_RIGHT, TokenType.IDENTIFIER, TokenType.IGNORING, TokenType.LAND, TokenType.LOR,
            TokenType.LUNLESS, TokenType.MAX, TokenType.METRIC_IDENTIFIER, TokenType.MIN, TokenType.OFFSET,
            TokenType.ON, TokenType.QUANTILE, TokenType.STDDEV, TokenType.STDVAR, TokenType.SUM, TokenType.TOPK,
            TokenType.START, TokenType.END, TokenType.ATAN2);

    private final String input;
    private final List<Token> tokens;
    private int idx;
    private int lastClosing;

    private PromQLParser(String input) {
        this.input = input;
        this.tokens = Lexer.lex(input);
    }

    /**
     * Parses and type-checks a PromQL expression.
     *
     * @throws ParseException on any syntax or type error
     */
    public static Expr parse(String query) {
        PromQLParser p = new PromQLParser(query);
        if (p.peek().type() == TokenType.EOF) throw new ParseException(query, 0, "no expression found in input");
        Expr e = p.expr(0);
        p.expectEnd();
        return new Checker(query).check(e);
    }

    /**
     * Parses a series selector ({@code foo{a="b"}}, as in the HTTP API's {@code match[]}) into its matchers; when a
     * metric name is given, its {@code __name__} matcher comes last. Like Prometheus, does not reject selectors whose
     * matchers all match the empty string (callers decide).
     */
    public static List<Matcher> parseMetricSelector(String selector) {
        PromQLParser p = new PromQLParser(selector);
        Token t = p.peek();
        VectorSelector vs;
        if (t.type() == TokenType.LEFT_BRACE || METRIC_IDENTIFIER_KEYWORDS.contains(t.type())) {
            vs = p.vectorSelector();
        } else {
            throw p.unexpected(t, "", "");
        }
        p.expectEnd();
        return vs.matchers();
    }

    /**
     * Parses a Prometheus duration ({@code 1h30m}, {@code 5m}, {@code 1y2w}, {@code 0}) into milliseconds; units
     * must appear in the order y, w, d, h, m, s, ms. Zero is allowed here (not in range selectors).
     *
     * @throws ParseException if the text is not a valid duration
     */
    public static long parseDuration(String text) {
        try {
            return modelParseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new ParseException(text, 0, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return tokens.get(idx);
    }

    private Token peekAt(int ahead) {
        int i = Math.min(idx + ahead, tokens.size() - 1);
        return tokens.get(i);
    }

    private Token consume() {
        Token t = tokens.get(idx);
        if (t.type() == TokenType.ERROR) throw new ParseException(input, t.pos(), t.text());
        if (idx < tokens.size() - 1) idx++;
        switch (t.type()) {
            case RIGHT_BRACE: case RIGHT_PAREN: case RIGHT_BRACKET: case DURATION: case NUMBER:
                lastClosing = t.end();
                break;
            default:
                break;
        }
        return t;
    }

    private void expectEnd() {
        Token t = peek();
        if (t.type() != TokenType.EOF) throw unexpected(t, "", "");
    }

    /** Prometheus's {@code unexpected(context, expected)}; lexer errors take precedence. */
    private ParseException unexpected(Token t, String context, String expected) {
        if (t.type() == TokenType.ERROR) return new ParseException(input, t.pos(), t.text());
        StringBuilder sb = new StringBuilder("unexpected ").append(t.desc());
        if (!context.isEmpty()) sb.append(" in ").append(context);
        if (!expected.isEmpty()) sb.append(", expected ").append(expected);
        return new ParseException(input, t.pos(), sb.toString());
    }

    private ParseException error(int pos, String msg) {
        return new ParseException(input, pos, msg);
    }

    // ---------------------------------------------------------------- expressions

    private static BinaryOp binaryOp(TokenType t) {
        switch (t) {
            case ADD: return BinaryOp.ADD;
            case SUB: return BinaryOp.SUB;
            case MUL: return BinaryOp.MUL;
            case DIV: return BinaryOp.DIV;
            case MOD: return BinaryOp.MOD;
            case POW: return BinaryOp.POW;
            case ATAN2: return BinaryOp.ATAN2;
            case EQLC: return BinaryOp.EQLC;
            case NEQ: return BinaryOp.NEQ;
            case LTE: return BinaryOp.LTE;
            case LSS: return BinaryOp.LSS;
            case GTE: return BinaryOp.GTE;
            case GTR: return BinaryOp.GTR;
            case LAND: return BinaryOp.LAND;
            case LOR: return BinaryOp.LOR;
            case LUNLESS: return BinaryOp.LUNLESS;
            default: return null;
        }
    }

    /** Precedence climbing over binary operators of precedence {@code >= minPrec}. */
    private Expr expr(int minPrec) {
        Expr lhs = unary();
        while (true) {
            BinaryOp op = binaryOp(peek().type());
            if (op == null || op.precedence() < minPrec) return lhs;
            consume();
            VectorMatching vm = binModifiers();
            boolean returnBool = bool;
            Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
            lhs = new BinaryExpr(op, lhs, rhs, vm, returnBool, lhs.pos().span(rhs.pos()));
        }
    }

    private boolean bool;

    /** {@code [bool] [on|ignoring (labels) [group_left|group_right [(labels)]]]}; sets {@link #bool}. */
    private VectorMatching binModifiers() {
        bool = false;
        if (peek().type() == TokenType.BOOL) {
            consume();
            bool = true;
        }
        Cardinality card = Cardinality.ONE_TO_ONE;
        List<String> matching = List.of();
        List<String> include = List.of();
        boolean on = false;
        TokenType t = peek().type();
        if (t == TokenType.ON || t == TokenType.IGNORING) {
            consume();
            on = t == TokenType.ON;
            matching = groupingLabels();
            TokenType g = peek().type();
            if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
                consume();
                card = g == TokenType.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
                if (peek().type() == TokenType.LEFT_PAREN) include = groupingLabels();
            }
        }
        return new VectorMatching(card, matching, on, include);
    }

    /** {@code unary_op expr %prec MUL}: the operand takes only {@code ^} chains; signs fold into number literals. */
    private Expr unary() {
        TokenType t = peek().type();
        if (t == TokenType.ADD || t == TokenType.SUB) {
            Token opTok = consume();
            Expr operand = expr(BinaryOp.POW.precedence());
            PositionRange pos = new PositionRange(opTok.pos(), operand.pos().end());
            if (operand instanceof NumberLiteral n) {
                return new NumberLiteral(t == TokenType.SUB ? -n.value() : n.value(), pos);
            }
            return new UnaryExpr(t == TokenType.SUB ? UnaryOp.SUB : UnaryOp.ADD, operand, pos);
        }
        return postfix(primary());
    }

    private Expr primary() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER: {
                consume();
                return new NumberLiteral(number(t), new PositionRange(t.pos(), t.end()));
            }
            case STRING: {
                consume();
                return new StringLiteral(unquote(t), new PositionRange(t.pos(), t.end()));
            }
            case LEFT_PAREN: {
                consume();
                Expr inner = expr(0);
                Token close = peek();
                if (close.type() != TokenType.RIGHT_PAREN) throw unexpected(close, "", "");
                consume();
                return new ParenExpr(inner, new PositionRange(t.pos(), close.end()));
            }
            case LEFT_BRACE:
                return vectorSelector();
            case IDENTIFIER:
                if (peekAt(1).type() == TokenType.LEFT_PAREN) return call();
                return vectorSelector();
            default:
                break;
        }
        if (t.type().kind == TokenType.Kind.AGGR) {
            TokenType n = peekAt(1).type();
            if (n == TokenType.LEFT_PAREN || n == TokenType.BY || n == TokenType.WITHOUT) return aggregate();
        }
        if (METRIC_IDENTIFIER_KEYWORDS.contains(t.type())) return vectorSelector();
        throw unexpected(t, "", "");
    }

    private Expr call() {
        Token name = consume();
        List<Expr> args = callBody();
        Function f = Functions.get(name.text());
        if (f == null) throw error(name.pos(), "unknown function with name " + goQuote(name.text()));
        return new Call(f, args, new PositionRange(name.pos(), lastClosing));
    }

    /** {@code ( [expr {, expr}] )}. */
    private List<Expr> callBody() {
        Token open = peek();
        if (open.type() != TokenType.LEFT_PAREN) throw unexpected(open, "", "");
        consume();
        List<Expr> args = new ArrayList<>();
        if (peek().type() == TokenType.RIGHT_PAREN) {
            consume();
            return args;
        }
        while (true) {
            args.add(expr(0));
            Token t = peek();
            if (t.type() == TokenType.COMMA) {
                consume();
                if (peek().type() == TokenType.RIGHT_PAREN) {
                    throw error(t.pos(), "trailing commas not allowed in function call args");
                }
            } else if (t.type() == TokenType.RIGHT_PAREN) {
                consume();
                return args;
            } else {
                throw unexpected(t, "", "");
            }
        }
    }

    private Expr aggregate() {
        Token opTok = consume();
        AggregateOp op = AggregateOp.fromKeyword(opTok.text());
        List<String> grouping = List.of();
        boolean without = false;
        boolean haveModifier = false;
        TokenType t = peek().type();
        if (t == TokenType.BY || t == TokenType.WITHOUT) {
            consume();
            without = t == TokenType.WITHOUT;
            grouping = groupingLabels();
            haveModifier = true;
            if (peek().type() != TokenType.LEFT_PAREN) throw unexpected(peek(), "aggregation", "");
        }
        List<Expr> args = callBody();
        if (!haveModifier) {
            t = peek().type();
            if (t == TokenType.BY || t == TokenType.WITHOUT) {
                consume();
                without = t == TokenType.WITHOUT;
                grouping = groupingLabels();
            }
        }
        PositionRange pos = new PositionRange(opTok.pos(), lastClosing);
        if (args.isEmpty()) throw error(pos.start(), "no arguments for aggregate expression provided");
        int desired = op.hasParam() ? 2 : 1;
        if (args.size() != desired) {
            throw error(pos.start(), "wrong number of arguments for aggregate expression provided, expected "
                    + desired + ", got " + args.size());
        }
        Expr param = op.hasParam() ? args.get(0) : null;
        return new AggregateExpr(op, args.get(desired - 1), param, grouping, without, pos);
    }

    /** {@code ( [label {, label}] [,] )}. */
    private List<String> groupingLabels() {
        Token open = peek();
        if (open.type() != TokenType.LEFT_PAREN) throw unexpected(open, "grouping opts", "\"(\"");
        consume();
        List<String> labels = new ArrayList<>();
        if (peek().type() == TokenType.RIGHT_PAREN) {
            consume();
            return labels;
        }
        while (true) {
            Token l = peek();
            if (!MAYBE_LABEL.contains(l.type()) || !Lexer.isLabel(l.text())) {
                throw unexpected(l, "grouping opts", "label");
            }
            consume();
            labels.add(l.text());
            Token sep = peek();
            if (sep.type() == TokenType.RIGHT_PAREN) {
                consume();
                return labels;
            }
            if (sep.type() != TokenType.COMMA) throw unexpected(sep, "grouping opts", "\",\" or \")\"");
            consume();
            if (peek().type() == TokenType.RIGHT_PAREN) {
                consume();
                return labels;
            }
        }
    }

    /** {@code metric_identifier [label_matchers] | label_matchers}. */
    private VectorSelector vectorSelector() {
        Token first = peek();
        String name = null;
        int start = first.pos();
        int end;
        List<Matcher> matchers = new ArrayList<>();
        if (first.type() != TokenType.LEFT_BRACE) {
            consume();
            name = first.text();
            end = first.end();
        } else {
            end = first.end();
        }
        if (peek().type() == TokenType.LEFT_BRACE) {
            consume();
            end = labelMatchers(matchers);
        }
        if (name != null) matchers.add(Matcher.equal("__name__", name));
        return new VectorSelector(name, matchers, 0, null, AtModifier.NONE, new PositionRange(start, end));
    }

    /** After {@code {}: matchers up to and including {@code }}; returns the end offset. */
    private int labelMatchers(List<Matcher> out) {
        if (peek().type() == TokenType.RIGHT_BRACE) return consume().end();
        while (true) {
            Token label = peek();
            if (label.type() != TokenType.IDENTIFIER) {
                throw unexpected(label, "label matching", "identifier or \"}\"");
            }
            consume();
            Token op = peek();
            Matcher.Type type;
            switch (op.type()) {
                case EQL: type = Matcher.Type.EQUAL; break;
                case NEQ: type = Matcher.Type.NOT_EQUAL; break;
                case EQL_REGEX: type = Matcher.Type.REGEX; break;
                case NEQ_REGEX: type = Matcher.Type.NOT_REGEX; break;
                default: throw unexpected(op, "label matching", "label matching operator");
            }
            consume();
            Token value = peek();
            if (value.type() != TokenType.STRING) throw unexpected(value, "label matching", "string");
            consume();
            try {
                out.add(Matcher.of(type, label.text(), unquote(value)));
            } catch (IllegalArgumentException e) {
                throw error(label.pos(), e.getMessage());
            }
            Token sep = peek();
            if (sep.type() == TokenType.RIGHT_BRACE) return consume().end();
            if (sep.type() != TokenType.COMMA) throw unexpected(sep, "label matching", "\",\" or \"}\"");
            consume();
            if (peek().type() == TokenType.RIGHT_BRACE) return consume().end();
        }
    }

    /** Range/subquery brackets, {@code offset} and {@code @}, in any order and number. */
    private Expr postfix(Expr e) {
        while (true) {
            Token t = peek();
            switch (t.type()) {
                case LEFT_BRACKET:
                    e = bracket(e);
                    break;
                case OFFSET:
                    e = offset(e);
                    break;
                case AT:
                    e = at(e);
                    break;
                default:
                    return e;
            }
        }
    }

    private Expr bracket(Expr e) {
        Token open = consume();
        Token d = peek();
        if (d.type() != TokenType.DURATION) throw unexpected(d, "subquery selector", "duration");
        consume();
        long range = duration(d);
        Token t = peek();
        if (t.type() == TokenType.RIGHT_BRACKET) {
            Token close = consume();
            String err = null;
            if (!(e instanceof VectorSelector)) err = "ranges only allowed for vector selectors";
            else if (((VectorSelector) e).originalOffsetMillis() != 0) err = "no offset modifiers allowed before range";
            else if (((VectorSelector) e).timestampMillis() != null) err = "no @ modifiers allowed before range";
            if (err != null) throw error(open.pos(), err);
            VectorSelector vs = (VectorSelector) e;
            return new MatrixSelector(vs, range, new PositionRange(vs.pos().start(), close.end()));
        }
        if (t.type() != TokenType.COLON) throw unexpected(t, "subquery or range", "\":\" or \"]\"");
        consume();
        long step = 0;
        Token s = peek();
        if (s.type() == TokenType.DURATION) {
            consume();
            step = duration(s);
            s = peek();
            if (s.type() != TokenType.RIGHT_BRACKET) throw unexpected(s, "subquery selector", "\"]\"");
        } else if (s.type() != TokenType.RIGHT_BRACKET) {
            throw unexpected(s, "subquery selector", "duration or \"]\"");
        }
        Token close = consume();
        return new SubqueryExpr(e, range, step, 0, null, AtModifier.NONE,
                new PositionRange(e.pos().start(), close.end()));
    }

    private Expr offset(Expr e) {
        consume();
        Token t = peek();
        boolean negative = false;
        if (t.type() == TokenType.SUB) {
            Token d = peekAt(1);
            if (d.type() == TokenType.DURATION) {
                consume();
                negative = true;
                t = d;
            }
        }
        if (t.type() != TokenType.DURATION) throw unexpected(t, "offset", "duration");
        consume();
        long off = duration(t);
        if (negative) off = -off;
        PositionRange pos = new PositionRange(e.pos().start(), lastClosing);
        if (e instanceof VectorSelector vs) {
            if (vs.originalOffsetMillis() != 0) throw error(e.pos().start(), "offset may not be set multiple times");
            return vs.withOffset(off).withPos(pos);
        }
        if (e instanceof MatrixSelector ms) {
            VectorSelector vs = ms.vs();
            if (vs.originalOffsetMillis() != 0) throw error(e.pos().start(), "offset may not be set multiple times");
            return new MatrixSelector(vs.withOffset(off), ms.rangeMillis(), pos);
        }
        if (e instanceof SubqueryExpr sq) {
            if (sq.originalOffsetMillis() != 0) throw error(e.pos().start(), "offset may not be set multiple times");
            return sq.withOffset(off).withPos(pos);
        }
        throw error(e.pos().start(), "offset modifier must be preceded by an instant vector selector or range "
                + "vector selector or a subquery");
    }

    private Expr at(Expr e) {
        consume();
        Token t = peek();
        Long ts = null;
        AtModifier mod = AtModifier.NONE;
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            consume();
            Token open = peek();
            if (open.type() != TokenType.LEFT_PAREN) throw unexpected(open, "@", "timestamp");
            consume();
            Token close = peek();
            if (close.type() != TokenType.RIGHT_PAREN) throw unexpected(close, "@", "timestamp");
            consume();
            mod = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
        } else {
            double sign = 1;
            Token num = t;
            if ((t.type() == TokenType.ADD || t.type() == TokenType.SUB) && peekAt(1).type() == TokenType.NUMBER) {
                consume();
                sign = t.type() == TokenType.SUB ? -1 : 1;
                num = peek();
            }
            if (num.type() != TokenType.NUMBER) throw unexpected(num, "@", "timestamp");
            consume();
            double v = sign * number(num);
            if (Double.isNaN(v) || Double.isInfinite(v) || v >= 0x1p63 || v <= -0x1p63) {
                throw error(e.pos().start(), "timestamp out of bounds for @ modifier: " + goFloatF(v));
            }
            ts = goRound(v * 1000);
        }
        PositionRange pos = new PositionRange(e.pos().start(), lastClosing);
        if (e instanceof VectorSelector vs) {
            checkAtNotSet(e, vs.timestampMillis(), vs.startOrEnd());
            return vs.withAt(ts, mod).withPos(pos);
        }
        if (e instanceof MatrixSelector ms) {
            VectorSelector vs = ms.vs();
            checkAtNotSet(e, vs.timestampMillis(), vs.startOrEnd());
            return new MatrixSelector(vs.withAt(ts, mod), ms.rangeMillis(), pos);
        }
        if (e instanceof SubqueryExpr sq) {
            checkAtNotSet(e, sq.timestampMillis(), sq.startOrEnd());
            return sq.withAt(ts, mod).withPos(pos);
        }
        throw error(e.pos().start(), "@ modifier must be preceded by an instant vector selector or range vector "
                + "selector or a subquery");
    }

    private void checkAtNotSet(Expr e, Long ts, AtModifier mod) {
        if (ts != null || mod != AtModifier.NONE) {
            throw error(e.pos().start(), "@ <timestamp> may not be set multiple times");
        }
    }

    // ---------------------------------------------------------------- literals

    /** Go's {@code math.Round}: half away from zero. */
    private static long goRound(double v) {
        double r = Math.floor(Math.abs(v) + 0.5);
        return (long) Math.copySign(r, v);
    }

    /** Go's {@code %f}. */
    static String goFloatF(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return String.format(Locale.ROOT, "%f", v);
    }

    private static final Pattern DECIMAL_FLOAT =
            Pattern.compile("(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    /** Prometheus's number(): Go {@code ParseInt(s, 0, 64)} (hex, leading-zero octal), then {@code ParseFloat}. */
    private double number(Token t) {
        String s = t.text();
        Double v = parseGoInt(s);
        if (v != null) return v;
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("inf")) return Double.POSITIVE_INFINITY;
        if (lower.equals("nan")) return Double.NaN;
        if (DECIMAL_FLOAT.matcher(s).matches()) {
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d)) {
                throw error(t.pos(), "error parsing number: strconv.ParseFloat: parsing " + goQuote(s)
                        + ": value out of range");
            }
            return d;
        }
        throw error(t.pos(), "error parsing number: strconv.ParseFloat: parsing " + goQuote(s) + ": invalid syntax");
    }

    /** Go's ParseInt with base 0 for the shapes our lexer produces; null when Go would fail. */
    private static Double parseGoInt(String s) {
        int radix = 10;
        String digits = s;
        if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
            radix = 16;
            digits = s.substring(2);
        } else if (s.length() > 1 && s.charAt(0) == '0') {
            radix = 8;
            digits = s.substring(1);
        }
        if (digits.isEmpty()) return null;
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) return null;
        }
        BigInteger b = new BigInteger(digits, radix);
        if (b.bitLength() > 63) return null; // out of int64 range: Go falls back to ParseFloat
        return (double) b.longValue();
    }

    private long duration(Token t) {
        long d;
        try {
            d = modelParseDuration(t.text());
        } catch (IllegalArgumentException e) {
            throw error(t.pos(), e.getMessage());
        }
        if (d == 0) throw error(t.pos(), "duration must be greater than 0");
        return d;
    }

    private static final Pattern DURATION_RE = Pattern.compile(
            "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$");
    private static final long[] DURATION_MULT = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000,
            24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L};

    /** prometheus/common's {@code model.ParseDuration}, in milliseconds. */
    static long modelParseDuration(String s) {
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration string");
        java.util.regex.Matcher m = DURATION_RE.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a valid duration string: " + goQuote(s));
        long total = 0;
        // Go's time.Duration is nanoseconds: limit to what fits there (~292 years).
        long maxMillis = Long.MAX_VALUE / 1_000_000L;
        for (int i = 0; i < 7; i++) {
            String g = m.group(i + 1);
            if (g == null) continue;
            BigInteger n = new BigInteger(g);
            BigInteger ms = n.multiply(BigInteger.valueOf(DURATION_MULT[i]));
            if (ms.compareTo(BigInteger.valueOf(maxMillis)) > 0) throw new IllegalArgumentException("duration out of range");
            total += ms.longValue();
            if (total > maxMillis) throw new IllegalArgumentException("duration out of range");
        }
        return total;
    }

    /** Prometheus's strutil.Unquote of a validated string token; Go escapes, {@code \x}/octal are raw bytes. */
    private String unquote(Token t) {
        String s = t.text();
        char quote = s.charAt(0);
        String body = s.substring(1, s.length() - 1);
        if (quote == '`') return body;
        ByteArrayOutputStream buf = new ByteArrayOutputStream(body.length());
        int i = 0;
        while (i < body.length()) {
            int c = body.codePointAt(i);
            if (c != '\\') {
                byte[] b = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                buf.write(b, 0, b.length);
                i += Character.charCount(c);
                continue;
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a': buf.write(7); break;
                case 'b': buf.write(8); break;
                case 'f': buf.write(12); break;
                case 'n': buf.write(10); break;
                case 'r': buf.write(13); break;
                case 't': buf.write(9); break;
                case 'v': buf.write(11); break;
                case '\\': buf.write('\\'); break;
                case '\'': buf.write('\''); break;
                case '"': buf.write('"'); break;
                case 'x':
                    buf.write(Integer.parseInt(body.substring(i, i + 2), 16));
                    i += 2;
                    break;
                case 'u':
                case 'U': {
                    int n = e == 'u' ? 4 : 8;
                    int cp = Integer.parseInt(body.substring(i, i + n), 16);
                    i += n;
                    byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    buf.write(b, 0, b.length);
                    break;
                }
                default: // octal, validated by the lexer
                    buf.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
                    i += 2;
                    break;
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static String goQuote(String s) {
        return io.tsdb4j.labels.GoQuote.quote(s);
    }

    // ---------------------------------------------------------------- type checking

    /** Prometheus's checkAST: validates types bottom-up in its order and normalizes vector matching. */
    private static final class Checker {
        private final String input;

        Checker(String input) {
            this.input = input;
        }

        private ParseException error(PositionRange pos, String msg) {
            return new ParseException(input, pos.start(), msg);
        }

        private Expr expectType(Expr e, ValueType want, String context) {
            Expr checked = check(e);
            if (checked.type() != want) {
                throw error(e.pos(), "expected type " + want.display() + " in " + context + ", got "
                        + checked.type().display());
            }
            return checked;
        }

        Expr check(Expr node) {
            if (node instanceof AggregateExpr a) {
                Expr inner = expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
                Expr param = a.param();
                if (a.op() == AggregateOp.TOPK || a.op() == AggregateOp.BOTTOMK || a.op() == AggregateOp.QUANTILE) {
                    param = expectType(param, ValueType.SCALAR, "aggregation parameter");
                } else if (a.op() == AggregateOp.COUNT_VALUES) {
                    param = expectType(param, ValueType.STRING, "aggregation parameter");
                }
                return new AggregateExpr(a.op(), inner, param, a.grouping(), a.without(), a.pos());
            }
            if (node instanceof BinaryExpr b) {
                return checkBinary(b);
            }
            if (node instanceof Call c) {
                return checkCall(c);
            }
            if (node instanceof ParenExpr p) {
                return new ParenExpr(check(p.expr()), p.pos());
            }
            if (node instanceof UnaryExpr u) {
                Expr inner = check(u.expr());
                ValueType t = inner.type();
                if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
                    throw error(u.pos(), "unary expression only allowed on expressions of type scalar or instant "
                            + "vector, got " + goQuote(t.display()));
                }
                return new UnaryExpr(u.op(), inner, u.pos());
            }
            if (node instanceof SubqueryExpr s) {
                Expr inner = check(s.expr());
                if (inner.type() != ValueType.VECTOR) {
                    throw error(s.pos(), "subquery is only allowed on instant vector, got " + goTypeName(inner.type())
                            + " instead");
                }
                return new SubqueryExpr(inner, s.rangeMillis(), s.stepMillis(), s.originalOffsetMillis(),
                        s.timestampMillis(), s.startOrEnd(), s.pos());
            }
            if (node instanceof MatrixSelector m) {
                checkSelector(m.vs());
                return m;
            }
            if (node instanceof VectorSelector v) {
                checkSelector(v);
                return v;
            }
            return node;
        }

        /** Go's ValueType string ("matrix", "vector", ...) used in the subquery message. */
        private static String goTypeName(ValueType t) {
            switch (t) {
                case MATRIX: return "matrix";
                case VECTOR: return "vector";
                case SCALAR: return "scalar";
                default: return "string";
            }
        }

        private void checkSelector(VectorSelector v) {
            List<Matcher> ms = v.matchers();
            if (v.name() != null) {
                for (int i = 0; i < ms.size() - 1; i++) {
                    if (ms.get(i).name().equals("__name__")) {
                        throw error(v.pos(), "metric name must not be set twice: " + goQuote(v.name()) + " or "
                                + goQuote(ms.get(i).value()));
                    }
                }
                return;
            }
            for (Matcher m : ms) if (!m.matchesEmpty()) return;
            throw error(v.pos(), "vector selector must contain at least one non-empty matcher");
        }

        private PositionRange opRange(BinaryExpr b) {
            int s = b.lhs().pos().end();
            while (s < input.length() && Lexer.isSpace(input.charAt(s))) s++;
            return new PositionRange(s, s);
        }

        private Expr checkBinary(BinaryExpr b) {
            Expr lhs = check(b.lhs());
            Expr rhs = check(b.rhs());
            ValueType lt = lhs.type();
            ValueType rt = rhs.type();
            BinaryOp op = b.op();
            VectorMatching vm = b.matching();
            if (b.returnBool() && !op.isComparison()) {
                throw error(opRange(b), "bool modifier can only be used on comparison operators");
            }
            if (op.isComparison() && !b.returnBool() && rt == ValueType.SCALAR && lt == ValueType.SCALAR) {
                throw error(opRange(b), "comparisons between scalars must use BOOL modifier");
            }
            if (vm != null && op.isSetOperator() && vm.card() == Cardinality.ONE_TO_ONE) {
                vm = new VectorMatching(Cardinality.MANY_TO_MANY, vm.matchingLabels(), vm.on(), vm.include());
            }
            if (vm != null && vm.on()) {
                for (String l1 : vm.matchingLabels()) {
                    if (vm.include().contains(l1)) {
                        throw error(opRange(b), "label " + goQuote(l1) + " must not occur in ON and GROUP clause at once");
                    }
                }
            }
            if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
                throw error(lhs.pos(), "binary expression must contain only scalar and instant vector types");
            }
            if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
                throw error(rhs.pos(), "binary expression must contain only scalar and instant vector types");
            }
            if ((lt != ValueType.VECTOR || rt != ValueType.VECTOR) && vm != null) {
                if (!vm.matchingLabels().isEmpty()) {
                    throw error(b.pos(), "vector matching only allowed between instant vectors");
                }
                vm = null;
            } else if (vm != null && op.isSetOperator()) {
                if (vm.card() == Cardinality.ONE_TO_MANY || vm.card() == Cardinality.MANY_TO_ONE) {
                    throw error(b.pos(), "no grouping allowed for " + goQuote(op.symbol()) + " operation");
                }
                if (vm.card() != Cardinality.MANY_TO_MANY) {
                    throw error(b.pos(), "set operations must always be many-to-many");
                }
            }
            if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
                throw error(b.pos(), "set operator " + goQuote(op.symbol()) + " not allowed in binary scalar expression");
            }
            return new BinaryExpr(op, lhs, rhs, vm, b.returnBool(), b.pos());
        }

        private Expr checkCall(Call c) {
            Function f = c.func();
            int nargs = f.argTypes().size();
            int given = c.args().size();
            if (f.variadic() == 0) {
                if (nargs != given) {
                    throw error(c.pos(), "expected " + nargs + " argument(s) in call to " + goQuote(f.name())
                            + ", got " + given);
                }
            } else {
                int na = nargs - 1;
                if (na > given) {
                    throw error(c.pos(), "expected at least " + na + " argument(s) in call to " + goQuote(f.name())
                            + ", got " + given);
                } else if (f.variadic() > 0 && na + f.variadic() < given) {
                    throw error(c.pos(), "expected at most " + (na + f.variadic()) + " argument(s) in call to "
                            + goQuote(f.name()) + ", got " + given);
                }
            }
            List<Expr> args = new ArrayList<>(given);
            for (int i = 0; i < given; i++) {
                int ti = Math.min(i, nargs - 1);
                args.add(expectType(c.args().get(i), f.argTypes().get(ti), "call to function " + goQuote(f.name())));
            }
            return new Call(f, args, c.pos());
        }
    }
}
