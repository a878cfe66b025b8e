package io.tsdb4j.promql.parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PromQL lexer following the states of Prometheus 2.42's lexer (statements, inside braces, inside brackets), so that
 * the same inputs give the same tokens and the same lexical errors. Lexing stops at the first error, which becomes
 * the last token (type {@link TokenType#ERROR}, text = message, position = start of the bad item). Comments are
 * dropped. Not thread-safe; one instance per input.
 */
final class Lexer {
    private static final int EOF = -1;
    private static final Map<String, TokenType> KEYWORDS = new HashMap<>();

    static {
        String[][] kws = {{"and", "LAND"}, {"or", "LOR"}, {"unless", "LUNLESS"}, {"atan2", "ATAN2"},
                {"sum", "SUM"}, {"avg", "AVG"}, {"count", "COUNT"}, {"min", "MIN"}, {"max", "MAX"},
                {"group", "GROUP"}, {"stddev", "STDDEV"}, {"stdvar", "STDVAR"}, {"topk", "TOPK"},
                {"bottomk", "BOTTOMK"}, {"count_values", "COUNT_VALUES"}, {"quantile", "QUANTILE"},
                {"offset", "OFFSET"}, {"by", "BY"}, {"without", "WITHOUT"}, {"on", "ON"}, {"ignoring", "IGNORING"},
                {"group_left", "GROUP_LEFT"}, {"group_right", "GROUP_RIGHT"}, {"bool", "BOOL"},
                {"start", "START"}, {"end", "END"}, {"inf", "NUMBER"}, {"nan", "NUMBER"}};
        for (String[] kw : kws) KEYWORDS.put(kw[0], TokenType.valueOf(kw[1]));
    }

    private final String input;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private int start;
    private int width;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private int stringOpen;
    private boolean done;

    private Lexer(String input) {
        this.input = input;
    }

    /** All tokens of {@code input}, ending with EOF or ERROR. */
    static List<Token> lex(String input) {
        Lexer l = new Lexer(input);
        while (!l.done) {
            if (l.braceOpen) l.insideBraces();
            else l.statements();
        }
        return l.out;
    }

    // ---- primitives (same semantics as Prometheus's next/backup/accept) ----

    private int next() {
        if (pos >= input.length()) {
            width = 0;
            return EOF;
        }
        int c = input.codePointAt(pos);
        width = Character.charCount(c);
        pos += width;
        return c;
    }

    private void backup() {
        pos -= width;
    }

    private int peek() {
        int c = next();
        backup();
        return c;
    }

    private boolean accept(String valid) {
        int c = next();
        if (c != EOF && valid.indexOf(c) >= 0) return true;
        backup();
        return false;
    }

    private void acceptRun(String valid) {
        while (accept(valid)) {
            // consume
        }
    }

    private void emit(TokenType t) {
        out.add(new Token(t, start, input.substring(start, pos)));
        start = pos;
        if (t == TokenType.EOF) done = true;
    }

    private void error(String msg) {
        out.add(new Token(TokenType.ERROR, start, msg));
        done = true;
    }

    private void skipComment() {
        pos += 1;
        while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') pos++;
        start = pos;
    }

    private void skipSpaces() {
        while (isSpace(peek())) next();
        start = pos;
    }

    // ---- states ----

    private void statements() {
        if (input.startsWith("#", pos)) {
            skipComment();
            return;
        }
        int r = next();
        if (r == EOF) {
            if (parenDepth != 0) error("unclosed left parenthesis");
            else if (bracketOpen) error("unclosed left bracket");
            else emit(TokenType.EOF);
            return;
        }
        if (isSpace(r)) {
            skipSpaces();
            return;
        }
        switch (r) {
            case ',': emit(TokenType.COMMA); return;
            case '*': emit(TokenType.MUL); return;
            case '/': emit(TokenType.DIV); return;
            case '%': emit(TokenType.MOD); return;
            case '+': emit(TokenType.ADD); return;
            case '-': emit(TokenType.SUB); return;
            case '^': emit(TokenType.POW); return;
            case '@': emit(TokenType.AT); return;
            case '=': {
                int t = peek();
                if (t == '=') {
                    next();
                    emit(TokenType.EQLC);
                } else if (t == '~') {
                    error("unexpected character after '=': " + quoteRune(t));
                } else {
                    emit(TokenType.EQL);
                }
                return;
            }
            case '!': {
                int t = next();
                if (t == '=') emit(TokenType.NEQ);
                else error("unexpected character after '!': " + quoteRune(t));
                return;
            }
            case '<':
                if (peek() == '=') {
                    next();
                    emit(TokenType.LTE);
                } else {
                    emit(TokenType.LSS);
                }
                return;
            case '>':
                if (peek() == '=') {
                    next();
                    emit(TokenType.GTE);
                } else {
                    emit(TokenType.GTR);
                }
                return;
            case '"':
            case '\'':
                stringOpen = r;
                string();
                return;
            case '`':
                stringOpen = r;
                rawString();
                return;
            case '(':
                emit(TokenType.LEFT_PAREN);
                parenDepth++;
                return;
            case ')':
                emit(TokenType.RIGHT_PAREN);
                parenDepth--;
                if (parenDepth < 0) {
                    out.remove(out.size() - 1); // Prometheus's error replaces the emitted item
                    error("unexpected right parenthesis ')'");
                }
                return;
            case '{':
                emit(TokenType.LEFT_BRACE);
                braceOpen = true;
                return;
            case '[':
                if (bracketOpen) {
                    error("unexpected left bracket '['");
                    return;
                }
                gotColon = false;
                emit(TokenType.LEFT_BRACKET);
                if (isSpace(peek())) skipSpaces();
                bracketOpen = true;
                duration();
                return;
            case ']':
                if (!bracketOpen) {
                    error("unexpected right bracket ']'");
                    return;
                }
                emit(TokenType.RIGHT_BRACKET);
                bracketOpen = false;
                return;
            default:
                break;
        }
        if (isDigit(r) || (r == '.' && isDigit(peek()))) {
            backup();
            numberOrDuration();
        } else if (isAlpha(r) || r == ':') {
            if (!bracketOpen) {
                backup();
                keywordOrIdentifier();
            } else if (gotColon) {
                error("unexpected colon " + quoteRune(r));
            } else {
                emit(TokenType.COLON);
                gotColon = true;
            }
        } else {
            error("unexpected character: " + quoteRune(r));
        }
    }

    private void insideBraces() {
        if (input.startsWith("#", pos)) {
            skipComment();
            return;
        }
        int r = next();
        if (r == EOF) {
            error("unexpected end of input inside braces");
        } else if (isSpace(r)) {
            skipSpaces();
        } else if (isAlpha(r)) {
            while (isAlphaNumeric(next())) {
                // consume
            }
            backup();
            emit(TokenType.IDENTIFIER);
        } else if (r == ',') {
            emit(TokenType.COMMA);
        } else if (r == '"' || r == '\'') {
            stringOpen = r;
            string();
        } else if (r == '`') {
            stringOpen = r;
            rawString();
        } else if (r == '=') {
            if (next() == '~') {
                emit(TokenType.EQL_REGEX);
            } else {
                backup();
                emit(TokenType.EQL);
            }
        } else if (r == '!') {
            int nr = next();
            if (nr == '~') emit(TokenType.NEQ_REGEX);
            else if (nr == '=') emit(TokenType.NEQ);
            else error("unexpected character after '!' inside braces: " + quoteRune(nr));
        } else if (r == '{') {
            error("unexpected left brace '{'");
        } else if (r == '}') {
            emit(TokenType.RIGHT_BRACE);
            braceOpen = false;
        } else {
            error("unexpected character inside braces: " + quoteRune(r));
        }
    }

    private void string() {
        while (true) {
            int c = next();
            if (c == '\\') {
                if (!escape()) return;
            } else if (c == EOF || c == '\n') {
                error("unterminated quoted string");
                return;
            } else if (c == stringOpen) {
                break;
            }
        }
        emit(TokenType.STRING);
    }

    /** Validates one escape sequence after a backslash; false (with an error emitted) if invalid. */
    private boolean escape() {
        int ch = next();
        int n;
        int base;
        int max;
        switch (ch) {
            case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
                return true;
            case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
                n = 3;
                base = 8;
                max = 255;
                break;
            case 'x':
                ch = next();
                n = 2;
                base = 16;
                max = 255;
                break;
            case 'u':
                ch = next();
                n = 4;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case 'U':
                ch = next();
                n = 8;
                base = 16;
                max = Character.MAX_CODE_POINT;
                break;
            case EOF:
                error("escape sequence not terminated");
                return false;
            default:
                if (ch == stringOpen) return true;
                error("unknown escape sequence " + goSharpU(ch));
                return false;
        }
        long x = 0;
        while (n > 0) {
            int d = digitVal(ch);
            if (d >= base) {
                if (ch == EOF) {
                    error("escape sequence not terminated");
                } else {
                    error("illegal character " + goSharpU(ch) + " in escape sequence");
                }
                return false;
            }
            x = x * base + d;
            n--;
            if (n > 0) ch = next();
        }
        if (x > max || (0xD800 <= x && x < 0xE000)) {
            error("escape sequence is an invalid Unicode code point");
            return false;
        }
        return true;
    }

    private void rawString() {
        while (true) {
            int c = next();
            if (c == EOF) {
                error("unterminated raw string");
                return;
            }
            if (c == stringOpen) break;
        }
        emit(TokenType.STRING);
    }

    private void duration() {
        if (scanNumber()) {
            error("missing unit character in duration");
            return;
        }
        if (!acceptRemainingDuration()) {
            error("bad duration syntax: " + goQuote(input.substring(start, pos)));
            return;
        }
        backup();
        emit(TokenType.DURATION);
    }

    private void numberOrDuration() {
        if (scanNumber()) {
            emit(TokenType.NUMBER);
            return;
        }
        if (acceptRemainingDuration()) {
            backup();
            emit(TokenType.DURATION);
            return;
        }
        error("bad number or duration syntax: " + goQuote(input.substring(start, pos)));
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) return false;
        accept("s");
        while (accept("0123456789")) {
            acceptRun("0123456789");
            if (!accept("smhdw")) return false;
            accept("s");
        }
        return !isAlphaNumeric(next());
    }

    private boolean scanNumber() {
        String digits = "0123456789";
        if (accept("0") && accept("xX")) digits = "0123456789abcdefABCDEF";
        acceptRun(digits);
        if (accept(".")) acceptRun(digits);
        if (accept("eE")) {
            accept("+-");
            acceptRun("0123456789");
        }
        return !isAlphaNumeric(peek());
    }

    private void keywordOrIdentifier() {
        while (true) {
            int r = next();
            if (!(isAlphaNumeric(r) || r == ':')) {
                backup();
                break;
            }
        }
        String word = input.substring(start, pos);
        TokenType kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
        if (kw != null) emit(kw);
        else if (word.indexOf(':') < 0) emit(TokenType.IDENTIFIER);
        else emit(TokenType.METRIC_IDENTIFIER);
    }

    // ---- character classes ----

    static boolean isSpace(int r) {
        return r == ' ' || r == '\t' || r == '\n' || r == '\r';
    }

    static boolean isDigit(int r) {
        return '0' <= r && r <= '9';
    }

    static boolean isAlpha(int r) {
        return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z');
    }

    static boolean isAlphaNumeric(int r) {
        return isAlpha(r) || isDigit(r);
    }

    /** A valid label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    static boolean isLabel(String s) {
        if (s.isEmpty() || !isAlpha(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) if (!isAlphaNumeric(s.charAt(i))) return false;
        return true;
    }

    static int digitVal(int ch) {
        if ('0' <= ch && ch <= '9') return ch - '0';
        if ('a' <= ch && ch <= 'f') return ch - 'a' + 10;
        if ('A' <= ch && ch <= 'F') return ch - 'A' + 10;
        return 16;
    }

    private static String goQuote(String s) {
        return io.tsdb4j.labels.GoQuote.quote(s);
    }

    /** Go's {@code %q} of a rune. */
    static String quoteRune(int r) {
        if (r == EOF) return "'\\uffff'";
        switch (r) {
            case '\'': return "'\\''";
            case '\\': return "'\\\\'";
            case '\n': return "'\\n'";
            case '\t': return "'\\t'";
            case '\r': return "'\\r'";
            default: break;
        }
        if (r >= 0x20 && r < 0x7f) return "'" + (char) r + "'";
        String q = goQuote(new String(Character.toChars(r)));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    /** Go's {@code %#U}: {@code U+0063 'c'}. */
    static String goSharpU(int r) {
        String hex = String.format("U+%04X", r);
        if (r >= 0x20 && r != 0x7f && !Character.isISOControl(r) && Character.isDefined(r)) {
            return hex + " '" + new String(Character.toChars(r)) + "'";
        }
        return hex;
    }
}
